import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rbm.settings")

application = get_wsgi_application()

try:
    settings.SECRET_KEY  # noqa: B018 - read to refuse serving without a key
except ImproperlyConfigured as error:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.") from error
