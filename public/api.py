"""The read-only JSON API of the published data, and its OpenAPI 3 document.

Lists are paginated (page, page_size) and filtered by indicator code, period label,
financial year and corporate plan priority. Bad parameters get 400 with the reasons; an
unknown indicator 404; any method but GET and HEAD 405 with Allow. The OpenAPI document is
built from the same schema as the open data (opendata.INDICATOR_SCHEMA and FIGURE_SCHEMA) and
from the bounds the code checks (MAX_PAGE, MAX_PAGE_SIZE, MAX_ID, FIRST_YEAR, LAST_YEAR,
CODE_PATTERN, PERIOD_PATTERN), so the two agree: what the document allows is answered, what
it forbids (an empty value included) is refused. The tests check every answer against it,
and Schemathesis checks the API against it (tests/public/test_api_contract.py).
"""

import json
import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from indicators.models import Period
from indicators.periods import parse_label

from . import data, opendata
from .caching import public_answer

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
MAX_PAGE = 1_000_000
MAX_ID = 2**31 - 1
FIRST_YEAR, LAST_YEAR = 1990, 2100
# An indicator's code as the API takes it, in the path or a filter: any text but a slash or
# NUL (PostgreSQL cannot compare a string holding NUL). The same pattern is in the document.
CODE_PATTERN = r"^[^/\u0000]+$"
# A period label as label() writes it: "2025/26", "2025/26 Q2", "2025/26 Jul". A label of
# this form that names no financial year ("2025/27") matches no figures, like an unknown period.
PERIOD_PATTERN = r"^[0-9]{4}/[0-9]{2}( (Q[1-4]|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))?$"


class BadRequest(Exception):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors


def _json(payload, status: int = 200) -> JsonResponse:
    return JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})


def _whole(request, name: str, low: int, high: int, default: int | None) -> int | None:
    """The whole number given as name, from low to high; default when it is not given. An empty
    value is not a number, so it is refused like any other (the document allows no empty value)."""
    text = request.GET.get(name)
    if text is None:
        return default
    digits = text.lstrip("0") if text.isascii() and text.isdigit() else None
    if digits is None or len(digits) > len(str(high)) or not low <= int(digits or "0") <= high:
        raise BadRequest({name: f"{name} must be a whole number from {low} to {high}."})
    return int(digits or "0")


def _matching(request, name: str, pattern: str, message: str) -> str | None:
    text = request.GET.get(name)
    if text is not None and not re.fullmatch(pattern, text):
        raise BadRequest({name: message})
    return text


def _page(request, records: list[dict]) -> dict:
    """One page of records; _filters has checked page and page_size."""
    page = _whole(request, "page", 1, MAX_PAGE, 1)
    size = _whole(request, "page_size", 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE)
    count = len(records)
    start = (page - 1) * size

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": count,
        "page": page,
        "page_size": size,
        "next": link(page + 1) if start + size < count else None,
        "previous": link(page - 1) if page > 1 and count else None,
        "licence": opendata.licence(),
        "results": records[start : start + size],
    }


INDICATOR_MESSAGE = "indicator must be an indicator's code."
PERIOD_MESSAGE = 'period must be a period label such as "2025/26", "2025/26 Q2" or "2025/26 Jul".'


def _period(text: str | None) -> Period | None:
    if text is None:
        return None
    try:
        frequency, year, number = parse_label(text)
    except ValueError:
        # Well formed but no financial year ("2025/27"): it matches no figures.
        return Period(pk=0)
    # An unknown period matches no figures rather than being an error.
    return Period.objects.filter(frequency=frequency, year=year, number=number).first() or Period(pk=0)


PAGING = {"page", "page_size"}


def _filters(request, *, allowed: set[str]) -> dict:
    """The parameters given, checked: the allowed filters (indicator, period, year, priority)
    and, for a list, the page's (page, page_size), so every wrong parameter is reported at once.
    Any other parameter is refused, as the document declares only these."""
    errors, found = {}, {}
    for name in sorted(set(request.GET) - allowed):
        errors[name] = f"Unknown parameter {name!r}."
    checks = {
        "page": lambda: _whole(request, "page", 1, MAX_PAGE, None),
        "page_size": lambda: _whole(request, "page_size", 1, MAX_PAGE_SIZE, None),
        "indicator": lambda: _matching(request, "indicator", CODE_PATTERN, INDICATOR_MESSAGE),
        "priority": lambda: _whole(request, "priority", 1, MAX_ID, None),
        "year": lambda: _whole(request, "year", FIRST_YEAR, LAST_YEAR, None),
        "period": lambda: _period(_matching(request, "period", PERIOD_PATTERN, PERIOD_MESSAGE)),
    }
    for name in sorted(allowed):
        try:
            value = checks[name]()
        except BadRequest as bad:
            errors.update(bad.errors)
        else:
            if value is not None and name not in PAGING:
                found[name] = value
    if errors:
        raise BadRequest(errors)
    return found


def api_view(view):
    """JSON errors for bad requests, and the public cache. Exempt from the CSRF check, which
    would refuse a POST with 403 before public_answer could answer 405 with Allow: the API is
    read only and sets no cookie, so there is nothing to forge."""

    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadRequest as bad:
            return _json({"errors": bad.errors}, status=400)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return csrf_exempt(public_answer(wrapper, params=None))


@api_view
def index(request):
    _filters(request, allowed=set())
    return _json(
        {
            "name": f"{settings.PMIS_COUNCIL_NAME} performance data",
            "openapi": request.build_absolute_uri(reverse("api:openapi")),
            "indicators": request.build_absolute_uri(reverse("api:indicators")),
            "figures": request.build_absolute_uri(reverse("api:figures")),
            "priorities": request.build_absolute_uri(reverse("api:priorities")),
            "licence": opendata.licence(),
        }
    )


@api_view
def indicators(request):
    filters = _filters(request, allowed={"priority", *PAGING})
    return _json(_page(request, opendata.indicator_records(opendata.indicators_for(**filters))))


@api_view
def indicator(request, code: str):
    _filters(request, allowed=set())
    if not re.fullmatch(CODE_PATTERN, code):
        raise BadRequest({"code": "code must be an indicator's code."})
    records = opendata.indicator_records(opendata.indicators_for(code=code))
    if not records:
        return _json({"errors": {"code": f"No published indicator has the code {code!r}."}}, status=404)
    return _json(records[0])


@api_view
def figures(request):
    filters = _filters(request, allowed={"indicator", "period", "year", "priority", *PAGING})
    return _json(_page(request, opendata.figure_records(**filters)))


@api_view
def priorities(request):
    _filters(request, allowed=PAGING)
    records = [
        {
            "id": p.pk,
            "title": p.title,
            "description": p.description,
            "plan": p.plan.title,
            "first_year": p.plan.first_year,
            "last_year": p.plan.last_year,
            "indicators": [i.code for i in p.published],
        }
        for p in data.corporate_priorities(None)
    ]
    return _json(_page(request, records))


# The OpenAPI document -------------------------------------------------------------------


def _schema_of(columns: list[tuple]) -> dict:
    properties = {}
    for name, kind, nullable, description in columns:
        if kind == "array":
            prop = {"type": "array", "items": {"type": "integer"}}
        else:
            prop = {"type": [kind, "null"] if nullable else kind}
        prop["description"] = description
        properties[name] = prop
    return {
        "type": "object",
        "required": [name for name, *_ in columns],
        "additionalProperties": False,
        "properties": properties,
    }


def _page_of(ref: str) -> dict:
    return {
        "type": "object",
        "required": ["count", "page", "page_size", "next", "previous", "licence", "results"],
        "additionalProperties": False,
        "properties": {
            "count": {"type": "integer", "minimum": 0, "description": "How many results match, on all pages."},
            "page": {"type": "integer", "minimum": 1},
            "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            "next": {"type": ["string", "null"], "description": "The next page's address, if there is one."},
            "previous": {"type": ["string", "null"], "description": "The previous page's address, if any."},
            "licence": {"$ref": "#/components/schemas/Licence"},
            "results": {"type": "array", "items": {"$ref": ref}},
        },
    }


def _parameter(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


PAGE_PARAMETERS = [
    _parameter("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
    _parameter(
        "page_size",
        f"Results per page (default {DEFAULT_PAGE_SIZE}).",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    ),
]
PRIORITY = _parameter(
    "priority",
    "Only indicators of this corporate plan priority (an id).",
    {"type": "integer", "minimum": 1, "maximum": MAX_ID},
)
CODE = {"type": "string", "minLength": 1, "pattern": CODE_PATTERN}
ERRORS = {
    "description": "The parameters are wrong; errors says which and why.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
}


def _ok(description: str, ref: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}


def openapi_document(request) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{settings.PMIS_COUNCIL_NAME} performance data",
            "version": "1.0.0",
            "description": "Published performance indicators, their validated figures, signed-off targets and "
            "ratings. Read only; no sign-in. Figures are exact decimals given as strings.",
            "license": {"name": settings.PMIS_OPEN_DATA_LICENCE, "url": settings.PMIS_OPEN_DATA_LICENCE_URL},
        },
        "servers": [{"url": request.build_absolute_uri("/")[:-1]}],
        "paths": {
            "/api/v1/": {
                "get": {
                    "operationId": "index",
                    "summary": "Where the API's lists and this document are",
                    "responses": {
                        "200": _ok("The API's addresses and licence", "#/components/schemas/Index"),
                        "400": ERRORS,
                    },
                }
            },
            "/api/v1/indicators/": {
                "get": {
                    "operationId": "listIndicators",
                    "summary": "Published indicators' definitions, by code",
                    "parameters": [PRIORITY, *PAGE_PARAMETERS],
                    "responses": {
                        "200": _ok("A page of indicators", "#/components/schemas/IndicatorPage"),
                        "400": ERRORS,
                    },
                }
            },
            "/api/v1/indicators/{code}/": {
                "get": {
                    "operationId": "getIndicator",
                    "summary": "One published indicator's definition",
                    "parameters": [
                        {
                            "name": "code",
                            "in": "path",
                            "required": True,
                            "description": 'The indicator\'s code, for example "NI 192".',
                            "schema": CODE,
                        }
                    ],
                    "responses": {
                        "200": _ok("The indicator", "#/components/schemas/Indicator"),
                        "400": ERRORS,
                        "404": {
                            "description": "No published indicator has this code.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
                        },
                    },
                }
            },
            "/api/v1/figures/": {
                "get": {
                    "operationId": "listFigures",
                    "summary": "Published figures, signed-off targets and ratings, by indicator then period",
                    "parameters": [
                        _parameter("indicator", "Only this indicator (its code).", CODE),
                        _parameter(
                            "period",
                            'Only this period, by its label: "2025/26", "2025/26 Q2", "2025/26 Jul".',
                            {"type": "string", "pattern": PERIOD_PATTERN},
                        ),
                        _parameter(
                            "year",
                            "Only this financial year, by its starting year (2025 for 2025/26).",
                            {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
                        ),
                        PRIORITY,
                        *PAGE_PARAMETERS,
                    ],
                    "responses": {
                        "200": _ok("A page of figures", "#/components/schemas/FigurePage"),
                        "400": ERRORS,
                    },
                }
            },
            "/api/v1/priorities/": {
                "get": {
                    "operationId": "listPriorities",
                    "summary": "Priorities of the council's approved corporate plans",
                    "parameters": PAGE_PARAMETERS,
                    "responses": {
                        "200": _ok("A page of priorities", "#/components/schemas/PriorityPage"),
                        "400": ERRORS,
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Indicator": _schema_of(opendata.INDICATOR_SCHEMA),
                "Figure": _schema_of(opendata.FIGURE_SCHEMA),
                "Priority": {
                    "type": "object",
                    "required": ["id", "title", "description", "plan", "first_year", "last_year", "indicators"],
                    "additionalProperties": False,
                    "properties": {
                        "id": {"type": "integer"},
                        "title": {"type": "string"},
                        "description": {"type": "string"},
                        "plan": {"type": "string", "description": "The corporate plan's title."},
                        "first_year": {"type": "integer", "description": "First financial year covered (start)."},
                        "last_year": {"type": "integer", "description": "Last financial year covered (start)."},
                        "indicators": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "Codes of its published indicators.",
                        },
                    },
                },
                "IndicatorPage": _page_of("#/components/schemas/Indicator"),
                "FigurePage": _page_of("#/components/schemas/Figure"),
                "PriorityPage": _page_of("#/components/schemas/Priority"),
                "Index": {
                    "type": "object",
                    "required": ["name", "openapi", "indicators", "figures", "priorities", "licence"],
                    "additionalProperties": False,
                    "properties": {
                        "name": {"type": "string"},
                        "openapi": {"type": "string", "description": "This document's address."},
                        "indicators": {"type": "string"},
                        "figures": {"type": "string"},
                        "priorities": {"type": "string"},
                        "licence": {"$ref": "#/components/schemas/Licence"},
                    },
                },
                "Licence": {
                    "type": "object",
                    "required": ["name", "url"],
                    "additionalProperties": False,
                    "properties": {"name": {"type": "string"}, "url": {"type": "string"}},
                },
                "Errors": {
                    "type": "object",
                    "required": ["errors"],
                    "additionalProperties": False,
                    "properties": {
                        "errors": {
                            "type": "object",
                            "description": "Each wrong parameter and why.",
                            "additionalProperties": {"type": "string"},
                        }
                    },
                },
            }
        },
    }


@csrf_exempt
@public_answer
def openapi(request):
    return HttpResponse(
        json.dumps(openapi_document(request), indent=1), content_type="application/vnd.oai.openapi+json"
    )
