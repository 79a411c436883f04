"""Django settings, read from the environment (issue 5 §1: secure defaults, DEBUG only in
demo mode).

Environment:
  ``TANJILIANG_SECRET_KEY``  required unless ``TANJILIANG_DEMO=1``;
  ``DATABASE_URL``           any dj-database-url URL (default: SQLite in the user data dir);
  ``TANJILIANG_DEMO``        ``1`` → DEBUG on, a fixed demo secret, loopback hosts only;
  ``TANJILIANG_ALLOWED_HOSTS`` comma-separated (default ``127.0.0.1,localhost``);
  ``TANJILIANG_DATA_DIR``    where the SQLite database and uploaded files live
                             (default: platformdirs user data dir);
  ``TANJILIANG_HTTPS``       ``1`` → secure cookies, HSTS and SSL redirect;
  ``TANJILIANG_AS_OF``       assess as of this ISO date instead of today.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from platformdirs import user_data_dir

HERE = Path(__file__).resolve().parent


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in {"1", "true", "yes", "on"}


DEMO = _flag("TANJILIANG_DEMO")
DEBUG = DEMO and not _flag("TANJILIANG_NO_DEBUG")
DATA_DIR = Path(os.environ.get("TANJILIANG_DATA_DIR") or user_data_dir("tanjiliang", appauthor=False))

SECRET_KEY = os.environ.get("TANJILIANG_SECRET_KEY", "")
if not SECRET_KEY:
    if DEMO:
        SECRET_KEY = "tanjiliang-demo-only-not-secret"
    else:
        raise ImproperlyConfigured(
            "TANJILIANG_SECRET_KEY is not set (set it, or run `tanjiliang serve --demo`)")

ALLOWED_HOSTS = [h.strip() for h in os.environ.get(
    "TANJILIANG_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get(
    "TANJILIANG_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "tanjiliang.web.core",
    "tanjiliang.web.review",
    "tanjiliang.web.month",
    "axes",  # login and token throttling with lockout (docs/security.md)
    "ninja",  # /api/docs from local static files: the CSP allows no CDN, no inline script
]
# Apps added by other parts of the project (e.g. the review workflow, issue 6).
INSTALLED_APPS += [a for a in os.environ.get("TANJILIANG_EXTRA_APPS", "").split(",") if a]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tanjiliang.web.core.security.UploadLimitMiddleware",
    "tanjiliang.web.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tanjiliang.web.core.guard.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tanjiliang.web.core.concurrency.RevisionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tanjiliang.web.core.i18n.LanguageMiddleware",
    "tanjiliang.web.core.errors.ErrorPageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tanjiliang.web.urls"
WSGI_APPLICATION = "tanjiliang.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tanjiliang.web.core.i18n.context",
            ],
            "builtins": ["tanjiliang.web.core.templatetags.tj"],
        },
    }
]
if not DEBUG:
    TEMPLATES[0]["APP_DIRS"] = False
    TEMPLATES[0]["OPTIONS"]["loaders"] = [  # type: ignore[index]
        ("django.template.loaders.cached.Loader", [
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ])
    ]


#: WAL, a busy timeout and immediate write transactions let several server workers share
#: one SQLite file without "database is locked".
SQLITE_OPTIONS = {"timeout": 20, "transaction_mode": "IMMEDIATE",
                  "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        db = dj_database_url.parse(
            url, conn_max_age=int(os.environ.get("TANJILIANG_CONN_MAX_AGE", "600")),
            conn_health_checks=os.environ.get("TANJILIANG_CONN_HEALTH_CHECKS", "1") != "0")
    else:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "tanjiliang.sqlite3")}
    if db["ENGINE"] == "django.db.backends.sqlite3" and db.get("NAME") != ":memory:":
        db["OPTIONS"] = {**SQLITE_OPTIONS, **db.get("OPTIONS", {})}
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [] if DEMO else [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend",
                           "tanjiliang.web.core.auth.RoleBackend"]

# Abuse limits (issue 18 §5, docs/security.md "Limits"). Login (the form and POST
# /api/auth/token): after TANJILIANG_LOGIN_FAILURES wrong passwords for one user name from one
# address, that pair is locked for TANJILIANG_LOCKOUT_MINUTES (the right password too).
AXES_FAILURE_LIMIT = int(os.environ.get("TANJILIANG_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("TANJILIANG_LOCKOUT_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tanjiliang.web.core.security.lockout"
AXES_VERBOSE = False
#: Upload limits per kind, bytes (web/core/security.py); TANJILIANG_UPLOAD_MAX_<KIND>.
UPLOAD_LIMITS = {k: int(os.environ[f"TANJILIANG_UPLOAD_MAX_{k.upper()}"])
                 for k in ("unit", "ledger", "readings", "certificate", "evidence", "other")
                 if os.environ.get(f"TANJILIANG_UPLOAD_MAX_{k.upper()}")}
#: Reading an uploaded unit file or ledger: time and memory limits (web/core/bounded.py).
IMPORT_SECONDS = float(os.environ.get("TANJILIANG_IMPORT_SECONDS", "60"))
IMPORT_MEMORY_MB = int(os.environ.get("TANJILIANG_IMPORT_MEMORY_MB", "2048"))
#: Signing keys are encrypted under a key derived from this (web/review/keys.py).
SIGNING_KEY_SECRET = os.environ.get("TANJILIANG_SIGNING_SECRET", "")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "unit-list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = os.environ.get("TANJILIANG_TIME_ZONE", "Asia/Shanghai")
# The UI language is chosen per request by core.i18n (``?lang=``, then a cookie); Chinese is the
# source language of every text, the other languages are gettext catalogues in web/locale,
# compiled and committed (python -m tanjiliang.i18n.sweep). The admin uses Django's own.
USE_I18N = True
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [HERE / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [HERE / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from finders until collectstatic
MEDIA_ROOT = Path(os.environ.get("TANJILIANG_MEDIA_ROOT") or DATA_DIR / "files")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
                    if not DEBUG else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

#: Assess as of this date instead of today (ISO date; for reproducible demos and tests).
AS_OF = os.environ.get("TANJILIANG_AS_OF") or None

#: Reminder e-mails (issue 14 §5, web/month/reminders.py): Django's e-mail backend; the
#: console backend (printed) unless TANJILIANG_EMAIL_BACKEND names another (with Django's
#: EMAIL_HOST etc. from TANJILIANG_EMAIL_HOST / _PORT / _USER / _PASSWORD / _TLS).
EMAIL_BACKEND = os.environ.get("TANJILIANG_EMAIL_BACKEND",
                               "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("TANJILIANG_EMAIL_FROM", "tanjiliang@localhost")
EMAIL_HOST = os.environ.get("TANJILIANG_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("TANJILIANG_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("TANJILIANG_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TANJILIANG_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _flag("TANJILIANG_EMAIL_TLS")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "LOCATION": "tanjiliang"}}

# Secure defaults (issue 5 §1).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "tanjiliang.web.core.errors.csrf_failure"  # our page, in the user's language
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if _flag("TANJILIANG_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TANJILIANG_LOG_LEVEL", "WARNING")},
}
