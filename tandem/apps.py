from django.apps import AppConfig


class TandemConfig(AppConfig):
    name = "tandem"
    verbose_name = "Tandem"
