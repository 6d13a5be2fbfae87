"""Production settings: refuse to start without a secret, pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    """Run manage.py in a fresh process with only the given Django environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_python(code, **env):
    """Run Python code in a fresh process with only the given Django environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python("import config.wsgi", DJANGO_DEBUG="0")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_starts_with_a_secret_key():
    result = run_python(
        "import config.wsgi", DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(60)
    )

    assert result.returncode == 0, result.stderr


def test_production_never_signs_with_an_empty_key():
    result = run_python(
        "import django; django.setup(); from django.core import signing; signing.dumps(1)",
        DJANGO_DEBUG="0",
        DJANGO_SETTINGS_MODULE="config.settings",
    )

    assert result.returncode != 0
    assert "SECRET_KEY setting must not be empty" in result.stderr


def test_commands_that_serve_nothing_run_without_a_secret_key():
    result = run_manage("makemigrations", "--check", "--dry-run", DJANGO_DEBUG="0")

    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_deploy_check_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_migrations_are_in_step_with_the_models():
    result = run_manage("makemigrations", "--check", "--dry-run", DJANGO_DEBUG="1")

    assert result.returncode == 0, result.stdout + result.stderr
