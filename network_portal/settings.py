"""Settings of the Skills Innovation Network portal.

Configuration comes only from environment variables. With none set, the portal runs in debug mode
on SQLite, runs Celery tasks in-process and prints email to the console; with DJANGO_DEBUG off, a
missing secret key or database URL stops it at start with a clear message.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)


def _required(name):
    """Read a variable that production cannot run without."""
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set when DJANGO_DEBUG is off; see README.md, 'Configuration'."
        )
    return value


if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-development-key-only-for-debug")
    DATABASES = {
        "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    }
else:
    SECRET_KEY = _required("DJANGO_SECRET_KEY")
    DATABASES = {"default": env.db_url_config(_required("DATABASE_URL"))}

DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
# The port `make run` and `make serve` listen on; links in emails follow it unless PORTAL_BASE_URL
# names the public address.
PORT = env.int("PORT", default=8000)
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[PORTAL_BASE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.syndication",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_countries",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "bootstrap",
    "accounts",
    "categories",
    "members",
    "funds",
    "coaching",
    "connections",
    "discussions",
    "network",
    "network_portal",
    "network_portal.weekly",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed by the app server (static files come precompressed from whitenoise, above).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the language and the user are known, so the 404/400 page is in the reader's terms.
    "network_portal.middleware.RefuseNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "accounts.middleware.PreferredLanguageMiddleware",
    "accounts.middleware.CacheOutageMiddleware",
    "accounts.middleware.StaffMFAMiddleware",
]

ROOT_URLCONF = "network_portal.urls"
WSGI_APPLICATION = "network_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: the email address is the login; no account enumeration.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Skills Innovation Network] "
# Account emails in the recipient's language; sign-up as slow for a taken address as a new one.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
# Two-factor sign-in (allauth.mfa): an authenticator app (TOTP) and recovery codes, offered to
# everyone; ILO staff, who can export the whole membership, must set it up before any other page
# (accounts.middleware.StaffMFAMiddleware).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Skills Innovation Network"
PORTAL_STAFF_REQUIRE_MFA = env.bool("PORTAL_STAFF_REQUIRE_MFA", default=True)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PORTAL_BASE_URL.startswith("https") else "http"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Members' pictures (members/pictures.py) go through the "default" storage: files under MEDIA_ROOT,
# served by the portal at MEDIA_URL (network_portal/media.py), unless DJANGO_MEDIA_STORAGE names
# another backend, such as django-storages' S3Storage for several app servers (README.md, "Media").
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = env.str("DJANGO_MEDIA_URL", default="/media/")
MEDIA_STORAGE = env.str(
    "DJANGO_MEDIA_STORAGE", default="django.core.files.storage.FileSystemStorage"
)
# The portal serves media itself only from its own disk; a proxy or object storage may take over.
SERVE_MEDIA = env.bool("DJANGO_SERVE_MEDIA", default=MEDIA_STORAGE.endswith(".FileSystemStorage"))
STORAGES = {
    "default": {
        "BACKEND": MEDIA_STORAGE,
        "OPTIONS": env.json("DJANGO_MEDIA_STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            # A Redis that does not answer fails fast (accounts.middleware answers 503).
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: fire-and-forget tasks, so no result backend. Without Redis, tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
# Acknowledged when it starts, not when it ends: what a task must do lives in the database (rows
# claimed and marked, found again by the beat), so a task lost with its worker costs nothing.
# Late acks left a running task's message unacknowledged, and when Redis restarted under it,
# Celery 5.7 closed that channel after dropping its connection: restoring the message raised
# AttributeError ('hostname') in kombu's restore_unacked and took the whole worker down.
CELERY_TASK_ACKS_LATE = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker whose Redis restarts reconnects for as long as it takes (the default gives up after
# 100 tries); the task it was running goes on.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "coaching-reminders": {"task": "coaching.tasks.send_session_reminders", "schedule": 60.0},
    "coaching-notices": {"task": "coaching.tasks.send_session_notices", "schedule": 60.0},
    "members-notices": {"task": "members.tasks.send_member_notices", "schedule": 60.0},
    "network-graph": {"task": "network.tasks.refresh_graph", "schedule": 60.0},
    # The statistics' default range, recomputed before its cached figures expire (5 minutes).
    "network-statistics": {"task": "network.tasks.refresh_statistics", "schedule": 240.0},
    # One email a day to each approver while profiles await approval.
    "members-approval-summaries": {
        "task": "members.tasks.send_approval_summaries",
        "schedule": crontab(hour=7, minute=0),
    },
    # Applicants' invitations and their reminders 14 days later.
    "members-invitations": {"task": "members.tasks.send_invitations", "schedule": 300.0},
    "coaching-series": {"task": "coaching.tasks.generate_series_sessions", "schedule": 3600.0},
    # Deadline reminders due in days wait in the database; this finds and sends them.
    "funds-due-alerts": {"task": "funds.tasks.send_due_fund_alerts", "schedule": 300.0},
    # Discussion emails are sent after each post; this round catches up what a lost task left.
    "discussions-emails": {"task": "discussions.tasks.send_discussion_emails", "schedule": 60.0},
    # Each person's weekly email at 08:00 on their weekday, in their time zone: a send moment
    # passes every quarter hour somewhere, so every five minutes sends it within five.
    "weekly-email": {
        "task": "network_portal.weekly.tasks.send_weekly_emails",
        "schedule": 300.0,
    },
    "connections-emails": {"task": "connections.tasks.send_connection_emails", "schedule": 60.0},
    # Each morning (UTC), the summary of unread messages for those who chose one.
    "connections-daily-summaries": {
        "task": "connections.tasks.send_daily_summaries",
        "schedule": crontab(hour=6, minute=0),
    },
    # The network graph once a night even if nothing marked it (bulk writes send no signal).
    "network-graph-nightly": {
        "task": "network.tasks.refresh_graph_nightly",
        "schedule": crontab(hour=3, minute=15),
    },
    # Every profile's similar members recomputed at night, in batches (changes refresh at once).
    "connections-neighbours-sweep": {
        "task": "connections.tasks.sweep_neighbours",
        "schedule": crontab(hour=2, minute=30),
    },
}
# For a demo or a smoke test only: every scheduled task runs this often (seconds) instead.
PORTAL_BEAT_INTERVAL = env.float("PORTAL_BEAT_INTERVAL", default=0)
if PORTAL_BEAT_INTERVAL > 0:
    for _entry in CELERY_BEAT_SCHEDULE.values():
        _entry["schedule"] = PORTAL_BEAT_INTERVAL
# Where beat keeps the time each task last ran.
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "celerybeat-schedule")
)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Bounds one SMTP exchange, so a hung server cannot outlast a delivery claim (delivery.LEASE).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=60)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Skills Innovation Network <network@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Sessions only: HTTP Basic would be a password-guessing door around the login's rate limits.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # Per IP for visitors, per user once signed in (members/api.py), counted in the shared cache.
    "DEFAULT_THROTTLE_RATES": {"api-visitor": "120/minute", "api-member": "300/minute"},
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # DESIGN.md: the export uses ?format=, so the API never reads it as a renderer switch.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Skills Innovation Network API",
    "DESCRIPTION": "Read-only API of the public parts of the network's directory.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the drf-spectacular-sidecar package: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
}

# Content-Security-Policy (django-csp 4): our own scripts and styles only, never inline, nothing
# from another origin. ``data:`` images are Bootstrap's and Swagger UI's SVG icons in their CSS;
# pictures come from MEDIA_URL when it is another origin (object storage).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([MEDIA_URL] if "://" in MEDIA_URL else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # A load balancer probes /healthz over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# Directory page size; the API and exports use their own.
MEMBERS_PAGE_SIZE = 24

# How many discussion posts a member may write in an hour (moderators are not limited).
DISCUSSIONS_POSTS_PER_HOUR = env.int("DISCUSSIONS_POSTS_PER_HOUR", default=20)
