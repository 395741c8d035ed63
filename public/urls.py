from django.urls import path, register_converter

from . import views


class FormatConverter:
    regex = "csv|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "format")

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("scorecard/", views.scorecard, name="scorecard"),
    path("indicators/<str:code>/", views.indicator, name="indicator"),
    path("annual-report/", views.annual_report_latest, name="annual-report-latest"),
    path("annual-report/<int:year>/", views.annual_report, name="annual-report"),
    path("glossary/", views.glossary, name="glossary"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("how-ratings-work/", views.ratings, name="ratings"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/indicators.<format:extension>", views.download_indicators, name="download-indicators"),
    path("open-data/figures.<format:extension>", views.download_figures, name="download-figures"),
    path("open-data/figures-<int:year>.<format:extension>", views.download_figures, name="download-figures-year"),
]
