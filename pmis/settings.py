"""PMIS settings, read from the environment.

Defaults suit a developer's machine (SQLite in var/, Celery tasks run in-process).
Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and
CELERY_BROKER_URL; with DEBUG off the settings refuse to start without a real secret key.
"""

import datetime
import os
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    value = env(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    value = env(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envfraction(name: str, default: str) -> Decimal:
    value = env(name, default)
    try:
        fraction = Decimal(value)
        if not Decimal(0) <= fraction <= Decimal(1):
            raise ArithmeticError
    except ArithmeticError:
        raise ImproperlyConfigured(f"{name} must be a fraction from 0 to 1 (0.05 is 5%), not {value!r}") from None
    return fraction


def envmonthday(name: str, default: str) -> tuple[int, int]:
    value = env(name, default)
    try:
        month, day = (int(part) for part in value.split("-"))
        datetime.date(2000, month, day)  # a leap year, so 02-29 is allowed
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a month and day as MM-DD (04-30), not {value!r}") from None
    return month, day


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "true")

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
elif not DEBUG and SECRET_KEY.startswith("change-me"):
    raise ImproperlyConfigured("SECRET_KEY is still the example's placeholder (deploy/pmis.env): set a random one")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "organisation",
    "indicators",
    "plans",
    "reviews",
    "outbox",
    "public",
    "demo",
    "imports",
    "risks",
]

MIDDLEWARE = [
    "pmis.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves the collected static files under gunicorn (DEBUG off); the development server
    # serves them itself.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pmis.private.PrivateAnswersMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "organisation.two_factor.TwoFactorMiddleware",
    "organisation.oidc.SessionRefresh",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pmis.urls"

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
                "pmis.context_processors.layout",
            ],
        },
    },
]

WSGI_APPLICATION = "pmis.wsgi.application"

(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'pmis.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", "0"),
    )
}

AUTH_USER_MODEL = "organisation.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves the files `collectstatic` gathered, under names carrying a hash of
# their content (and gzip copies), so WhiteNoise can tell browsers to keep them for a
# year; a changed file gets a new name. Development serves the sources as they are.
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Production hardening: on whenever DEBUG is off, each switch overridable for a
# deployment behind a TLS-terminating proxy that needs it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(not DEBUG))
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Everything from the site itself: no inline scripts or styles anywhere (charts use SVG
# attributes, never style attributes), in development too so that the browser tests
# catch anything inline.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Celery. With no broker configured, tasks run in-process so the embedded
# default needs nothing else running.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", "pmis")
# Whether a task is acknowledged before or after it runs, and given back if its worker is
# lost, is decided beside each task by whether it is safe to run twice.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Workers log through LOGGING (JSON lines with request ids), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The scheduled jobs `celery -A pmis beat` starts (times in TIME_ZONE).
CELERY_BEAT_SCHEDULE = {
    # Emails that could not be queued (Redis down) or failed to send.
    "deliver-pending-emails": {"task": "outbox.tasks.deliver_pending_emails", "schedule": 300},
    # Re-rate after a tolerance policy whose re-rating was never queued.
    "ratings-check": {"task": "indicators.tasks.ratings_check", "schedule": crontab(hour=2, minute=30)},
    # Overdue returns, and returns due in PMIS_REMINDER_WORKING_DAYS working days.
    "return-reminders": {
        "task": "indicators.tasks.send_return_reminders",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon-fri"),
    },
    # One email per owner of overdue actions, once a day.
    "overdue-actions": {"task": "reviews.tasks.remind_overdue_actions", "schedule": crontab(hour=7, minute=15)},
    # One email a week to each owner of risks whose quarterly review is overdue.
    "risk-reviews": {"task": "risks.tasks.remind_overdue_reviews", "schedule": crontab(hour=7, minute=30)},
    # Import runs stuck in progress (their task lost or their worker dead).
    "import-runs-sweep": {"task": "imports.tasks.sweep_import_runs", "schedule": 300},
}
# The email sweep sends unsent emails older than this (newer ones are still on their way).
PMIS_EMAIL_SWEEP_AFTER_SECONDS = envint("PMIS_EMAIL_SWEEP_AFTER_SECONDS", "120")
# How long /health/ waits for Celery workers to answer a ping (seconds).
PMIS_HEALTH_WORKER_TIMEOUT = float(env("PMIS_HEALTH_WORKER_TIMEOUT", "1"))

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "organisation.oidc.CouncilAccountBackend",
]
# Sign-in throttling: after 5 failed attempts for a username from one address, that
# username is locked out from that address for an hour.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The visitor's address behind this many proxies (nginx: 1; a load balancer in front of
# nginx: 2), each appending to X-Forwarded-For; 0 when gunicorn is reached directly.
PMIS_PROXY_COUNT = envint("PMIS_PROXY_COUNT", "0")
AXES_CLIENT_IP_CALLABLE = "pmis.client_ip.client_ip"

# Sign-in: sessions end after a working day, or when the browser closes.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "indicators:home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 60 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Single sign-on with the council's own accounts through OpenID Connect (Microsoft Entra ID,
# Google Workspace or any standard provider): organisation/oidc.py, README "Single sign-on".
# Off unless PMIS_OIDC_ISSUER is set.
PMIS_OIDC_ISSUER = env("PMIS_OIDC_ISSUER").rstrip("/")
OIDC_RP_CLIENT_ID = env("PMIS_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env("PMIS_OIDC_CLIENT_SECRET")
if PMIS_OIDC_ISSUER and not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
    raise ImproperlyConfigured("PMIS_OIDC_ISSUER needs PMIS_OIDC_CLIENT_ID and PMIS_OIDC_CLIENT_SECRET")
OIDC_RP_SCOPES = env("PMIS_OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = env("PMIS_OIDC_SIGN_ALGO", "RS256")
# The provider's endpoints: read from its discovery document (ISSUER/.well-known/openid-configuration)
# the first time someone signs in, unless set here.
OIDC_OP_AUTHORIZATION_ENDPOINT = env("PMIS_OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env("PMIS_OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env("PMIS_OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env("PMIS_OIDC_JWKS_ENDPOINT")
PMIS_OIDC_END_SESSION_ENDPOINT = env("PMIS_OIDC_END_SESSION_ENDPOINT")
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the hint for signing out of the provider too
OIDC_TIMEOUT = envint("PMIS_OIDC_TIMEOUT_SECONDS", "10")
# ID tokens are accepted this many seconds either side of their times (clocks differ a little).
PMIS_OIDC_CLOCK_SKEW_SECONDS = envint("PMIS_OIDC_CLOCK_SKEW_SECONDS", "120")
# Sessions are renewed against the provider after this long: someone disabled there is signed out.
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = envint("PMIS_OIDC_RENEW_SECONDS", "900")
# People are matched by email address, only where this claim says the provider verified it
# (Microsoft Entra ID: the optional claim xms_edov), and only from these domains (any if empty).
PMIS_OIDC_EMAIL_VERIFIED_CLAIM = env("PMIS_OIDC_EMAIL_VERIFIED_CLAIM", "email_verified")
PMIS_OIDC_EMAIL_DOMAINS = [domain.lower() for domain in envlist("PMIS_OIDC_EMAIL_DOMAINS")]
# Optional: PMIS roles given and taken by the provider's groups, as role=group pairs
# ("performance_team=3f2c...,officer=9a1b..."); other roles stay as the performance team sets them.
PMIS_OIDC_GROUPS_CLAIM = env("PMIS_OIDC_GROUPS_CLAIM", "groups")
PMIS_OIDC_ROLE_GROUPS = [tuple(pair.split("=", 1)) for pair in envlist("PMIS_OIDC_ROLE_GROUPS")]
if any(len(pair) != 2 for pair in PMIS_OIDC_ROLE_GROUPS):
    raise ImproperlyConfigured("PMIS_OIDC_ROLE_GROUPS must be role=group pairs separated by commas")
# Someone the provider vouches for with no PMIS account: refused (refuse), or given an
# account with no role, for the performance team to give one (create).
PMIS_OIDC_UNKNOWN_PEOPLE = env("PMIS_OIDC_UNKNOWN_PEOPLE", "refuse")
if PMIS_OIDC_UNKNOWN_PEOPLE not in ("refuse", "create"):
    raise ImproperlyConfigured(f"PMIS_OIDC_UNKNOWN_PEOPLE must be refuse or create, not {PMIS_OIDC_UNKNOWN_PEOPLE!r}")
# Who people refused are told to ask.
PMIS_OIDC_CONTACT = env("PMIS_OIDC_CONTACT", "the performance team")
# Password sign-in: off once single sign-on is on, except for one named superuser (the
# break-glass account, for when the provider is down), who also needs a two-factor code.
PMIS_PASSWORD_SIGN_IN = envbool("PMIS_PASSWORD_SIGN_IN", "true")
PMIS_BREAK_GLASS_USERNAME = env("PMIS_BREAK_GLASS_USERNAME")
if not PMIS_PASSWORD_SIGN_IN and not PMIS_OIDC_ISSUER:
    raise ImproperlyConfigured("PMIS_PASSWORD_SIGN_IN can be off only with single sign-on on (PMIS_OIDC_ISSUER)")
# Signing out (a form) ends at the provider's end_session_endpoint: the policy lets forms lead
# there (the issuer's host; the end-session endpoint's, where set apart).
SECURE_CSP["form-action"] += [
    "{0.scheme}://{0.netloc}".format(urlsplit(url)) for url in (PMIS_OIDC_ISSUER, PMIS_OIDC_END_SESSION_ENDPOINT) if url
]

# Email: printed to the console in development; SMTP in production.
MAILERS = {
    "default": {
        "BACKEND": env(
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
    }
}
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env("EMAIL_HOST", "localhost"),
        "port": envint("EMAIL_PORT", "25"),
        "username": env("EMAIL_HOST_USER"),
        "password": env("EMAIL_HOST_PASSWORD"),
        "use_tls": envbool("EMAIL_USE_TLS", "false"),
    }
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "performance@localhost")

# The performance framework's defaults (docs/domain.md).
PMIS_COUNCIL_NAME = env("PMIS_COUNCIL_NAME", "Fernley Borough Council")
# The address people reach PMIS at, for links in emails.
# The name authenticator apps show for PMIS accounts.
OTP_TOTP_ISSUER = PMIS_COUNCIL_NAME
PMIS_BASE_URL = env("PMIS_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# A return is due this many working days after its period ends.
PMIS_RETURN_DUE_WORKING_DAYS = envint("PMIS_RETURN_DUE_WORKING_DAYS", "15")
# Reminders: returns due in this many working days; overdue returns of periods due in this
# many past days (older ones are for the performance team to chase, not a daily email).
PMIS_REMINDER_WORKING_DAYS = envint("PMIS_REMINDER_WORKING_DAYS", "3")
PMIS_OVERDUE_REMINDER_DAYS = envint("PMIS_OVERDUE_REMINDER_DAYS", "90")
# Statistical process control needs at least this many figures in the baseline.
PMIS_SPC_MIN_POINTS = envint("PMIS_SPC_MIN_POINTS", "12")
if PMIS_SPC_MIN_POINTS < 2:
    raise ImproperlyConfigured("PMIS_SPC_MIN_POINTS must be 2 or more")
# A figure that changes by more than this share of the previous period's is queried on entry.
PMIS_FIGURE_JUMP_SHARE = envfraction("PMIS_FIGURE_JUMP_SHARE", "0.5")
# Service business plans must be approved by this day (MM-DD) of their first year.
PMIS_PLAN_SIGN_OFF_DEADLINE = envmonthday("PMIS_PLAN_SIGN_OFF_DEADLINE", "04-30")
# A financial year's targets must be signed off by this day (MM-DD) of its first year.
PMIS_TARGET_SIGN_OFF_DEADLINE = envmonthday("PMIS_TARGET_SIGN_OFF_DEADLINE", "04-30")
# Separation of duties: whoever entered or submitted a figure does not validate it, and whoever
# proposed a target does not sign it off. Off ("false") only for a very small team.
PMIS_SEPARATION_OF_DUTIES = envbool("PMIS_SEPARATION_OF_DUTIES", "true")

# Logs go to standard error: one JSON object per line in production (LOG_FORMAT=json),
# readable lines in development; each names its request id (pmis/logs.py).
LOG_FORMAT = env("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
# The public pages and open data (public/).
PMIS_OPEN_DATA_LICENCE = env("PMIS_OPEN_DATA_LICENCE", "Open Government Licence v3.0")
PMIS_OPEN_DATA_LICENCE_URL = env(
    "PMIS_OPEN_DATA_LICENCE_URL", "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
)
# How long a rendered public answer is kept for its data version, and how long browsers
# and proxies may reuse one before asking again (with If-None-Match).
PMIS_PUBLIC_CACHE_SECONDS = envint("PMIS_PUBLIC_CACHE_SECONDS", "300")
PMIS_PUBLIC_MAX_AGE = envint("PMIS_PUBLIC_MAX_AGE", "60")
# How long each process trusts its last reading of the published data's version.
PMIS_PUBLIC_VERSION_SECONDS = envint("PMIS_PUBLIC_VERSION_SECONDS", "5")

# Django's cache: each process's memory by default; Redis (shared by all the processes)
# when PMIS_CACHE_URL is set, e.g. redis://127.0.0.1:6379/1.
CACHE_URL = env("PMIS_CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "pmis.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "pmis.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # The access lines repeat what runserver prints in development.
    "loggers": {"pmis.access": {"level": env("ACCESS_LOG_LEVEL", "WARNING" if DEBUG else "INFO")}},
}

# Imports of spreadsheets (imports app): the largest upload accepted, and the limits a
# workbook's zip directory must keep to before it is opened (zip bombs are refused unopened).
PMIS_IMPORT_MAX_BYTES = envint("PMIS_IMPORT_MAX_BYTES", str(10 * 1024 * 1024))
PMIS_IMPORT_MAX_UNPACKED_BYTES = envint("PMIS_IMPORT_MAX_UNPACKED_BYTES", str(50_000_000))
PMIS_IMPORT_MAX_MEMBERS = envint("PMIS_IMPORT_MAX_MEMBERS", "500")
PMIS_IMPORT_MAX_ROWS = envint("PMIS_IMPORT_MAX_ROWS", "50000")
# The widest row and the most cells read: any file up to the upload limit is read or refused
# within about 2 s of CPU (bench/hostile_files.py).
PMIS_IMPORT_MAX_COLUMNS = envint("PMIS_IMPORT_MAX_COLUMNS", "200")
PMIS_IMPORT_MAX_CELLS = envint("PMIS_IMPORT_MAX_CELLS", "100000")
# An import queued, being checked or being applied that has not moved for this long is taken
# up again by the sweep (imports.tasks.sweep_import_runs).
PMIS_IMPORT_STUCK_SECONDS = envint("PMIS_IMPORT_STUCK_SECONDS", "900")
# Budget monitoring: a forecast outturn within this fraction over budget is Amber, beyond it Red.
PMIS_BUDGET_TOLERANCE = envfraction("PMIS_BUDGET_TOLERANCE", "0.02")
