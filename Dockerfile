# The web image: gunicorn serving the app, static files by whitenoise.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .

COPY . .
# Static files are collected at build time; the key only satisfies the settings for this step.
RUN python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 app
USER app
EXPOSE 8000
# gunicorn reads gunicorn.conf.py: threaded workers (WEB_CONCURRENCY x GUNICORN_THREADS) and an
# explicit timeout (GUNICORN_TIMEOUT), so a long export streams to the end.
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn"]
