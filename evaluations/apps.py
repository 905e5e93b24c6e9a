from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluations and lessons learned")

    def ready(self) -> None:
        # The app's permission rows, its condition on a programme's "Evaluated" step, its
        # menu link, home panel and the sections it puts on other apps' pages.
        from evaluations import checks, demo_steps, panels, permissions  # noqa: F401
