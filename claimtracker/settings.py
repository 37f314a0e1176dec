"""Settings for ClaimTracker.

Development defaults run with no configuration at all: the database is an embedded PostgreSQL under
`var/pgdata` unless `DATABASE_URL` is set. Production values come from the environment.
"""

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from claimtracker.database import database_config, var_dir

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = var_dir()


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


DEBUG = _env_flag("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django_htmx",
    "axes",  # login throttling
    # articles before django_tasks_db: its db_worker command (with lost-task recovery) wins.
    "articles",
    "claims",
    "sources",
    "analysis",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Pages kept while the database is unchanged, shared by those who may see the same (after the user
    # and their messages are known).
    "claimtracker.pagecache.PageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "claimtracker.middleware.DatabaseUnavailableMiddleware",  # a lost database → 503 "nothing was saved"
    "claimtracker.middleware.HoldPostsForTestsMiddleware",  # only when CLAIMTRACKER_TEST_HOLD_POSTS is set
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]
if not DEBUG:
    # Without DEBUG nothing else serves /static/: WhiteNoise serves what `collectstatic` put in STATIC_ROOT,
    # from our own origin, so the Content-Security-Policy stays as it is.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "claimtracker.urls"

# Widgets render with the project's templates, so templates/django/forms/ can override Django's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "claimtracker.pagecache.viewer",  # after Django's csrf: a shared page holds a placeholder
            ],
        },
    },
]

WSGI_APPLICATION = "claimtracker.wsgi.application"

DATABASES = {"default": database_config(VAR_DIR / "pgdata")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "document-list"
LOGOUT_REDIRECT_URL = "document-list"

# Sign-in throttling (django-axes): 5 failed attempts for one username from one address lock that pair
# out for 15 minutes; a successful sign-in clears the count. The axes backend comes first so a locked-out
# pair is refused before its password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/login.html"

# A session lasts a working day at most, and ends when the browser closes.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Production (DEBUG off) is served over HTTPS only, so `manage.py check --deploy` reports nothing.
# DJANGO_HTTPS=false serves production settings over plain HTTP, for loopback benchmarks only.
HTTPS = _env_flag("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER"):
    # Behind a proxy that ends TLS: the header it sets to "https", e.g. HTTP_X_FORWARDED_PROTO.
    SECURE_PROXY_SSL_HEADER = (os.environ["DJANGO_SECURE_PROXY_SSL_HEADER"], "https")

# Content-Security-Policy: everything comes from our own origin. Scraped news text is the main XSS risk,
# so no inline script or style and no eval anywhere: page scripts are static files, htmx is configured
# (meta htmx-config in base.html) to need neither inline styles nor eval.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# The longest a page is kept while the database does not change (0: never); see claimtracker.pagecache.
# Each web worker keeps its own (local memory).
PAGE_CACHE_SECONDS = float(os.environ.get("CLAIMTRACKER_PAGE_CACHE_SECONDS", "60"))

# Ingestion refuses files above this size before reading them, so memory stays bounded.
INGEST_MAX_FILE_BYTES = int(os.environ.get("CLAIMTRACKER_INGEST_MAX_MB", "25")) * 1024 * 1024

# Uploads through the web page: at most this many files (a .zip counts its entries) and bytes in all.
UPLOAD_MAX_FILES = int(os.environ.get("CLAIMTRACKER_UPLOAD_MAX_FILES", "200"))
UPLOAD_MAX_TOTAL_BYTES = int(os.environ.get("CLAIMTRACKER_UPLOAD_MAX_TOTAL_MB", "200")) * 1024 * 1024
# Django refuses a request with more files than this before our own count check can explain the limit.
DATA_UPLOAD_MAX_NUMBER_FILES = UPLOAD_MAX_FILES * 2

# Background work: django.tasks on a PostgreSQL queue (django-tasks-db). Workers are `manage.py db_worker`
# processes, on this machine or any other with the same DATABASE_URL.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A running task whose worker died (its database session, and so its lease, is gone) is enqueued again by
# any live worker once it has been running this long; a live worker takes its lease within milliseconds.
TASKS_LOST_AFTER_SECONDS = float(os.environ.get("CLAIMTRACKER_TASKS_LOST_AFTER_SECONDS", "10"))
# Extraction loads pending documents up to about this much text at a time (`articles.tasks.pending_chunks`):
# each task of a big file takes one such chunk, so several workers share it, and `manage.py extract` works
# through them one by one, so memory stays bounded while spaCy still gets batches.
EXTRACT_TASK_MAX_CHARS = int(os.environ.get("CLAIMTRACKER_EXTRACT_TASK_MAX_CHARS", "40000"))
# Tests only: seconds an extraction task sleeps after taking its documents, before storing any, so a test
# can kill its worker with the task taken and its documents not yet extracted.
EXTRACT_TEST_DELAY_SECONDS = float(os.environ.get("CLAIMTRACKER_TEST_EXTRACT_DELAY", "0"))
