"""Settings, read from the environment.

Embedded defaults give a working demo with nothing installed: a SQLite file and Celery tasks
run in-process. Set ``DATABASE_URL`` and ``CELERY_BROKER_URL`` for PostgreSQL and real
workers, as the tests and deployments do. With ``DEBUG`` off, ``SECRET_KEY`` is required.
"""

from pathlib import Path

import django_stubs_ext
import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Lets the code write generic Django classes (e.g. ModelAdmin[User]) as the type checker reads them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 - DEBUG only
# Without DEBUG and without a key, commands that sign nothing (migrate, makemigrations --check,
# collectstatic, compile_catalogues) still run; serving refuses to start (rbm/wsgi.py), and
# anything else that reads the key fails with Django's "must not be empty". A key that is set
# must be long enough to sign sessions and password resets safely (check --deploy's W009).
MIN_SECRET_KEY_LENGTH = 50
if (
    SECRET_KEY
    and not DEBUG
    and (len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH or len(set(SECRET_KEY)) < 5)
):
    raise ImproperlyConfigured(
        f"SECRET_KEY must have at least {MIN_SECRET_KEY_LENGTH} characters (and 5 different "
        "ones) when DEBUG is off: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The project's own apps, in the order of their layers (ARCHITECTURE.md), bottom first.
PROJECT_APPS = (
    "rbm",
    "strategic_plans",
    "dwcp",
    "cooperation",
    "evaluations",
    "workplans",
    "reporting",
    "portal",
)
INSTALLED_APPS = [
    # Translated columns of the framework's texts (before the admin: ADR 0016).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    *PROJECT_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "rbm.middleware.PrivateResponsesMiddleware",
    "rbm.middleware.ApiLanguageMiddleware",
    # Last, as django-axes asks: it answers a locked-out login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rbm.urls"
WSGI_APPLICATION = "rbm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rbm.context_processors.navigation",
            ],
            "builtins": ["rbm.templatetags.rbm_tags"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs tens of milliseconds per query and wins nothing on ours
    # (measured: the report at scale 100 from 8.4 s to 7.0 s without it). Planning memoized
    # nested loops costs ~5 ms on a CPO page of seven joins and sped up nothing (ADR 0009).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c enable_memoize=off"
    )
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))

# The cache holds figures computed from many rows (the demand-and-target table), each under a
# key that changes when its rows do. Share it between processes in production (Redis).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite (the demo) cannot hold a unique constraint whose NULLs compare equal; PostgreSQL does,
# and the services find lines by their key before creating one. Nor can it include non-key
# columns in an index (the covering index of validated progress reports is for PostgreSQL).
SILENCED_SYSTEM_CHECKS = ["models.W047", "models.W040"]

AUTH_USER_MODEL = "rbm.User"
AUTHENTICATION_BACKENDS = [
    # django-axes counts failed logins and refuses a locked-out username from that address.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)  # hours
# A username is locked from the address that failed, so that nobody locks a colleague out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address: REMOTE_ADDR, or, behind PROXY_COUNT proxies, what they add to
# X-Forwarded-For (never what a client sends itself, which anyone can forge).
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if PROXY_COUNT else ["REMOTE_ADDR"]
)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The framework's own texts (titles, statements, indicators) in the three languages: a
# missing French or Spanish text reads as the English one (ADR 0016).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
MODELTRANSLATION_AUTO_POPULATE = False
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploads larger than this are refused with 413 before they are read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# HTTPS: on in production (DEBUG off) behind a proxy that terminates TLS and says so in
# X-Forwarded-Proto. HTTPS=false serves plain HTTP (trying the production setup locally).
HTTPS = env.bool("HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=HTTPS)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=HTTPS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
# The container's health check asks over plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^ping$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No page uses the camera, the microphone, geolocation, payment or USB (rbm.middleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
# Content-Security-Policy (django-csp): our scripts and styles only. The pages' few inline
# scripts carry the request's nonce; inline style attributes (the meters' widths) are allowed
# as attributes only. Swagger UI and ReDoc (/api/docs/) are served from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

REST_FRAMEWORK = {
    # Token first: a request without credentials that needs them gets 401 with
    # "WWW-Authenticate: Token"; the pages' own scripts use the session (with CSRF).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rbm.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rbm.api.permissions.TablePermission"],
    "DEFAULT_PARSER_CLASSES": ["rbm.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "rbm.api.schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rbm.api.filters.SearchFilter",
        "rbm.api.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rbm.api.pagination.PageNumberPagination",
    # Per address for anonymous callers, per user for signed-in ones (rbm.api.throttling);
    # wrong keys are limited by the authentication itself.
    "NUM_PROXIES": PROXY_COUNT,
    "DEFAULT_THROTTLE_CLASSES": [
        "rbm.api.throttling.AnonymousThrottle",
        "rbm.api.throttling.UserThrottle",
    ],
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "rbm.api.exception_handlers.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Results-based programme management API",
    "DESCRIPTION": "Strategic plans, Decent Work Country Programmes, outcome-based workplans "
    "and the programme implementation report. Authenticate with `Authorization: Token <key>` "
    "(create keys on your account page). Every error answers "
    '`{"error": {"status", "code", "message", "fields"?}}`.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "PhaseEnum": "dwcp.models.Phase",
        "ResultStatusEnum": "dwcp.models.ResultStatus",
        "ProgressStatusEnum": "dwcp.models.ProgressStatus",
        "ReviewStateEnum": "dwcp.models.ReviewState",
        "PartyKindEnum": "dwcp.models.PartyKind",
        "OfficeKindEnum": "rbm.models.OfficeKind",
        "EvaluationStatusEnum": "evaluations.models.EvaluationStatus",
        "FollowUpStatusEnum": "evaluations.models.FollowUpStatus",
        "LessonStatusEnum": "evaluations.models.LessonStatus",
        "EvaluationTypeEnum": "evaluations.models.EvaluationType",
        "LessonKindEnum": "evaluations.models.LessonKind",
        "DocumentKindEnum": "evaluations.models.DocumentKind",
        "DonorKindEnum": "cooperation.models.DonorKind",
    },
}

# API request rates (per minute), and the wrong API keys an address may send per minute
# before it is refused (429). Counted in the cache: share it (Redis) between processes.
# An empty value turns that limit off (the benchmarks' load runs, from one address).
API_THROTTLE_RATES = {
    "anon": env.str("API_THROTTLE_ANON", default="120/min") or None,
    "user": env.str("API_THROTTLE_USER", default="1200/min") or None,
    "bad_key": env.str("API_THROTTLE_BAD_KEY", default="20/min") or None,
}

# Celery: with no broker configured, tasks run in-process (the demo); otherwise on workers.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_RESULT_BACKEND = env.str(
    "CELERY_RESULT_BACKEND",
    default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "cache+memory://",
)
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=25 * 60)
# The longest time limit of any task (the CPO import's, 31 minutes): Redis gives an
# unacknowledged task (acks_late) to another worker after the visibility timeout, so it must
# outlast every task, or a long task would run twice at once. A task whose worker died is not
# left to it: the periodic check queues the job again within a minute (``rbm.jobs``).
CELERY_LONGEST_TASK = max(CELERY_TASK_TIME_LIMIT, 31 * 60)
BROKER_CONNECT_TIMEOUT = env.float("BROKER_CONNECT_TIMEOUT", default=2.0)
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_CONNECT_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_LONGEST_TASK + 5 * 60,
    "socket_connect_timeout": BROKER_CONNECT_TIMEOUT,
    "socket_timeout": 10,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = BROKER_CONNECT_TIMEOUT
# Sending a task tries the broker twice, briefly: a request whose broker is down answers in
# a few seconds, and the job is marked "not queued" (``rbm.jobs.enqueue``).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
# The periodic checks (``celery beat``): jobs whose worker died are queued again.
CELERY_BEAT_SCHEDULE = {
    "requeue-stalled-report-runs": {
        "task": "reporting.requeue_stalled_runs",
        "schedule": 10.0,
        "options": {"expires": 10},
    },
    "requeue-stalled-cpo-imports": {
        "task": "dwcp.requeue_stalled_imports",
        "schedule": 10.0,
        "options": {"expires": 10},
    },
}
# Notifications (``rbm.notifications``): the due and overdue scan each morning, the daily
# digests after it, and any e-mail left waiting (the broker was down) every five minutes.
CELERY_BEAT_SCHEDULE |= {
    "scan-due-and-overdue": {
        "task": "rbm.scan_due_and_overdue",
        "schedule": crontab(hour=env.int("NOTIFY_SCAN_HOUR", default=5), minute=0),
    },
    "send-daily-digests": {
        "task": "rbm.send_digests",
        "schedule": crontab(hour=env.int("NOTIFY_DIGEST_HOUR", default=6), minute=0),
    },
    "deliver-waiting-notifications": {
        "task": "rbm.deliver_notifications",
        "schedule": 300.0,
        "options": {"expires": 300},
    },
}
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = TIME_ZONE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every sign-in at INFO; its lockouts are warnings.
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

# The public portal keeps each page's body under its ETag (portal.caching); off only to
# measure pages rendered on every request (bench/portal.py).
PORTAL_KEEP_PAGES = env.bool("PORTAL_KEEP_PAGES", default=True)
# How long a dashboard's figures are kept for readers of the same CPOs (0: counted each time).
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=60)
# E-mail: Django's SMTP backend on the organisation's relay (EMAIL_HOST ...); without a host
# the e-mails are printed on the console (the demo). SITE_URL makes the links in e-mails.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="rbm@localhost")
EMAIL_MESSAGE_DOMAIN = env.str("EMAIL_MESSAGE_DOMAIN", default="rbm.localhost")
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")
