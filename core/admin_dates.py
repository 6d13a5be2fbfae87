"""Admin date fields that say which format they take."""

from django.db import models

#: Shown under every date field of the admin (both this and 14/12/2023 are taken).
DATE_HINT = "YYYY-MM-DD, e.g. 2023-12-14"


class DateHintMixin:
    """Put the expected format before the help text of each date field (a ModelAdmin mixin)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        is_date = isinstance(db_field, models.DateField) and not isinstance(
            db_field, models.DateTimeField
        )
        if formfield is not None and is_date:
            help_text = str(formfield.help_text or "")
            formfield.help_text = f"{DATE_HINT}. {help_text}" if help_text else DATE_HINT
        return formfield
