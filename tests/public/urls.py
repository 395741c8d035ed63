"""Every public URL, for the leak, access and browser tests."""

from django.urls import reverse


def public_pages(world) -> list[str]:
    """Every public page (HTML)."""
    return [
        reverse("public:home"),
        reverse("public:scorecard"),
        reverse("public:scorecard") + "?period=2025/26+Q2",
        reverse("public:scorecard") + "?period=2025/26+Q4",
        reverse("public:indicator", args=[world.recycling.code]),
        reverse("public:indicator", args=[world.homes.code]),
        reverse("public:annual-report", args=[2025]),
        reverse("public:annual-report", args=[2024]),
        reverse("public:glossary"),
        reverse("public:accessibility"),
        reverse("public:ratings"),
        reverse("public:open-data"),
    ]


def public_downloads() -> list[str]:
    urls = []
    for extension in ("csv", "json"):
        urls.append(reverse("public:download-indicators", args=[extension]))
        urls.append(reverse("public:download-figures", args=[extension]))
        for year in (2024, 2025, 2026):
            urls.append(reverse("public:download-figures-year", args=[year, extension]))
    return urls


def api_starts(world) -> list[str]:
    """The API's lists with each filter, and the single records; tests follow "next" links."""
    return [
        reverse("api:index"),
        reverse("api:openapi"),
        reverse("api:indicators") + "?page_size=1",
        reverse("api:indicators") + f"?priority={world.priority.pk}",
        reverse("api:indicators") + f"?priority={world.draft_priority.pk}",
        reverse("api:indicator", args=[world.recycling.code]),
        reverse("api:figures") + "?page_size=3",
        reverse("api:figures") + f"?indicator={world.recycling.code}",
        reverse("api:figures") + "?period=2025/26+Q4",
        reverse("api:figures") + "?year=2026",
        reverse("api:figures") + f"?priority={world.priority.pk}",
        reverse("api:priorities"),
    ]
