from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("Development cooperation")

    def ready(self) -> None:
        # Register the app's permission rows, menu links, page slots and demo steps.
        from cooperation import demo_steps, panels, permissions  # noqa: F401
