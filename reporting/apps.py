from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Programme implementation report")

    def ready(self) -> None:
        # Register the app's permission rows, menu links and home panels.
        from reporting import notifications, panels, permissions  # noqa: F401
