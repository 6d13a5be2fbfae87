"""The search seam: PostgreSQL full-text search where available, a plain fallback elsewhere.

On PostgreSQL each searchable table has a stored `search_vector` (tsvector) kept up to date by a
trigger and indexed with GIN. On SQLite the column exists but stays empty, and searches fall back
to case-insensitive substring matching of every word.
"""

import re
from contextlib import contextmanager, nullcontext

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, Q
from django.db.models.functions import Left
from django.utils.html import escape
from django.utils.safestring import mark_safe

SEARCH_CONFIG = "english"
#: Matches ranked by relevance one by one; a search matching more is counted up to here,
#: estimated beyond, and listed in its list's own order (ranking 100,000 rows takes seconds).
RANK_LIMIT = 1_000


def is_postgres(queryset=None):
    """Return whether `queryset` (or else the default database) runs on PostgreSQL."""
    using = DEFAULT_DB_ALIAS if queryset is None else queryset.db
    return connections[using].vendor == "postgresql"


@contextmanager
def _index_scans(using):
    connection = connections[using]
    enclosed = connection.in_atomic_block
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        yield
        if enclosed:  # the setting would otherwise outlast this block, to the outer commit
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = DEFAULT")


def through_index(queryset):
    """Return a context in which text searches of `queryset` read matches through its GIN index.

    Counting the first thousand matches of a common word, PostgreSQL would rather scan the
    table and test each row's search vector, as it does not count the cost of reading those
    vectors from out-of-line storage: three times the time of reading the matches by index.
    """
    if is_postgres(queryset) and has_search_vector(queryset.model):
        return _index_scans(queryset.db)
    return nullcontext()


def _trigger_names(table):
    return f"{table}_search_update", f"{table}_search_trigger", f"{table}_search_gin"


def create_search_trigger(schema_editor, table, weighted_columns):
    """Create the trigger that fills `search_vector` and its GIN index (PostgreSQL only).

    `weighted_columns` maps column names to weights "A"–"D" (A ranks highest).
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    function, trigger, index = _trigger_names(table)
    vector = " || ".join(
        f"setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(NEW.{column}, '')), '{weight}')"
        for column, weight in weighted_columns.items()
    )
    columns = ", ".join(weighted_columns)
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
        BEGIN
            NEW.search_vector := {vector};
            RETURN NEW;
        END
        $$ LANGUAGE plpgsql;
        DROP TRIGGER IF EXISTS {trigger} ON {table};
        CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE OF {columns} ON {table}
            FOR EACH ROW EXECUTE FUNCTION {function}();
        UPDATE {table} SET {next(iter(weighted_columns))} = {next(iter(weighted_columns))};
        CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin (search_vector);
        """
    )


def drop_search_trigger(schema_editor, table):
    """Drop what create_search_trigger made (PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    function, trigger, index = _trigger_names(table)
    schema_editor.execute(
        f"DROP INDEX IF EXISTS {index}; DROP TRIGGER IF EXISTS {trigger} ON {table}; "
        f"DROP FUNCTION IF EXISTS {function}();"
    )


def search_trigger_operation(table, weighted_columns):
    """Return a migration operation installing the search trigger of `table`."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        create_search_trigger(schema_editor, table, weighted_columns)

    def backwards(apps, schema_editor):
        drop_search_trigger(schema_editor, table)

    return migrations.RunPython(forwards, backwards)


def fallback_q(text, fields):
    """Return a Q requiring every word of `text` in at least one of `fields` (any database)."""
    query = Q()
    for word in text.split()[:12]:
        word_q = Q()
        for field in fields:
            word_q |= Q(**{f"{field}__icontains": word})
        query &= word_q
    return query


# --- Querying ---------------------------------------------------------------------------------

#: Sentinels around matched words in a headline; replaced by <mark> once the text is escaped.
_START, _STOP = "\x02", "\x03"
MAX_QUERY_WORDS = 12
#: Characters of a text its search excerpt is taken from (matches further on are not shown).
HEADLINE_CHARS = 20_000


def ranks(queryset):
    """Return whether searches of `queryset` can be ordered by relevance (PostgreSQL only)."""
    return is_postgres(queryset) and has_search_vector(queryset.model)


def _search_query(text):
    return SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")


def filter_queryset(queryset, text, fallback_fields):
    """Return rows of `queryset` matching `text` (websearch syntax on PostgreSQL)."""
    text = (text or "").strip()
    if not text:
        return queryset
    if ranks(queryset):
        return queryset.filter(search_vector=_search_query(text))
    return queryset.filter(fallback_q(text, fallback_fields))


def prefix_query(text):
    """Return a query matching rows with every word of `text` as a word prefix, or None.

    For searches as curators type them ("imr kh" finds Imran Khan): only letters and digits
    reach the raw query syntax.
    """
    words = re.findall(r"\w+", text)[:MAX_QUERY_WORDS]
    if not words:
        return None
    return SearchQuery(
        " & ".join(f"{word}:*" for word in words), config=SEARCH_CONFIG, search_type="raw"
    )


def has_search_vector(model):
    """Return whether `model` stores a full-text `search_vector` column."""
    return any(field.name == "search_vector" for field in model._meta.concrete_fields)


def order_by_rank(queryset, text):
    """Return `queryset` ordered by relevance to `text`, best first (PostgreSQL only).

    The stored vector is passed as a column (F): given a bare name, SearchRank would rebuild
    a vector from its text and lose the weights that rank a title above a summary.
    """
    return queryset.annotate(
        search_rank=SearchRank(F("search_vector"), _search_query(text))
    ).order_by("-search_rank", "-pk")


def attach_headlines(objects, text, field, *, attribute="headline", max_words=35):
    """Set `attribute` on each object to an escaped snippet of `field` with matches in <mark>.

    One query for the shown page only: SearchHeadline on PostgreSQL, an excerpt made in Python
    elsewhere (the field is read in that one query too, so a deferred field costs nothing).
    """
    objects = list(objects)
    text = (text or "").strip()
    if not objects or not text:
        return objects
    model = type(objects[0])
    rows = model.objects.filter(pk__in=[obj.pk for obj in objects])
    if is_postgres(rows):
        headline = SearchHeadline(
            # A dataset's body runs to megabytes and ts_headline reads all it is given.
            Left(field, HEADLINE_CHARS),
            _search_query(text),
            config=SEARCH_CONFIG,
            start_sel=_START,
            stop_sel=_STOP,
            max_words=max_words,
            min_words=max(5, max_words // 2),
            max_fragments=2,
            fragment_delimiter=" … ",
        )
        snippets = {
            pk: _marked(snippet or "")
            for pk, snippet in rows.annotate(search_headline=headline).values_list(
                "pk", "search_headline"
            )
        }
    else:
        snippets = {
            pk: plain_snippet((value or "")[:HEADLINE_CHARS], text, max_words)
            for pk, value in rows.values_list("pk", field)
        }
    for obj in objects:
        setattr(obj, attribute, snippets.get(obj.pk, ""))
    return objects


#: A match as the headline marks it: a start sentinel, text without sentinels, a stop sentinel.
_MATCH = re.compile(f"{_START}([^{_START}{_STOP}]*){_STOP}")


def _marked(snippet):
    """Return `snippet` escaped, its sentinel-delimited matches wrapped in <mark>.

    Only a start followed by a stop makes a mark: the same characters found in a text (pasted
    with an article) are dropped, never left to open or close a mark of their own.
    """
    marked = _MATCH.sub(r"<mark>\1</mark>", escape(snippet))
    return mark_safe(marked.replace(_START, "").replace(_STOP, ""))  # noqa: S308


def plain_snippet(value, text, max_words=35):
    """Return an escaped excerpt of `value` around the first word of `text` found, in <mark>."""
    terms = [word.strip('"').lstrip("-") for word in text.split()[:MAX_QUERY_WORDS]]
    terms = [term for term in terms if term and term.lower() != "or"]
    tokens = value.replace(_START, "").replace(_STOP, "").split()
    if not tokens:
        return _marked("")
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    first = next((i for i, token in enumerate(tokens) if terms and pattern.search(token)), 0)
    start = max(0, first - max_words // 3)
    excerpt = " ".join(tokens[start : start + max_words])
    if terms:
        excerpt = pattern.sub(lambda match: f"{_START}{match.group(0)}{_STOP}", excerpt)
    prefix = "… " if start else ""
    suffix = " …" if start + max_words < len(tokens) else ""
    return _marked(f"{prefix}{excerpt}{suffix}")
