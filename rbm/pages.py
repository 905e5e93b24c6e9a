"""What every app's pages share: the methods a form page answers, the signed-in user, the
answer to someone a page refuses, and a service's refusal put on the form it came from."""

from __future__ import annotations

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from rbm.models import User

FORM_METHODS = ["GET", "HEAD", "POST"]


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in user (views call this after a permission check that needs one)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def refuse(request: HttpRequest) -> HttpResponse:
    """403, or the login page for a visitor who is not signed in."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied(_("You are not allowed to do this."))


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has
    it, otherwise at the top of the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields and name != NON_FIELD_ERRORS else None
            form.add_error(target, errors)
    else:
        form.add_error(None, error)
