from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DwcpConfig(AppConfig):
    name = "dwcp"
    verbose_name = _("Decent Work Country Programmes")

    def ready(self) -> None:
        # Register the app's permission rows, menu links, home panels and demo steps.
        from dwcp import demo_steps, notifications, panels, permissions  # noqa: F401
