"""The reads of claims: what a list row, a card and a CSV row need."""

from actors.models import Actor
from core.models import CuratedQuerySet, shown
from visits.models import Issue


class ClaimQuerySet(CuratedQuerySet):
    def for_list(self):
        """Return claims with everything a list row or CSV row shows, in a fixed few queries."""
        return (
            self.select_related("source", "speaker", "visit")
            .defer_unshown("source", "speaker", "visit")
            # A source's texts are long and a claim row shows only its title.
            .defer("source__raw_text", "source__body")
            .prefetch_related(
                shown("issues", Issue.objects.published().as_links(), "shown_issues"),
                shown("actors", Actor.objects.published().as_links(), "shown_actors"),
                shown("disputed_by", Actor.objects.published().as_links(), "shown_disputers"),
            )
        )
