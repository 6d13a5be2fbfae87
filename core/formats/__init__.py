"""The project's own date formats (settings.FORMAT_MODULE_PATH), over Django's for the locale."""
