from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo council (manage.py load_demo). Sits above every other app and owns no models."""

    name = "demo"
