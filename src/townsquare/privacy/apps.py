from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "townsquare.privacy"
    label = "privacy"
    verbose_name = "Privacy (PHI guard)"
