from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RbmConfig(AppConfig):
    name = "rbm"
    verbose_name = _("Core: offices, countries, users")

    def ready(self) -> None:
        # Register the core's permission rows, home panels and demo steps.
        from rbm import demo_steps, panels, permissions, signals  # noqa: F401
        from rbm.text import install_text_validators

        # Every text field of the project's models refuses control characters.
        install_text_validators()
