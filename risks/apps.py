from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "risks"

    def ready(self):
        # Packs and exception reports (reviews/, below) carry the scope's risks and overdue
        # recommendations through reviews.pack_sections.
        from .sections import register_sections

        register_sections()
