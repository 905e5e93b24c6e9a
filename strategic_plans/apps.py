from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategicPlansConfig(AppConfig):
    name = "strategic_plans"
    verbose_name = _("Results framework")

    def ready(self) -> None:
        # Register the app's permission rows, home panels and demo steps.
        from strategic_plans import demo_steps, panels, permissions  # noqa: F401
