"""Settings for the knowledge base: one module, production differences only from the environment.

Environment variables:
- DATABASE_URL          e.g. postgres://user@host:5432/db (default: a SQLite file, db.sqlite3)
- DJANGO_SECRET_KEY     required when DJANGO_DEBUG is off
- DJANGO_DEBUG          1/true/yes to turn on debug (default: off)
- DJANGO_ALLOWED_HOSTS  comma-separated host names (default: localhost only)
- DJANGO_SECURE_SSL_REDIRECT, DJANGO_HSTS_SECONDS  override production HTTPS defaults
- DJANGO_DB_POOL        1 to use psycopg's connection pool on PostgreSQL (default: on unless debug)
- REDIS_URL             e.g. redis://127.0.0.1:6379/0: the page cache in Redis, shared by every
                        process (default: a cache in each process's memory)
- PAGE_CACHE            0 to turn the page cache off (default: on)
- API_RATE              requests per client address to /api/, e.g. 600/minute (default; 0: no limit)
"""

from pathlib import Path

import dj_database_url

from config.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Core -------------------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", default=False)

#: Why the app may not serve (config.wsgi refuses to start); commands that serve nothing,
#: such as migrate or makemigrations, still run. Django itself refuses to sign anything with
#: an empty SECRET_KEY, so no default key is ever used in production.
MISSING_SECRET_KEY = (
    "DJANGO_SECRET_KEY is not set. Set it to a long random string in production, "
    "or set DJANGO_DEBUG=1 for local development."
)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
if DEBUG:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    # The project's apps, each depending only on those before it (tests/test_layout.py).
    *["core", "actors", "visits", "sources", "claims", "assertions", "pages", "ingest", "api"],
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the page cache: an API client over its rate is refused even a kept answer.
    "api.throttling.RateLimitMiddleware",
    # Before the session: a page kept for anonymous visitors needs nothing of what follows.
    "config.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# One template language for the public site and the admin. Without "loaders", Django reads
# templates through its cached loader: each is parsed once per process.
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
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    if env_bool("DJANGO_DB_POOL", default=not DEBUG):
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": env_int("DJANGO_DB_POOL_MIN", default=1),
            "max_size": env_int("DJANGO_DB_POOL_MAX", default=10),
            # Fail fast when the database is down: the page answers 503 instead of hanging.
            "timeout": 3,
        }
    # Hand out only connections that still work, so the app recovers by itself after an outage.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # Many short writes from the admin and the importers: wait for a lock rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caching ----------------------------------------------------------------------------------

# Anonymous responses of public pages are kept under the data's version (config.middleware).
PAGE_CACHE = env_bool("PAGE_CACHE", default=True)
#: The shared page cache (Redis with REDIS_URL); PAGE_CACHE_ALIASES lists all, nearest first.
PAGE_CACHE_ALIAS = "pages"
#: Paths never cached: the admin (staff only) and the health check (must ask the database).
PAGE_CACHE_SKIP_PREFIXES = ["/admin/", "/healthz"]
#: The largest response kept, in bytes; a bigger export streams without being kept.
PAGE_CACHE_MAX_BYTES = env_int("PAGE_CACHE_MAX_BYTES", default=512 * 1024)
#: After the cache fails (Redis down), pages come from the database for this long, then retry.
PAGE_CACHE_RETRY_SECONDS = env_int("PAGE_CACHE_RETRY_SECONDS", default=5)
#: Seconds others wait for a page one process renders (if none may stand in), then render it.
PAGE_CACHE_WAIT_SECONDS = env_int("PAGE_CACHE_WAIT_SECONDS", default=10)
#: While nothing is hidden, seconds between two renders of a page in a run of writes.
PAGE_CACHE_REFRESH_SECONDS = env_float("PAGE_CACHE_REFRESH_SECONDS", default=0.5)
#: New versions' pages rendered in the background, the page before standing in (if nothing hid).
PAGE_CACHE_RENDER_AHEAD = env_bool("PAGE_CACHE_RENDER_AHEAD", default=True)
#: Each process hears of new data versions (PostgreSQL's LISTEN) rather than ask per request.
DATA_VERSION_LISTEN = env_bool("DATA_VERSION_LISTEN", default=not DEBUG)
#: Part of every key and ETag; by default a fingerprint of the code, so a deploy starts afresh.
PAGE_CACHE_RELEASE = env_str("PAGE_CACHE_RELEASE", default="")
#: How long a page is kept at most; a newer data version makes it unreachable long before.
PAGE_CACHE_TIMEOUT = 24 * 60 * 60

REDIS_URL = env_str("REDIS_URL", default="")
#: Each process keeps its own pages in memory, at most this many, least recently used out.
_local_pages = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    "TIMEOUT": PAGE_CACHE_TIMEOUT,
    "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_MAX_ENTRIES", default=300)},
}
#: The lists' counts, kept block by block (core.lists.tally), in each process's memory.
_local_counts = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "counts",
    "OPTIONS": {"MAX_ENTRIES": env_int("COUNT_CACHE_MAX_ENTRIES", default=20_000)},
}
if REDIS_URL:
    # Shared by every process and server, behind each one's memory (0.5 s at most lost to Redis).
    _redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    CACHES = {
        "default": {  # counts and locks in Redis, copied in each process's memory
            "BACKEND": "core.cache.ResilientCache",
            "OPTIONS": {"PRIMARY": "shared", "FALLBACK": "local"},
        },
        "shared": {**_redis, "KEY_PREFIX": "kb"},
        "local": _local_counts,
        "pages-local": _local_pages,
        PAGE_CACHE_ALIAS: {**_redis, "KEY_PREFIX": "kb-pages", "TIMEOUT": PAGE_CACHE_TIMEOUT},
    }
    PAGE_CACHE_ALIASES = ["pages-local", PAGE_CACHE_ALIAS]
else:
    CACHES = {"default": _local_counts, PAGE_CACHE_ALIAS: _local_pages}
    PAGE_CACHE_ALIASES = [PAGE_CACHE_ALIAS]

# --- Downloads (core/lists/downloads.py) ------------------------------------------------------

#: A download of more rows than this streams only while it holds a slot...
DOWNLOAD_SMALL_ROWS = env_int("DOWNLOAD_SMALL_ROWS", default=10_000)
#: ...of which the site has this many (each keeps a processor busy while it streams)...
DOWNLOADS_AT_ONCE = env_int("DOWNLOADS_AT_ONCE", default=1)
DOWNLOADS_PER_PROCESS = env_int("DOWNLOADS_PER_PROCESS", default=1)
#: ...and each process and client address (across every process) this many.
DOWNLOADS_PER_CLIENT = env_int("DOWNLOADS_PER_CLIENT", default=2)
#: The share of the time a large download may compute while it streams (it pauses the rest).
DOWNLOAD_DUTY = env_float("DOWNLOAD_DUTY", default=0.25)
#: The Retry-After of a download refused for want of a slot, in seconds.
DOWNLOAD_RETRY_SECONDS = env_int("DOWNLOAD_RETRY_SECONDS", default=10)

# --- API (api/) ------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],  # read-only and public: it shows what anyone may see
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "URL_FORMAT_OVERRIDE": None,
}
API_PAGE_SIZE, API_MAX_PAGE_SIZE = 50, 500
API_RATE = env_str("API_RATE", default="600/minute")
#: Proxies in front of the site appending to X-Forwarded-For (core.clients).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", default=0)
SPECTACULAR_SETTINGS = {
    "TITLE": "Diplomatic visits knowledge base API",
    "DESCRIPTION": "Read-only: visits, actors, issues, claims and sources, with the filters of "
    "the site's lists. Lists are paged by cursor: follow `next` until it is null.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # the docs page's files are this site's static files
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ActorKindEnum": "actors.models.ActorKind",
        "VisitKindEnum": "visits.models.VisitKind",
        "ClaimKindEnum": "claims.models.ClaimKind",
        "ClaimStatusEnum": "claims.models.ClaimStatus",
        "SourceKindEnum": "sources.models.SourceKind",
        "DatePrecisionEnum": "core.dates.DatePrecision",
    },
}

# --- Auth -------------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
FORMAT_MODULE_PATH = "core.formats"  # dates typed ISO first: 2023-12-14
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Uploads ----------------------------------------------------------------------------------

# The largest article a curator may upload or paste, in bytes (a long article is ~50 kB).
ARTICLE_MAX_BYTES = env_int("ARTICLE_MAX_BYTES", default=2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = ARTICLE_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = ARTICLE_MAX_BYTES + 1024 * 1024

# --- Security (production defaults when debug is off) -----------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The liveness probe is asked over plain HTTP by load balancers.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Logging ----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # A 4xx is the client's mistake (or a refusal: 429), not the site's: no line each.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
