"""One settings module, read from the environment.

Defaults are the safe ones (DEBUG off, no fixed secret outside DEBUG). The
README's run command sets the development values explicitly; with no
DATABASE_URL or REDIS_URL the portal runs embedded: SQLite, Celery tasks run
in-process, local-memory cache.
"""

import datetime as dt
import os
import re
import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=None):
    """A string setting; an empty value counts as unset."""
    return os.environ.get(name) or default


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {value!r}")


def env_int(name, default, minimum=None):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def env_float(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from None


def env_rate(name, default):
    """A rate-limit setting, "count/period" as django-ratelimit reads it: "10/h", "5/15m", "100/d"."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if not re.fullmatch(r"[1-9][0-9]*/[0-9]*[smhd]", value):
        raise ImproperlyConfigured(f"{name} must be a rate such as 10/h or 5/15m, not {value!r}")
    return value


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("BROKERAGE_TESTING", False)

SECRET_KEY = env_str("SECRET_KEY")
SECRET_KEY_FROM_ENVIRONMENT = bool(SECRET_KEY)
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-or-tests"
    else:
        # Management commands (check, makemigrations, migrate) may run without
        # one; serving (wsgi/asgi) and Celery workers refuse to start, and
        # `check --deploy` reports it (brokerage/production.py). Never a fixed key.
        SECRET_KEY = secrets.token_urlsafe(50)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if (DEBUG or TESTING) else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Where links in emails point (bulletins, confirmations, evaluations).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "South West CPD Brokerage")
# Its Welsh name, on Welsh pages and in Welsh emails (programmes.words.SITE_NAME picks one by language);
# a site renamed in English alone keeps that name in Welsh until it is given one.
SITE_NAME_CY = env_str(
    "SITE_NAME_CY", "Broceriaeth DPP y De-orllewin" if SITE_NAME == "South West CPD Brokerage" else SITE_NAME
)

INSTALLED_APPS = [
    # Before the admin: its translation.py registrations must be in place before admin classes load.
    "modeltranslation",
    "brokerage.apps_admin.BrokerageAdminConfig",  # django.contrib.admin with the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "simple_history",
    # Before brokerage: its post_migrate gives the Coordinators group axes's
    # permissions, which must exist by then.
    "axes",
    "django_ratelimit",
    # Layered: people <- programmes <- providers <- events <- brokerage.
    "people",
    "programmes",
    "providers",
    "events",
    "brokerage",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The language is the address's (/cy/... Welsh, everything else English), so it reads no
    # session: first, so that even a request refused just below gets its 400 page in Welsh.
    # Before CommonMiddleware, whose slash redirects resolve in the request's language.
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads a parameter: a NUL character or an endless query value answers 400.
    "brokerage.middleware.RefuseUnreadableInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "brokerage.middleware.SignedInNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A signed-in person who switches language has the choice stored for their next sign-in.
    "people.middleware.RememberLanguageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A form posted too often (programmes.ratelimits) is answered by RATELIMIT_VIEW.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into AXES_LOCKOUT_CALLABLE's page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = env_str("ROOT_URLCONF", "brokerage.urls")
CSRF_FAILURE_VIEW = "brokerage.error_views.csrf_failure"
WSGI_APPLICATION = "brokerage.wsgi.application"

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
                "brokerage.context_processors.site",
            ],
        },
    },
    # Jinja2 for the fragments rendered on every computed catalogue page (the
    # facet panel, the offer cards): several times faster than the Django
    # template language there (benchmarks/README.md). Named *.jinja, loaded
    # through brokerage/catalogue/panel.py and programmes/cards.py only.
    {
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "brokerage.jinja2_env.environment"},
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a busy writer instead of failing at once (the demo server and a
    # Celery task may write at the same moment).
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# Demand signals (brokerage.insights) are written on a connection of their own
# that does not wait for the disk when it commits (PostgreSQL's
# synchronous_commit off). A crash of the database server may lose the last
# fraction of a second of signals, and never corrupts anything; every other
# write still waits. The wait was the largest part of a computed catalogue page
# under load (benchmarks/README.md). Tests write signals on the default
# connection, inside each test's transaction.
INSIGHTS_DATABASE = "default"
if IS_POSTGRES and not TESTING and env_bool("INSIGHTS_ASYNC_COMMIT", True):
    _insights_options = dict(DATABASES["default"].get("OPTIONS", {}))
    _insights_options["options"] = f"{_insights_options.get('options', '')} -c synchronous_commit=off".strip()
    DATABASES["insights"] = {**DATABASES["default"], "OPTIONS": _insights_options, "TEST": {"MIRROR": "default"}}
    INSIGHTS_DATABASE = "insights"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing is the slowest part of creating test users; security is not at stake.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# django-axes first: it refuses a locked-out sign-in before any password is
# checked (and needs the request: use force_login in tests, or
# client.login(request=HttpRequest(), ...)). Then the model backend, with the
# person's worker and provider profiles joined to the user.
AUTHENTICATION_BACKENDS = ["brokerage.auth_backends.SignInLockoutBackend", "brokerage.auth_backends.ProfilesModelBackend"]
# An offer's page is the catalogue's (brokerage), above programmes where Offer
# lives: Django adds Offer.get_absolute_url from here (layering).
ABSOLUTE_URL_OVERRIDES = {"programmes.offer": lambda offer: reverse("catalogue:offer_detail", args=[offer.slug])}
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "signed_in"  # coordinators to their start page, others home
LOGOUT_REDIRECT_URL = "home"

# English at the addresses it always had, Welsh under /cy/ (brokerage/urls.py); the Welsh
# Language Standards ask for every page in both. Names are each language's own.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content in both languages (django-modeltranslation; each app's translation.py): a
# registered field `title` gains the columns `title_en_gb` and `title_cy` (the language
# code's hyphen becomes an underscore). English is the language every text is written in
# first, so a missing Welsh version falls back to the English one; the pages mark that
# text lang="en" (programmes.translated_text). The original `title` column stays, as
# modeltranslation needs it: it holds the text in the language it was last saved in, so
# nothing should read it directly; SQL reads `title_en_gb` / `title_cy`.
MODELTRANSLATION_LANGUAGES = ("en-gb", "cy")
MODELTRANSLATION_DEFAULT_LANGUAGE = "en-gb"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en-gb",)}
# Slugs the admin fills in come from the English title, whatever the admin's language.
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en-gb"
# Events are stored in UTC and shown in the region's local time.
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The manifest storage needs collectstatic first, so it is only used in production.
USE_MANIFEST_STATIC = env_bool("USE_MANIFEST_STATIC", not (DEBUG or TESTING))
# Without collectstatic (development, tests) whitenoise serves from the finders.
WHITENOISE_USE_FINDERS = not USE_MANIFEST_STATIC
WHITENOISE_AUTOREFRESH = not USE_MANIFEST_STATIC
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if USE_MANIFEST_STATIC
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Redis: broker and cache on separate database numbers.
# django-redis logs the cache errors it ignores (see CACHES) to this logger.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "brokerage.cache"
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    base = REDIS_URL.rstrip("/")
    if base.count("/") > 2:  # a database number was given: strip it
        base = base.rsplit("/", 1)[0]
    CACHES = {
        "default": {
            # django-redis: while Redis does not answer, reads are misses and writes
            # are dropped (IGNORE_EXCEPTIONS), logged by the "brokerage.cache" logger
            # at most once a minute; short timeouts so a dead Redis does not hold
            # each request for long. Nothing in it is the only copy: sessions are in
            # the database, catalogue values are recomputed (docs/operations.md).
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": env_str("CACHE_URL", f"{base}/{env_int('REDIS_CACHE_DB', 1)}"),
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": env_float("CACHE_CONNECT_TIMEOUT", 0.25),
                "SOCKET_TIMEOUT": env_float("CACHE_TIMEOUT", 0.5),
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", f"{base}/{env_int('REDIS_BROKER_DB', 0)}")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
# The parts of every page's frame that many pages share (the main navigation,
# the footer) are rendered once per process and what they show: base.html's
# {% cache %} tags, which use this cache. They were a twentieth of a computed
# catalogue page. In this process's memory, so a deploy (new processes) renders
# them anew; at most 300 kept (an address's first part picks the navigation's
# current link, and anyone can make up addresses). Not kept in development,
# where templates change under a running server.
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.dummy.DummyCache" if DEBUG else "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "template-fragments",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 300},
}

# Abuse held off (the "Trust" issue). Sign-in: django-axes counts wrong
# passwords in the database (so a restart forgets nothing) per account and per
# address: AXES_FAILURE_LIMIT of them within the cool-off for one account
# (from anywhere), or from one address (for any accounts), pause signing in
# there for AXES_COOLOFF_MINUTES after the last one. A coordinator lifts it
# early by deleting the access attempt in the admin.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "brokerage.error_views.sign_in_locked_out"
AXES_CLIENT_IP_CALLABLE = "programmes.ratelimits.client_ip"
# No start-up banner on every management command; each attempt is still logged.
AXES_VERBOSE = False
# Axes counts the username the sign-in form passes to authenticate: cleaned,
# so an email address in any case is one account (providers.forms.SignInForm).
AXES_USERNAME_FORM_FIELD = "username"
# Behind reverse proxies that append the client's address to X-Forwarded-For,
# how many: per-address limits then count the visitor, not the proxy (0: use
# the connection's address, REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Forms posted too often answer 429 (programmes.ratelimits); only POSTs count.
# Each is "count/period", as django-ratelimit reads it (s, m, h, d; "5/15m"),
# counted per address (ip), per signed-in person, or per posted email address.
RATELIMIT_VIEW = "brokerage.error_views.rate_limited"
RATELIMIT_IP_META_KEY = "programmes.ratelimits.client_ip"
# With the cache down nothing can be counted: let the post through rather than refuse every
# booking and enquiry (the outage is logged by the "brokerage.cache" logger and shown by /healthz).
RATELIMIT_FAIL_OPEN = True
RATELIMIT_ENQUIRY = env_rate("RATELIMIT_ENQUIRY", "10/h")  # "ask about this offer", per address
# Per email address given: each question sends that address an acknowledgement.
RATELIMIT_ENQUIRY_EMAIL = env_rate("RATELIMIT_ENQUIRY_EMAIL", "10/d")
RATELIMIT_SUBSCRIBE_IP = env_rate("RATELIMIT_SUBSCRIBE_IP", "10/h")  # bulletin subscription, per address
# Per email address; the service also mails one confirmation link per 5 minutes at most.
RATELIMIT_SUBSCRIBE_EMAIL = env_rate("RATELIMIT_SUBSCRIBE_EMAIL", "10/d")
RATELIMIT_SIGNUP = env_rate("RATELIMIT_SIGNUP", "5/h")  # provider sign-up, per address
RATELIMIT_PASSWORD_RESET_IP = env_rate("RATELIMIT_PASSWORD_RESET_IP", "10/h")
RATELIMIT_PASSWORD_RESET_EMAIL = env_rate("RATELIMIT_PASSWORD_RESET_EMAIL", "10/d")
RATELIMIT_BOOKING = env_rate("RATELIMIT_BOOKING", "30/h")  # booking a slot, per signed-in person
RATELIMIT_WAITLIST = env_rate("RATELIMIT_WAITLIST", "30/h")  # joining a waiting list, per signed-in person
if not REDIS_URL:
    # No Redis: the embedded mode (development, tests, the demo) on the
    # local-memory cache, where each serving process keeps its own counts.
    # `check --deploy` still reports it with DEBUG off (brokerage.E002 in
    # brokerage/production.py): production needs REDIS_URL.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# The embedded broker (`make run`): a Celery worker and beat beside the web
# server with no Redis, messages passed as files in RUN_DIR (beside the SQLite
# file). CELERY_BROKER_URL=filesystem:// turns it on as well.
EMBEDDED_BROKER = env_bool("EMBEDDED_BROKER", CELERY_BROKER_URL.startswith("filesystem://"))
_sqlite_file = DATABASES["default"]["NAME"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else None
RUN_DIR = Path(env_str("RUN_DIR", Path(_sqlite_file).parent / ".run" if _sqlite_file else BASE_DIR / ".run"))
if EMBEDDED_BROKER:
    if REDIS_URL:
        raise ImproperlyConfigured("EMBEDDED_BROKER runs without Redis: unset REDIS_URL or EMBEDDED_BROKER.")
    CELERY_BROKER_URL = "filesystem://"
    _broker_dir = RUN_DIR / "broker"
    # One folder is both ends of the queue; "processed" is on the same disk, so
    # taking a message is an atomic rename (scripts/run.sh empties it at start).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "store_processed": True,
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
    }
    # Kombu expects the folders to exist; web, worker and beat all start here.
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BEAT_SCHEDULE_FILENAME = str(RUN_DIR / "celerybeat-schedule")
    if _sqlite_file:
        # Three processes write to one file: readers do not block the writer
        # (WAL), and a transaction takes the write lock when it begins, so it
        # waits for a busy writer (the timeout) instead of failing at its first write.
        DATABASES["default"]["OPTIONS"].update(
            {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
        )

# No broker: run tasks in-process (the embedded default).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = env_bool("CELERY_TASK_EAGER_PROPAGATES", TESTING)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
# Longer than the longest task, so a task whose worker died is redelivered
# but a slow one is not delivered twice.
if not EMBEDDED_BROKER:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
    # A worker takes a task only when a process is free to run it: a task
    # reserved but not started by a worker that dies would otherwise wait the
    # whole visibility timeout (and its readers past the two-minute promise).
    CELERY_WORKER_DISABLE_PREFETCH = True
# One reserved task per process with acks_late: long bulletin batches are not
# queued behind each other in one worker while another stands idle.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Joint bulletin sending. A batch claims BULLETIN_BATCH_SIZE delivery rows on a
# lease its sender renews every third of BULLETIN_LEASE_SECONDS; the reaper,
# every BULLETIN_REAP_INTERVAL_SECONDS, hands back rows whose lease lapsed (the
# sender died). So a dead worker's readers wait at most lease + interval (90 s
# by default), within the two minutes the issue asks for. Pending rows whose
# task was lost (queued by a process that died before publishing, or a retry
# held by a dead worker) are queued again once their bulletin has made no
# progress for the lease time and they were last handed out longer than
# BULLETIN_REDISPATCH_SECONDS ago, so they too are sent within about two
# minutes; a task queued twice sends nothing twice (rows are claimed).
BULLETIN_BATCH_SIZE = env_int("BULLETIN_BATCH_SIZE", 50, minimum=1)
BULLETIN_LEASE_SECONDS = env_int("BULLETIN_LEASE_SECONDS", 60, minimum=3)
BULLETIN_REAP_INTERVAL_SECONDS = env_int("BULLETIN_REAP_INTERVAL_SECONDS", 30, minimum=1)
BULLETIN_REDISPATCH_SECONDS = env_int("BULLETIN_REDISPATCH_SECONDS", 60, minimum=1)
# A bulletin email shows each section's first items and links to the rest in
# the web archive, so its HTML stays under Gmail's clipping size (about 102 KB;
# the renderer also holds it under 90 KB whatever the items' lengths).
BULLETIN_EMAIL_ITEMS_PER_SECTION = env_int("BULLETIN_EMAIL_ITEMS_PER_SECTION", 8, minimum=1)
BULLETIN_EMAIL_ITEMS_TOTAL = env_int("BULLETIN_EMAIL_ITEMS_TOTAL", 60, minimum=1)
CELERY_BEAT_SCHEDULE = {
    # Every email but the bulletins leaves through the outbox (programmes/outbox.py);
    # the drain sends what a broker outage held back and retries after back-off.
    "outbox-drain": {"task": "programmes.outbox_drain", "schedule": 60.0},
    # Joint bulletin: start scheduled bulletins; hand back deliveries whose sender died.
    "bulletins-send-due": {"task": "bulletins.send_due", "schedule": 60.0},
    "bulletins-reap": {"task": "bulletins.reap", "schedule": float(BULLETIN_REAP_INTERVAL_SECONDS)},
}
# Workers: offers not reviewed for 5 months, emailed once per offer per period.
CELERY_BEAT_SCHEDULE["offer-review-reminders"] = {
    "task": "programmes.review_reminders_weekly",
    "schedule": crontab(day_of_week="mon", hour=7, minute=0),
}
OFFER_REVIEW_REMINDER_PERIOD_DAYS = env_int("OFFER_REVIEW_REMINDER_PERIOD_DAYS", 28)
# events: reminders go out the day before (each booking once); lapsed waiting-list offers pass on.
CELERY_BEAT_SCHEDULE.update(
    {
        "events-booking-reminders": {"task": "events.tasks.send_booking_reminders", "schedule": 15 * 60.0},
        "events-expire-waitlist-offers": {"task": "events.tasks.expire_waitlist_offers", "schedule": 5 * 60.0},
        "events-evaluation-invitations": {"task": "events.tasks.send_evaluation_invitations", "schedule": 60 * 60.0},
    }
)
# Insights (issue 7): signal retention and the weekly coordinators' digest.
from brokerage.insights.schedule import BEAT_SCHEDULE as INSIGHTS_BEAT_SCHEDULE  # noqa: E402

CELERY_BEAT_SCHEDULE.update(INSIGHTS_BEAT_SCHEDULE)
# Personal data (brokerage.privacy): how long each kind is kept, stated on /privacy/
# and enforced by the daily retention task (brokerage/privacy/retention.py).
ENQUIRY_RETENTION_MONTHS = env_int("ENQUIRY_RETENTION_MONTHS", 24)
SENT_EMAIL_RETENTION_DAYS = env_int("SENT_EMAIL_RETENTION_DAYS", 90)
SIGN_IN_RECORD_RETENTION_DAYS = env_int("SIGN_IN_RECORD_RETENTION_DAYS", 90)
JOIN_REQUEST_RETENTION_DAYS = env_int("JOIN_REQUEST_RETENTION_DAYS", 60)
UNCONFIRMED_ACCOUNT_RETENTION_DAYS = env_int("UNCONFIRMED_ACCOUNT_RETENTION_DAYS", 30)
for _name in ("ENQUIRY_RETENTION_MONTHS", "SENT_EMAIL_RETENTION_DAYS", "SIGN_IN_RECORD_RETENTION_DAYS",
              "JOIN_REQUEST_RETENTION_DAYS", "UNCONFIRMED_ACCOUNT_RETENTION_DAYS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1, not {globals()[_name]}")
CELERY_BEAT_SCHEDULE["privacy-retention"] = {
    "task": "privacy.retention_apply",
    "schedule": crontab(hour=3, minute=41),
}
# A demo (or the embedded-run test) need not wait 15 minutes for the reminders:
# a number of seconds here runs every interval entry that often instead; the
# crontab entries (weekly, daily) keep their times.
BEAT_INTERVAL_SECONDS = env_int("BEAT_INTERVAL_SECONDS", 0)
if BEAT_INTERVAL_SECONDS > 0:
    for _entry in CELERY_BEAT_SCHEDULE.values():
        if isinstance(_entry["schedule"], (int, float)):
            _entry["schedule"] = float(BEAT_INTERVAL_SECONDS)

# GET /healthz shows each dependency's state only with `Authorization: Bearer
# <HEALTHZ_TOKEN>`; empty: never (everyone sees the overall state).
HEALTHZ_TOKEN = env_str("HEALTHZ_TOKEN", "")

# Email: console by default; SMTP (or anything else) from the environment.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# The folder of django.core.mail.backends.filebased.EmailBackend (one file per connection).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "South West CPD Brokerage <hello@cpd-brokerage.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people write to the team (/contact/, /privacy/, /accessibility/).
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "hello@cpd-brokerage.example")
# Questions about an offer without a named contact go to the brokerage team.
ENQUIRY_FALLBACK_EMAIL = env_str("ENQUIRY_FALLBACK_EMAIL", "hello@cpd-brokerage.example")
# The acknowledgement of a question promises an answer within this many working days.
ENQUIRY_ANSWER_WORKING_DAYS = env_int("ENQUIRY_ANSWER_WORKING_DAYS", 5)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security: strict by default, relaxed only for plain-HTTP development.
# Sessions live in the database only: a sign-out (or an erasure) holds even when
# it happens while the cache is down and Redis later comes back with old values.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not (DEBUG or TESTING))
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not (DEBUG or TESTING))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if (DEBUG or TESTING) else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# A strict Content-Security-Policy: no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "filters": {
        # One cache outage makes every cache call fail: log it once a minute, not per call.
        "once_a_minute": {"()": "brokerage.log_filters.OncePerInterval", "seconds": 60},
    },
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "brokerage.cache": {"filters": ["once_a_minute"]},
        # One line per successful task drowns the console in the embedded (in-process) mode.
        "celery.app.trace": {"level": env_str("CELERY_TRACE_LOG_LEVEL", "WARNING")},
    },
}

# The catalogue keeps each offer's rendered card (anonymous visitors) per
# process and catalogue version, and each filtered or searched page an
# anonymous visitor asked for per catalogue version and day; false renders
# every time (benchmarks/catalogue.py measures both ways).
CATALOGUE_CARD_CACHE = env_bool("CATALOGUE_CARD_CACHE", True)
CATALOGUE_PAGE_CACHE = env_bool("CATALOGUE_PAGE_CACHE", True)
# The offers a search's words match, kept with the facet index per catalogue
# version and day; false searches the database on every request.
CATALOGUE_SEARCH_CACHE = env_bool("CATALOGUE_SEARCH_CACHE", True)
