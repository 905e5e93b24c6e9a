from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplansConfig(AppConfig):
    name = "workplans"
    verbose_name = _("Outcome-based workplans")

    def ready(self) -> None:
        # Register the app's permission rows, menu links, home panels and demo steps.
        from workplans import demo_steps, notifications, panels, permissions  # noqa: F401
