"""Pages as PDF documents, made by WeasyPrint from the same templates the browser shows and
prints (static/css/print.css: A4 landscape, numbered pages, the paper's heading line on
every page).

The PDFs are tagged (PDF/UA-1) with the page's title and language (the template's <title>
and <html lang>), as the Public Sector Bodies Accessibility Regulations 2018 ask of the
documents a council publishes, and carry any text in Unicode (a Welsh ŵ, a Polish Ł).
Links are absolute addresses: the document is read away from the site. Only the site's own
static files are read while drawing; nothing else is fetched.
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def _static_file(url: str) -> Path | None:
    path = urlsplit(url).path
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if not path.startswith(prefix):
        return None
    name = path.removeprefix(prefix)
    found = finders.find(name) or (Path(settings.STATIC_ROOT) / name)
    return Path(found) if found and Path(found).is_file() else None


def pdf_bytes(html: str, *, base_url: str) -> bytes:
    """The PDF of a page's HTML; its relative links resolved against base_url."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            found = _static_file(url)
            if found is None:
                raise ValueError(f"Not fetched while making a PDF: {url}")
            return super().fetch(found.resolve().as_uri(), headers)

    document = HTML(string=html, base_url=base_url, url_fetcher=StaticOnly())
    return document.write_pdf(pdf_variant="pdf/ua-1")


def pdf_response(request: HttpRequest, template: str, context: dict, *, filename: str) -> HttpResponse:
    """The template rendered as for the browser, as a PDF download."""
    html = render_to_string(template, context, request=request)
    response = HttpResponse(pdf_bytes(html, base_url=request.build_absolute_uri("/")), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
