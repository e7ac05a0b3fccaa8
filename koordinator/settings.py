"""Settings for Koordinator, all from the environment.

KOORDINATOR_ENV chooses the mode: ``production`` (the default: fail closed), ``development``
(``make run``: DEBUG on, a throwaway key) or ``test``. Production refuses to start without
SECRET_KEY and ALLOWED_HOSTS, so a forgotten variable never yields an unsafe server.

Variables: SECRET_KEY, ALLOWED_HOSTS (comma-separated), CSRF_TRUSTED_ORIGINS, DATABASE_URL
(default: SQLite in var/), DATABASE_PREPARED_STATEMENTS (``1``: PostgreSQL prepares the
statements it runs again; see the README's «Performance»),
EMAIL_HOST/EMAIL_PORT/EMAIL_HOST_USER/EMAIL_HOST_PASSWORD/EMAIL_USE_TLS, DEFAULT_FROM_EMAIL,
MEDIA_ROOT, STATIC_ROOT, SECURE_SSL_REDIRECT,
SECURE_PROXY_SSL_HEADER (``1`` behind a TLS-terminating proxy that sets X-Forwarded-Proto),
TIME_ZONE, UPLOAD_MAX_MB, SITE_URL (for links in e-mails).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
ENV = os.environ.get("KOORDINATOR_ENV", "production").strip().lower()
if ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(
        f"KOORDINATOR_ENV={ENV!r}: expected production, development or test."
    )
PRODUCTION = ENV == "production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG", ENV == "development")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production mode refuses to start without it "
            "(set KOORDINATOR_ENV=development for a local run)."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. Production mode refuses to start without the host names "
        "it serves (comma-separated)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The address people reach the site at: links in e-mails sent outside a request (invitations
# sent by a background task, reminders) are built on it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "koordinator.core",
    "koordinator.accounts",
    "koordinator.bodies",
    "koordinator.meetings",
    "koordinator.documents",
    "koordinator.control",
    "koordinator.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

if PRODUCTION:
    # Serves the collected static files (manage.py collectstatic) without a separate server.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

AUTHENTICATION_BACKENDS = ["koordinator.accounts.backends.Backend"]

ROOT_URLCONF = "koordinator.urls"
WSGI_APPLICATION = "koordinator.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "koordinator" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "koordinator.core.context_processors.navigation",
            ],
            "builtins": [
                "template_partials.templatetags.partials",
                "koordinator.core.templatetags.links",
            ],
        },
    },
    # The rows of long tables (the inbox, the control register, a body's composition):
    # Django's template engine spends 6-8 ms on 50 rows, Jinja2 about 1 ms. Row templates live
    # in <app>/jinja2/ and are rendered by koordinator.core.rows.render_rows; the pages around
    # them stay Django templates. Jinja2 is already installed for docxtpl's Word templates.
    {
        "NAME": "rows",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "koordinator.core.rows.environment"},
    },
]

# Databases. SQLite (the embedded default) runs in WAL mode with synchronous=FULL, so a
# committed transaction survives a power cut, and takes the write lock at BEGIN (IMMEDIATE)
# so that concurrent writers wait instead of failing on a lock upgrade.
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "var"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Pages run short queries; PostgreSQL's JIT compiler, switched on by cost estimates on
        # large tables, cost more than the query itself (0.8 s of a 0.85 s inbox at scale).
        # The default random_page_cost (4) is for spinning disks: with it the planner
        # preferred hash joins over whole tables to index lookups (the register's rows 4.8 ms
        # → 1.5 ms with 1.1, the usual value for SSDs and a database that fits in memory).
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
            "options", "-c jit=off -c random_page_cost=1.1"
        )
        if env_bool("DATABASE_PREPARED_STATEMENTS", False):
            # Parameters bound by the server and each statement prepared on its second run in
            # a connection: PostgreSQL then neither parses nor plans it again (planning was
            # most of its time on the protocol pages). Off by default, as in Django: a pooler
            # in transaction mode (PgBouncer before 1.21, or without max_prepared_statements)
            # hands a connection's prepared statements to another client.
            DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=1)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "koordinator.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Russian only, whatever the browser asks for: the interface has no other translation, and
# with a language chosen per request (LocaleMiddleware) Django's own messages turned English
# for a browser set to English. Not choosing also saves every request that work.
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "koordinator" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# Background work (reminders, the mail outbox) goes through Django's tasks API; the database
# backend keeps the queue in the same database, and `manage.py db_worker` runs it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

UPLOAD_MAX_MB = int(os.environ.get("UPLOAD_MAX_MB", "20"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "koordinator@localhost")
if ENV == "development" and "EMAIL_HOST" not in os.environ:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Security. Cookies are secure and HTTPS is enforced in production; the proxy header is
# trusted only when the operator says a proxy sets it.
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, with the per-request read compiled once (accounts/sessions.py).
SESSION_ENGINE = "koordinator.accounts.sessions"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = ["security.W021"]  # HSTS preload is the operator's decision

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
