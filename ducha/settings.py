"""Settings, every one of consequence read from a DUCHA_* environment variable.

Defaults suit a single machine: SQLite in ``var/``, Chinese UI, debug off. Production sets
DUCHA_SECRET_KEY, DUCHA_ALLOWED_HOSTS and usually DUCHA_DATABASE_URL (PostgreSQL).
"""

import datetime as _dt
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

from ducha.env import ConfigError, env_bool, env_int, env_list, env_networks, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("DUCHA_DATA_DIR", str(PACKAGE_DIR.parent / "var")))

DEBUG = env_bool("DUCHA_DEBUG", False)
# A fixed development key keeps sessions valid across restarts of the demo; deployments must
# set their own, which `ducha check --deploy` insists on.
_DEV_SECRET_KEY = "django-insecure-ducha-development-key-do-not-use-in-production"
SECRET_KEY = env_str("DUCHA_SECRET_KEY", _DEV_SECRET_KEY)
PRODUCTION = env_bool("DUCHA_PRODUCTION", False)
if PRODUCTION and SECRET_KEY == _DEV_SECRET_KEY:
    raise ConfigError("DUCHA_PRODUCTION is set: DUCHA_SECRET_KEY must be set too")
ALLOWED_HOSTS = env_list("DUCHA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DUCHA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",  # Content-Security-Policy (its checks catch settings in the old format)
    "axes",  # locks an account after repeated failed sign-ins
    "ninja",  # serves its bundled Swagger UI for /api/docs instead of loading it from a CDN
    "django_tasks",  # background jobs (the backport of Django 6's task framework)
    "django_tasks_db",  # their queue, a table in the database
    "ducha.core",
    "ducha.audit",
    "ducha.accounts",
    "ducha.orgunits",
    "ducha.plans",
    "ducha.datavalues",
    "ducha.assessments",
    "ducha.demo",
    "ducha.dashboards",
    "ducha.extraction",
    "ducha.reporting",
    "ducha.supervision",
    "ducha.portal",
    "ducha.scorecards",
    "ducha.registers",
    "ducha.parks",
    "ducha.enterprises",
    "ducha.projects",
    "ducha.platforms",
    "ducha.technologies",
    "ducha.talents",
    "ducha.incentives",
    "ducha.jobs",
    "ducha.quality",
    "ducha.figures",
    "ducha.alignment",
    "ducha.notifications",
    "ducha.workcalendar",
    "ducha.backups",
]

# First in the search for translations: the few words Django's own catalogues (the admin,
# auth) would otherwise translate for every app ("Filter" as 过滤器, not 筛选).
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]

MIDDLEWARE = [
    "ducha.core.logs.AccessLogMiddleware",  # first: times the whole request
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ducha.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "ducha.core.params.QueryLimitsMiddleware",
    "ducha.core.integrity.UniqueViolationMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ducha.core.security.SecurityEventMiddleware",
    "ducha.accounts.middleware.PasswordRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ducha.urls"
WSGI_APPLICATION = "ducha.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # the admin's base_site.html in the site's colours (the admin app comes first, so an
        # app template could not override it)
        "DIRS": [PACKAGE_DIR / "core" / "admin_templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ducha.core.context_processors.site",
                "ducha.workcalendar.context_processors.calendar_warning",
            ],
            # {% colon %}: a label's colon in the page's language (：in Chinese)
            "builtins": ["ducha.core.templatetags.punctuation"],
        },
    },
]


def _database() -> dict:
    url = env_str("DUCHA_DATABASE_URL")
    if url:
        return dj_database_url.parse(url, conn_max_age=env_int("DUCHA_DB_CONN_MAX_AGE", 60))
    # SQLite cannot create the directory its file lives in; a fresh checkout has no var/ yet.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "ducha.sqlite3",
        "OPTIONS": {
            # WAL lets the web server read while a command writes; IMMEDIATE avoids the
            # "database is locked" upgrade deadlock between two writers.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        "TEST": {"NAME": env_str("DUCHA_TEST_SQLITE_NAME") or None},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "ducha.core.security.LockoutBackend",  # django-axes, first: refuses locked accounts
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout after repeated failed sign-ins, per account and address (an office behind one NAT
# address is not locked out by one person's typos on another account).
AXES_FAILURE_LIMIT = env_int("DUCHA_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = _dt.timedelta(minutes=env_int("DUCHA_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind a reverse proxy every request comes from the proxy's address. X-Forwarded-For names
# the client only when the request came from one of these (IPs or CIDR ranges); by default
# none is trusted, so nobody can pick the address the lockout, the security log and the
# access log see (`ducha.core.security.client_ip`).
DUCHA_TRUSTED_PROXIES = env_networks("DUCHA_TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "ducha.core.security.client_ip"
# Passwords people choose (their own page, a new account's link, the admin): at least 12
# characters, not a common one, not all digits, not close to the user name or display name.
# Django's messages for these are translated (Chinese by default).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {
            "user_attributes": ("username", "display_name", "first_name", "last_name", "email")
        },
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "ducha.accounts.validators.ContainsNameValidator"},
]
# How long the one-time link of a new account (to choose its password) works.
PASSWORD_RESET_TIMEOUT = env_int("DUCHA_SET_PASSWORD_LINK_DAYS", 7) * 24 * 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The language of pages for whoever has not picked one, and of the command line (`ducha …`).
LANGUAGE_CODE = env_str("DUCHA_LANGUAGE_CODE", "zh-hans").strip().lower()
if LANGUAGE_CODE not in {code for code, _name in LANGUAGES}:
    raise ConfigError(f"DUCHA_LANGUAGE_CODE must be zh-hans or en, not {LANGUAGE_CODE!r}")
TIME_ZONE = env_str("DUCHA_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # vendor/ holds the fetched third-party assets
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "ducha.core.staticstamp.StampedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
# Background jobs' files: uploads waiting for their job, the files jobs make, lease files.
JOBS_DIR = DATA_DIR / "jobs"
# In production WhiteNoise serves what collectstatic gathered (compressed, once, at install:
# `make install`; `ducha serve` collects again only when the sources changed, see
# `ducha/core/staticstamp.py`; behind nginx, nginx serves them). Finders would serve the
# source files instead, uncompressed: only for development (DUCHA_DEBUG), where
# `ducha runserver` picks up a changed file without collecting again.
# Tests need neither: the test client asks for no static file and live_server serves them.
WHITENOISE_USE_FINDERS = DEBUG

# What a browser may load and run on ducha's pages (docs/security.md). Scripts come only from
# ducha's own static files: no inline script, no event-handler attribute, no eval, so text a
# user typed can never run even where a page forgot to escape it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Style sheets only from ducha's files (no <style> element, no injected sheet); style
        # *attributes* are allowed because ECharts writes the font of every SVG label and the
        # layout of its tooltips as style attributes, and its charts are unreadable without
        # them. A style attribute cannot run script nor load from elsewhere (img-src, font-src).
        "style-src": [SELF],
        "style-src-elem": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-src": [NONE],
        "worker-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Powerful browser features no page of ducha uses, off for every page and anything framed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

SESSION_COOKIE_AGE = env_int("DUCHA_SESSION_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DUCHA_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DUCHA_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# E-mail: through the office's SMTP server once DUCHA_SMTP_HOST is set; until then printed to
# the console (a development machine). DUCHA_SMTP_SECURITY: starttls, ssl or empty (plain).
_SMTP_SECURITY = env_str("DUCHA_SMTP_SECURITY", "").strip().lower()
if _SMTP_SECURITY not in {"", "starttls", "ssl"}:
    raise ConfigError(f"DUCHA_SMTP_SECURITY must be starttls, ssl or empty, not {_SMTP_SECURITY!r}")
EMAIL_HOST = env_str("DUCHA_SMTP_HOST", "localhost")
EMAIL_PORT = env_int("DUCHA_SMTP_PORT", {"ssl": 465, "starttls": 587}.get(_SMTP_SECURITY, 25))
EMAIL_HOST_USER = env_str("DUCHA_SMTP_USER")
EMAIL_HOST_PASSWORD = env_str("DUCHA_SMTP_PASSWORD")
EMAIL_USE_TLS = _SMTP_SECURITY == "starttls"
EMAIL_USE_SSL = _SMTP_SECURITY == "ssl"
EMAIL_TIMEOUT = env_int("DUCHA_NOTIFY_TIMEOUT", 10)
DUCHA_SMTP_CA_FILE = env_str("DUCHA_SMTP_CA_FILE")  # the office's own CA (PEM), if any
EMAIL_BACKEND = env_str(
    "DUCHA_EMAIL_BACKEND",
    "ducha.notifications.mail.EmailBackend"
    if env_str("DUCHA_SMTP_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DUCHA_FROM_EMAIL", "ducha@localhost")
# SMS through the office's adapter for its provider (a JSON POST, docs/notifications.md), and
# how long any message may take to leave (SMTP, robots, SMS), in seconds.
DUCHA_SMS_URL = env_str("DUCHA_SMS_URL")
DUCHA_SMS_TOKEN = env_str("DUCHA_SMS_TOKEN")
DUCHA_NOTIFY_TIMEOUT = env_int("DUCHA_NOTIFY_TIMEOUT", 10)

# Reporting rounds: evidence files up to this size; links in e-mails start with the base URL.
DUCHA_EVIDENCE_MAX_BYTES = env_int("DUCHA_EVIDENCE_MAX_MB", 20) * 1024 * 1024
DUCHA_BASE_URL = env_str("DUCHA_BASE_URL", "http://127.0.0.1:8000")
# 督办: overdue assignments escalate to the unit head, then the office, after these many
# working days past the deadline (`ducha remind`).
DUCHA_ESCALATE_HEAD_DAYS = env_int("DUCHA_ESCALATE_HEAD_DAYS", 3)
DUCHA_ESCALATE_OFFICE_DAYS = env_int("DUCHA_ESCALATE_OFFICE_DAYS", 5)

DUCHA_SITE_NAME = env_str("DUCHA_SITE_NAME", "")
DUCHA_DEFAULT_PLAN = env_str("DUCHA_DEFAULT_PLAN", "tianjin-2018-ai")

# API pages: at most this many rows per request, whatever `limit` asks for
NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = env_int("DUCHA_API_MAX_LIMIT", 1000)
# Largest policy document `ducha extract` and the upload page read (a plan is far below 1 MiB).
DUCHA_EXTRACT_MAX_BYTES = env_int("DUCHA_EXTRACT_MAX_BYTES", 16 * 1024 * 1024)
# Imports (values, registers, incentives): limits every uploaded table is read within, so that
# no file can freeze or exhaust a worker (ducha/core/tables.py; docs/security.md).
DUCHA_IMPORT_MAX_BYTES = env_int("DUCHA_IMPORT_MAX_MB", 30) * 1024 * 1024
DUCHA_IMPORT_MAX_UNPACKED_BYTES = env_int("DUCHA_IMPORT_MAX_UNPACKED_MB", 256) * 1024 * 1024
DUCHA_IMPORT_MAX_ROWS = env_int("DUCHA_IMPORT_MAX_ROWS", 250_000)
DUCHA_IMPORT_MAX_COLUMNS = env_int("DUCHA_IMPORT_MAX_COLUMNS", 256)
DUCHA_IMPORT_MAX_CELLS = env_int("DUCHA_IMPORT_MAX_CELLS", 3_000_000)
DUCHA_IMPORT_MAX_CELL_CHARS = env_int("DUCHA_IMPORT_MAX_CELL_CHARS", 32_767)
DUCHA_IMPORT_MAX_SECONDS = env_int("DUCHA_IMPORT_MAX_SECONDS", 60)

# Background jobs (`ducha/jobs/`): queued in the database, run by `ducha worker`; periodic
# ones enqueued by `ducha scheduler`. DUCHA_TASKS_BACKEND=immediate runs each job inside the
# request that starts it (no worker: for a tiny install, and what the tests use).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_tasks_backend = env_str("DUCHA_TASKS_BACKEND", "database")
if _tasks_backend not in _TASK_BACKENDS:
    raise ConfigError(f"DUCHA_TASKS_BACKEND must be database or immediate, not {_tasks_backend!r}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_tasks_backend], "QUEUES": ["default"]}}
# Imports of more rows than this run as a background job; smaller ones in the request.
DUCHA_IMPORT_SYNC_ROWS = env_int("DUCHA_IMPORT_SYNC_ROWS", 2000)
# `ducha scheduler`: the working-day reminders at this local time (HH:MM).
DUCHA_REMIND_AT = env_str("DUCHA_REMIND_AT", "09:00")
# /healthz: unhealthy when the oldest queued job waits longer than this many seconds, or the
# data directory's disk has less free space than this many MiB.
DUCHA_HEALTH_QUEUE_SECONDS = env_int("DUCHA_HEALTH_QUEUE_SECONDS", 600)
DUCHA_HEALTH_DISK_MB = env_int("DUCHA_HEALTH_DISK_MB", 1024)

# One cache for every process on the machine (web servers, workers): job progress lives here.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}

# DUCHA_LOG_FORMAT=json: one JSON object a line (for journald or a log collector); each
# request is one line of the `ducha.access` logger (method, path, status, time, user).
LOG_FORMAT = env_str("DUCHA_LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ConfigError(f"DUCHA_LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("DUCHA_LOG_LEVEL", "WARNING")},
    "loggers": {
        "ducha.access": {"level": env_str("DUCHA_ACCESS_LOG_LEVEL", "INFO")},
        "ducha.jobs": {"level": "INFO"},
    },
}
