"""The risks app's pages: registers.py (the registers, a risk, adding, changing and reviewing
one, the heat map, the corporate register and its download), settings.py (categories and
the scoring matrix) and recommendations.py (sources, their reports and recommendations).
Their URLs are in risks/urls.py."""
