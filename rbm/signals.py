"""The one signal the core listens to: a password change revokes the user's API tokens.

Whoever learnt the old password may have made a token with it; changing the password (on
the account page, by a reset, or by an administrator) must lock them out of the API too, as
it logs out their other sessions. ``AbstractBaseUser.set_password`` keeps the new password in
``_password`` until ``save()`` has sent ``post_save``: that is how a change is told from any
other save, without reading the row again.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from rbm.models import ApiToken, User


@receiver(post_save, sender=User, dispatch_uid="rbm.revoke_tokens_on_password_change")
def revoke_tokens_on_password_change(
    sender: type[User], instance: User, created: bool, **kwargs: Any
) -> None:
    if created or getattr(instance, "_password", None) is None:
        return
    ApiToken.objects.filter(user=instance, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
