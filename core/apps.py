import logging

from django.apps import AppConfig

logger = logging.getLogger(__name__)


class CoreConfig(AppConfig):
    """What every app shares: publication and visibility, dates, text, admin mixins, lists."""

    name = "core"
    verbose_name = "Knowledge base"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(install_data_version_triggers, sender=self)
        post_migrate.connect(install_search_indexes, sender=self)

        from core import dataversion
        from core.lists import tally

        # After each write, the lists' counts are brought up to date in the background: each
        # routed list's first page is counted before a reader asks for it.
        dataversion.committed.connect(tally.warmer, dispatch_uid="warm-counts")
        tally.warm_counts.connect(count_site_lists, dispatch_uid="count-site-lists")


def count_site_lists(version, **kwargs):
    """Count the first page of every list the site routes, at data `version`."""
    from core.lists.site import site_lists

    for item in site_lists():
        try:
            item.view.warm(version)
        except Exception:  # one list's failure leaves the others counted
            logger.exception("Counting ahead failed for %s", item.url_name)


def install_data_version_triggers(sender, using, **kwargs):
    """After every migrate (and flush), give each public table its version and count triggers."""
    from core import dataversion
    from core.lists import buckets

    dataversion.install_triggers(using)
    buckets.install(using)


def install_search_indexes(sender, using, **kwargs):
    """After every migrate (and flush), on SQLite: each searchable table's FTS5 index."""
    from core import search

    search.install_fts_indexes(using)
