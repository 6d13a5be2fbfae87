"""Read typed settings from environment variables, with clear errors for bad values."""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name, *, default):
    """Return the variable as a stripped string, or the default when unset."""
    value = os.environ.get(name)
    return default if value is None else value.strip()


def env_bool(name, *, default):
    """Return the variable as a boolean (1/true/yes/on, 0/false/no/off)."""
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use 1 or 0.")


def env_int(name, *, default):
    """Return the variable as an integer."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None


def env_float(name, *, default):
    """Return the variable as a number."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a number.") from None


def env_list(name, *, default):
    """Return the variable as a list of comma-separated, non-empty items."""
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]
