from django.apps import AppConfig


class PpaConfig(AppConfig):
    name = "ppa"
