"""gunicorn's settings: read by gunicorn from the working directory (the Dockerfile's /app).

Threaded workers, so that a long CSV export streams to the end in one thread while the worker's
other threads keep answering, and gunicorn's timeout (the longest a worker may go silent) never
cuts an export off half-way. Each count comes from the environment; the defaults suit two cores.
"""

import os

wsgi_app = "config.wsgi"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "gthread"
#: Processes. Three on two cores: one can wait on the database while two run Python.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
#: Threads per process; keep DJANGO_DB_POOL_MAX at least this high on PostgreSQL.
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
#: Seconds a worker may go silent before it is restarted (threads streaming do not count).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
#: "-" logs each request to standard output; empty turns the access log off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
#: The longest request line (method, URL and query) taken, in bytes: gunicorn's largest bounded
#: value, so that a list filtered by many values fits; 0 lifts the bound.
limit_request_line = int(os.environ.get("GUNICORN_LIMIT_REQUEST_LINE", "8190"))
