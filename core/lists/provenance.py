"""Where a row comes from: an official dataset, or the curators' reading of articles."""

from django.db.models import Q

#: Where a row comes from: an official dataset (imported, with its record's id) or the
#: curators' reading of articles. The `record` filter and facet of the lists.
RECORD_CHOICES = (
    ("article", "From articles"),
    ("official", "Official record"),
)


def official_q():
    """Return a Q for rows imported from an official dataset: an importer names its dataset
    in the row's `dataset` (the seed's own rows, and the curators', name none)."""
    return ~Q(dataset="")


def record_q(model, value):
    """Return a Q for rows of `model` of one origin of RECORD_CHOICES.

    A model may say what its official records are (`official_record_q()`: a visit that an
    article discusses is the articles' too); else they are the rows a dataset importer made.
    """
    official = getattr(model, "official_record_q", official_q)()
    return official if value == "official" else ~official
