"""Settings shared by every environment. Secrets come only from the environment."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-local-only-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "unfold",
    "unfold.contrib.filters",
    "unfold.contrib.simple_history",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    # Our apps, in dependency order (see docs/architecture.md).
    "apps.core",
    "apps.accounts",
    "apps.consultants",
    "apps.clients",
    "apps.ledger",
    "apps.compliance",
    "apps.commercial_contracts",
    "apps.employment_contracts",
    "apps.activity",
    "apps.invoices",
    "apps.payslips",
    "apps.payroll",
    "apps.portal",
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
]

ROOT_URLCONF = "portage_office.urls"
WSGI_APPLICATION = "portage_office.wsgi.application"
ASGI_APPLICATION = "portage_office.asgi.application"

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
                "apps.core.context_processors.company",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# An invitation or password-reset link is valid three days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# French is the default language; English is complete too (locale/).
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="portage-office <no-reply@portage.example>")

# Celery: Redis broker; tasks are thin and idempotent (DESIGN.md §3.8).
CELERY_BROKER_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# Invoices: e-mail an issued invoice to the client's billing contact as soon as its
# Factur-X PDF is rendered (docs/invoice-documents.md). False: staff send it explicitly.
INVOICE_SEND_ON_ISSUE = env.bool("INVOICE_SEND_ON_ISSUE", default=True)

# Payroll: when a consultant's available amount cannot pay the branch agreement's minimum
# salary, refuse the payslip (False, the default: the run lists it with the figures) or pay
# the minimum anyway, the company topping up (True). See docs/payroll-run.md.
PAYROLL_TOP_UP_TO_MINIMUM = env.bool("PAYROLL_TOP_UP_TO_MINIMUM", default=False)
# How many Celery tasks execute a payroll run side by side (they share its batches).
PAYROLL_RUN_WORKERS = env.int("PAYROLL_RUN_WORKERS", default=2)
# PR-28: the management fee applies to the turnover excl. VAT; True also charges it on the
# expenses rebilled to the client at cost (by default they bear no fee).
MANAGEMENT_FEE_ON_REBILLED_EXPENSES = env.bool("MANAGEMENT_FEE_ON_REBILLED_EXPENSES", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
# Every periodic job, in one place (DESIGN.md §3.8).
CELERY_BEAT_SCHEDULE: dict = {
    "contracts-daily-scan": {
        "task": "employment_contracts.contracts_daily_scan",
        "schedule": crontab(hour=6, minute=30),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.errors.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "portage-office API",
    "DESCRIPTION": "REST API of the portage-office back-office (consultants, clients, ...).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc served from our own static files: no call to outside hosts.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name across apps get explicit schema names.
    "ENUM_NAME_OVERRIDES": {
        "ContractStatusEnum": "apps.commercial_contracts.models.ContractStatus",
        "ConsultantStatusEnum": "apps.consultants.models.Consultant.Status",
        "EmploymentContractKindEnum": "apps.employment_contracts.models.EmploymentContract.Kind",
        "ContactKindEnum": "apps.clients.models.ContactKind",
        "LedgerEntryKindEnum": "apps.ledger.models.LedgerEntryKind",
        "ActivityReportStatusEnum": "apps.activity.models.reports.ActivityReportStatus",
        "ExpenseClaimStatusEnum": "apps.activity.models.expenses.ExpenseClaimStatus",
        "InvoiceStatusEnum": "apps.invoices.models.InvoiceStatus",
        "DocumentKindEnum": "apps.invoices.models.DocumentKind",
        "BankStatementLineStatusEnum": "apps.invoices.models.BankStatementLineStatus",
        "PayslipKindEnum": "apps.payslips.models.PayslipKind",
    },
}

UNFOLD = {
    "SITE_TITLE": _("portage-office"),
    "SITE_HEADER": _("portage-office"),
    "SITE_SUBHEADER": _("Portage salarial back-office"),
    # The portal's blue (static/css/app.css), so both spaces look like one product.
    "COLORS": {
        "primary": {
            "50": "oklch(97.0% .014 264)",
            "100": "oklch(93.2% .032 264)",
            "200": "oklch(88.2% .059 264)",
            "300": "oklch(80.9% .105 264)",
            "400": "oklch(70.7% .165 264)",
            "500": "oklch(58.5% .190 264)",
            "600": "oklch(50.0% .170 264)",
            "700": "oklch(45.0% .150 264)",
            "800": "oklch(39.0% .130 264)",
            "900": "oklch(34.0% .110 264)",
            "950": "oklch(26.0% .085 264)",
        },
    },
    "SITE_SYMBOL": "work",
    "SHOW_LANGUAGES": True,
    "SHOW_HISTORY": True,
    "DASHBOARD_CALLBACK": "apps.core.admin_dashboard.dashboard_callback",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every rendering step at INFO; only its warnings matter to us.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Absolute base of links in e-mails (invitations, approval links).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
COMPANY_DISPLAY_NAME = env("COMPANY_DISPLAY_NAME", default="portage-office")
