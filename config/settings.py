"""Settings, read from the environment only; every value has a safe default for a local try-out."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Without SECRET_KEY a fixed local key is used; `check --deploy` flags it.
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-local-try-out-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_filters",
    "guardian",
    "axes",
    "django_htmx",
    "dui",
    "transmissions",
    "ppa",
    "soins",
    "activities",
    "admissions",
    "interop",
    "pilotage",
    "continuity",
    "portal",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dui.middleware.ApiNoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dui.middleware.SessionActivityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dui.middleware.ActiveMembershipMiddleware",
    "portal.middleware.PortalSeparationMiddleware",
    "axes.middleware.AxesMiddleware",
    "dui.middleware.DomainErrorMiddleware",
    "config.db_router.PilotageReplicaMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "dui.context_processors.active_membership",
            ],
        },
    },
]

# --- Database: DATABASE_URL, or an embedded SQLite file for a local try-out.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A PostgreSQL read replica for the pilotage reads (config/db_router.py); in tests it mirrors default.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["config.db_router.PilotageReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Celery: REDIS_URL, or tasks run eagerly in the web process (announced at start).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Paris"

# --- Accounts, login, sessions.
AUTH_USER_MODEL = "dui.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
    "interop.psc.backend.ProSanteConnectBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Portal invitations (portail usager / famille): the one-time link's lifetime.
PORTAL_INVITATION_HOURS = int(os.environ.get("PORTAL_INVITATION_HOURS", "72"))
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle timeout for shared ward PCs: the session expires after N minutes without a request
# (dui.middleware.SessionActivityMiddleware pushes the expiry back, at most once a minute).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
# Lock by username only: a whole ward shares one PC and one NAT address, so locking the
# address would lock out every colleague after one person's mistakes.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False

# --- Pro Santé Connect (OpenID Connect, e-CPS): the button shows when client id, secret and
# discovery URL are set (interop/psc). BAS: issuer https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet
PSC_CLIENT_ID = os.environ.get("PSC_CLIENT_ID", "")
PSC_CLIENT_SECRET = os.environ.get("PSC_CLIENT_SECRET", "")
PSC_DISCOVERY_URL = os.environ.get("PSC_DISCOVERY_URL", "")
PSC_SCOPES = os.environ.get("PSC_SCOPES", "openid scope_all")
PSC_ACR_VALUES = os.environ.get("PSC_ACR_VALUES", "eidas1")
PSC_SIGN_ALGO = os.environ.get("PSC_SIGN_ALGO", "RS256")
PSC_TIMEOUT_SECONDS = float(os.environ.get("PSC_TIMEOUT_SECONDS", "10"))
PSC_CLOCK_SKEW_SECONDS = int(os.environ.get("PSC_CLOCK_SKEW_SECONDS", "60"))
# RPPS key (11th digit, Luhn) checked on users' RPPS; 0: format only (dui/rpps.py says why).
RPPS_CHECK_KEY = os.environ.get("RPPS_CHECK_KEY", "1") == "1"

ANONYMOUS_USER_NAME = None  # guardian: no anonymous object permissions
GUARDIAN_RAISE_403 = False

# --- Internationalisation.
LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media files.
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("STATIC_MANIFEST", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Dossier.
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_MB", "20")) * 1024 * 1024
# Archived dossiers are anonymised by `anonymise_archived` after this many days (20 years by default).
DOSSIER_RETENTION_DAYS = int(os.environ.get("DOSSIER_RETENTION_DAYS", str(365 * 20)))
# Months of access log kept in the database; older months are archived to files
# (archive_access_log, README « Journal des accès : conservation et archivage »).
ACCESS_LOG_RETENTION_MONTHS = int(os.environ.get("ACCESS_LOG_RETENTION_MONTHS", "72"))
INSI_BACKEND = os.environ.get("INSI_BACKEND", "dui.insi.StubInsiBackend")

# --- Continuity plan (mode dégradé): the folder each generated unit pack is copied to (a USB key, a local
# share; empty: no copy), and how old a paper record may be when entered afterwards
# (« saisie différée », in hours).
CONTINUITY_EXPORT_DIR = os.environ.get("CONTINUITY_EXPORT_DIR", "")
DEFERRED_ENTRY_MAX_HOURS = int(os.environ.get("DEFERRED_ENTRY_MAX_HOURS", "72"))

# --- API.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "interop.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["interop.authentication.HasActiveMembership"],
    # Depth-limited JSON: a deeply nested body is a 400, not a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "dui.api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "dui.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "dui.api.schema.DocumentedErrorsSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "dui.api.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DUI — API partenaires",
    "DESCRIPTION": "API REST du dossier usager informatisé. Authentification : `Authorization: Bearer <jeton>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Swagger UI served from the app itself: no CDN, no inline script (CSP).
    "ENUM_NAME_OVERRIDES": {
        "EventKindEnum": "transmissions.models.EventKind",
        "AntecedentKindEnum": "dui.models.medical.AntecedentKind",
        "EventSeverityEnum": "transmissions.models.EventSeverity",
        "AllergySeverityEnum": "dui.models.medical.AllergySeverity",
        "CareOccurrenceStatusEnum": "soins.models.care.OccurrenceStatus",
        "CareValidationStatusEnum": "soins.api.worklist.VALIDATION_STATUSES",
        "PrescriptionKindEnum": "soins.models.medication.PrescriptionKind",
        "InterventionKindEnum": "soins.models.medication.InterventionKind",
        "PpaExpressionKindEnum": "ppa.models.projects.ExpressionKind",
        "PpaParticipantKindEnum": "ppa.models.projects.ParticipantKind",
        "ActivityKindEnum": "activities.models.ActivityKind",
        "ActivitySessionStatusEnum": "activities.models.SessionStatus",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# --- Security (production values when DEBUG is off).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # plain-HTTP probes from the orchestrator
CSRF_FAILURE_VIEW = "dui.views.errors.csrf_failure"
# The whole habilitation grid posts one field per ticked box (up to métiers × classes × 3).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Outbox and connectors (interop): stubs unless a real backend is configured (see README "Envois").
OUTBOX_DMP_BACKEND = os.environ.get("OUTBOX_DMP_BACKEND", "stub")  # "stub" or "http"
OUTBOX_MSSANTE_BACKEND = os.environ.get("OUTBOX_MSSANTE_BACKEND", "stub")  # "stub" or "smtp"
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
OUTBOX_BACKOFF_SECONDS = float(os.environ.get("OUTBOX_BACKOFF_SECONDS", "60"))
OUTBOX_LEASE_SECONDS = float(os.environ.get("OUTBOX_LEASE_SECONDS", "300"))
DMP_URL = os.environ.get("DMP_URL", "")
DMP_TIMEOUT = float(os.environ.get("DMP_TIMEOUT", "30"))
DMP_CLIENT_CERT = os.environ.get("DMP_CLIENT_CERT", "")
DMP_CLIENT_KEY = os.environ.get("DMP_CLIENT_KEY", "")
DMP_CA_BUNDLE = os.environ.get("DMP_CA_BUNDLE", "")
DMP_VIHF_ASSERTION_FILE = os.environ.get("DMP_VIHF_ASSERTION_FILE", "")
MSSANTE_SMTP_HOST = os.environ.get("MSSANTE_SMTP_HOST", "")
MSSANTE_SMTP_PORT = int(os.environ.get("MSSANTE_SMTP_PORT", "587"))
MSSANTE_SMTP_SECURITY = os.environ.get("MSSANTE_SMTP_SECURITY", "starttls")  # "starttls", "tls" or "none"
MSSANTE_SMTP_USER = os.environ.get("MSSANTE_SMTP_USER", "")
MSSANTE_SMTP_PASSWORD = os.environ.get("MSSANTE_SMTP_PASSWORD", "")
MSSANTE_SMTP_CERTFILE = os.environ.get("MSSANTE_SMTP_CERTFILE", "")
MSSANTE_SMTP_KEYFILE = os.environ.get("MSSANTE_SMTP_KEYFILE", "")
MSSANTE_SMTP_CA_BUNDLE = os.environ.get("MSSANTE_SMTP_CA_BUNDLE", "")
MSSANTE_IMAP_CA_BUNDLE = os.environ.get("MSSANTE_IMAP_CA_BUNDLE", "")
MSSANTE_SENDER = os.environ.get("MSSANTE_SENDER", "")
MSSANTE_TIMEOUT = float(os.environ.get("MSSANTE_TIMEOUT", "30"))
MSSANTE_DOMAINS = tuple(d.strip() for d in os.environ.get("MSSANTE_DOMAINS", "mssante.fr").split(",") if d.strip())
# FINESS=URL pairs separated by spaces: "690000015=imaps://bal:secret@imap.x.mssante.fr:993/INBOX 690000023=maildir:///srv/bal"
MSSANTE_INBOXES = dict(pair.split("=", 1) for pair in os.environ.get("MSSANTE_INBOXES", "").split() if "=" in pair)
