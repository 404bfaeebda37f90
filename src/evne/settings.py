"""Django settings for Evne, read from the environment (see .env.example and docs/operations.md).

Development defaults are safe and need nothing installed; production values that must be given
(`SECRET_KEY`, `ALLOWED_HOSTS`) make the process refuse to start when they are missing.
"""

import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from evne.env import read_bool, read_int, read_list, read_secret, read_str

SOURCE_DIR = Path(__file__).resolve().parent
BASE_DIR = SOURCE_DIR.parent.parent
VAR_DIR = Path(read_str("EVNE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = read_bool("DEBUG", False)
# Writing or checking migrations reads the models only; it signs, sends and serves nothing. So it
# needs no production secrets, and a bare `makemigrations --check` checks the migrations.
MIGRATIONS_ONLY = sys.argv[1:2] == ["makemigrations"]

SECRET_KEY = read_secret("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or MIGRATIONS_ONLY):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (or SECRET_KEY_FILE), "
            "or DEBUG=true for development."
        )
    SECRET_KEY = "development-only-secret-key-never-use-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = read_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not ALLOWED_HOSTS and not (DEBUG or MIGRATIONS_ONLY):
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. Give the host names Evne is served under, comma-separated."
    )
CSRF_TRUSTED_ORIGINS = read_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "evne.core",
    "evne.accounts",
    "evne.organization",
    "evne.competence",
    "evne.analysis",
    "evne.learning",
    "evne.plans",
    "evne.demo",
    "evne.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "auditlog",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "evne.core.middleware.BokmalFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # In production the app server serves the collected static files; in development
    # Django's own static view does, without a collectstatic step.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "evne.urls"
WSGI_APPLICATION = "evne.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "evne.core.context_processors.navigation",
            ],
        },
    },
]

# Database: DATABASE_URL, or an embedded SQLite file under var/.
SQLITE_OPTIONS = {
    # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue (up to the timeout) instead of failing with "database is locked".
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
DATABASES = {
    "default": dj_database_url.parse(
        read_secret("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'evne.sqlite3'}",
        conn_max_age=read_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    # SQLite creates the file but not its folder; a fresh clone has no var/ yet.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts
AUTH_USER_MODEL = "accounts.User"
# Password sign-in can be switched off when single sign-on is in use; superusers keep it, at
# /admin/login/, to get in when the identity provider is down (break-glass, docs/integration.md).
EVNE_PASSWORD_LOGIN = read_bool("EVNE_PASSWORD_LOGIN", True)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend"
    if EVNE_PASSWORD_LOGIN
    else "evne.accounts.oidc.BreakGlassBackend",
]
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

# Sessions end after EVNE_SESSION_MINUTES without activity (shared devices in care).
SESSION_COOKIE_AGE = read_int("EVNE_SESSION_MINUTES", 60) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Failed logins: throttled per username and address together, never per address alone,
# because a whole town hall shares one address.
AXES_FAILURE_LIMIT = read_int("EVNE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = read_int("EVNE_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "evne.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "evne.accounts.addresses.client_address"
EVNE_PROXY_COUNT = read_int("EVNE_PROXY_COUNT", 0)
AXES_VERBOSE = False  # its log lines name the username
# A single sign-on callback is no password guess (the provider throttles its own sign-ins); counted,
# it would lock everyone at a shared address out of single sign-on.
AXES_WHITELIST_CALLABLE = "evne.accounts.oidc.is_single_sign_on"

# Single sign-on with OpenID Connect (docs/integration.md). Off while no issuer is set. The
# provider's endpoints come from its discovery document, fetched at the first sign-in.
EVNE_OIDC_ISSUER = read_str("EVNE_OIDC_ISSUER", "").strip().rstrip("/")
EVNE_OIDC_PROVIDER_NAME = read_str("EVNE_OIDC_PROVIDER_NAME", "Microsoft Entra ID")
# The claim that says who signed in, and the Person field it must equal (email or
# employee_number).
EVNE_OIDC_MATCH_CLAIM = read_str("EVNE_OIDC_MATCH_CLAIM", "email")
EVNE_OIDC_MATCH_FIELD = read_str("EVNE_OIDC_MATCH_FIELD", "email")
if EVNE_OIDC_MATCH_FIELD not in {"email", "employee_number"}:
    raise ImproperlyConfigured("EVNE_OIDC_MATCH_FIELD must be email or employee_number.")
# Role grants from a claim, synced at every sign-in: "claim value=role:unit code, …".
EVNE_OIDC_ROLE_CLAIM = read_str("EVNE_OIDC_ROLE_CLAIM", "")


def read_role_map(name: str) -> list[tuple[str, str, str]]:
    """(claim value, role, unit code) from "evne-hr=hr:K,evne-analytiker=analyst:K"."""
    role_map = []
    for entry in read_list(name, []):
        claim_value, _equals, grant = entry.partition("=")
        role, _colon, unit_code = grant.partition(":")
        parts = (claim_value.strip(), role.strip(), unit_code.strip())
        if not all(parts):
            raise ImproperlyConfigured(f"{name} entries look like evne-hr=hr:K, not {entry!r}.")
        role_map.append(parts)
    return role_map


EVNE_OIDC_ROLE_MAP = read_role_map("EVNE_OIDC_ROLE_MAP")
OIDC_RP_CLIENT_ID = read_str("EVNE_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = read_secret("EVNE_OIDC_CLIENT_SECRET") or ""
OIDC_RP_SCOPES = read_str("EVNE_OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = read_int("EVNE_OIDC_TIMEOUT_SECONDS", 10)
if EVNE_OIDC_ISSUER:
    AUTHENTICATION_BACKENDS.append("evne.accounts.oidc.SingleSignOnBackend")
elif not EVNE_PASSWORD_LOGIN:
    raise ImproperlyConfigured(
        "EVNE_PASSWORD_LOGIN=false needs single sign-on: set EVNE_OIDC_ISSUER as well."
    )

# Language and time
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LOCALE_PATHS = [SOURCE_DIR / "locale"]
FORMAT_MODULE_PATH = ["evne.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True

# Uploaded files (import files kept with their batch). They hold personal data and are never
# served by URL.
MEDIA_ROOT = Path(read_str("EVNE_MEDIA_DIR", str(VAR_DIR / "media")))

# Static files
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security: strict unless explicitly relaxed for a plain-HTTP development server.
SECURE = read_bool("EVNE_SECURE", not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and read_bool("EVNE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = read_int("EVNE_HSTS_SECONDS", 31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if read_bool("EVNE_BEHIND_PROXY", False) else None
)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Audit log: who changed what, and who opened whose profile. Not the address: a forwarded
# address can be forged, and the address of a shared PC says nothing about the person.
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = True

# Logging: never personal data; the request log shows paths with ids, not names.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": read_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Email (notices of enrolments and waiting lists): printed to the console in development.
EMAIL_BACKEND = read_str(
    "EVNE_EMAIL_BACKEND",
    f"django.core.mail.backends.{'console' if DEBUG else 'smtp'}.EmailBackend",
)
EMAIL_HOST = read_str("EMAIL_HOST", "localhost")
EMAIL_PORT = read_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = read_str("DEFAULT_FROM_EMAIL", "evne@localhost")

EVNE_DEMO_EMPLOYEES = read_int("EVNE_DEMO_EMPLOYEES", 10_000)
# A full-sync import refuses to end more than this share of current positions unless forced.
EVNE_FULL_SYNC_LIMIT_PERCENT = read_int("EVNE_FULL_SYNC_LIMIT_PERCENT", 10)
# Evidence files of competence records (PDF or pictures) may not be larger than this.
EVNE_EVIDENCE_MAX_BYTES = read_int("EVNE_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# A record that expires within this many days counts as expiring (the gap engine, the pages).
EVNE_EXPIRY_WINDOW_DAYS = read_int("EVNE_EXPIRY_WINDOW_DAYS", 90)
# Notices (`evne remind`): how early an assignment's due date is recalled, and the address of
# Evne that the links in the emails lead to.
EVNE_REMIND_DAYS_BEFORE_DUE = read_int("EVNE_REMIND_DAYS_BEFORE_DUE", 14)
EVNE_BASE_URL = read_str("EVNE_BASE_URL", "http://127.0.0.1:8000")

# The coverage pages cached per session until the data changes (evne.core.freshness), in files
# that every server process on the machine shares: a page computed by one worker serves the next
# request whichever worker takes it. Entries are whole pages, some tens of kilobytes each.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": read_str("EVNE_CACHE_DIR", str(VAR_DIR / "cache")),
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

# REST API (docs/integration.md): tokens, pagination, the one error body, the OpenAPI schema.
EVNE_API_TOKEN_DAYS = read_int("EVNE_API_TOKEN_DAYS", 365)
EVNE_API_MAX_PAGE_SIZE = read_int("EVNE_API_MAX_PAGE_SIZE", 500)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "evne.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "evne.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "evne.api.errors.handle_exception",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Evne API",
    "DESCRIPTION": "Units, people, positions, the competence catalog, records and requirements.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "evne.api.schema.add_error_responses",
    ],
}
