"""The search seam: full-text search on both databases, with the same query syntax.

The syntax is PostgreSQL's websearch syntax: words (all must match), "a quoted phrase", `or`
between alternatives, `-word` to leave out.

- PostgreSQL: each searchable table has a stored `search_vector` (tsvector) kept up to date by
  a trigger and indexed with GIN; queries go through websearch_to_tsquery.
- SQLite: each searchable table has an FTS5 index (`<table>_fts`, external content, Porter
  stemming) kept up to date by triggers, as the PostgreSQL vectors are; the query is written
  in FTS5's syntax (fts_query), ranked by bm25 with the same column weights.
- A model without a search column (issues), or a SQLite built without FTS5, falls back to
  case-insensitive substring matching of every word.
"""

import re
from contextlib import contextmanager, nullcontext

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, FloatField, Func, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Left
from django.utils.html import escape
from django.utils.safestring import mark_safe

SEARCH_CONFIG = "english"
#: The syntax, as the search boxes state it, with an example of each rule (a test runs each
#: example on both databases).
SYNTAX_EXAMPLES = (
    ("Every word must appear", "kashmir mediation"),
    ("quotes find a phrase", '"prime minister"'),
    ("or finds either word", "kashmir or cipher"),
    ("a minus leaves a word out", "kashmir -trump"),
)
SYNTAX_HELP = "; ".join(f"{rule}: {example}" for rule, example in SYNTAX_EXAMPLES) + "."
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
    """Return whether searches of `queryset` are full-text and ordered by relevance."""
    if is_postgres(queryset):
        return has_search_vector(queryset.model)
    return has_fts(queryset.model, queryset.db)


def _search_query(text):
    return SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")


def filter_queryset(queryset, text, fallback_fields):
    """Return rows of `queryset` matching `text` (websearch syntax on both databases)."""
    text = (text or "").strip()
    if not text:
        return queryset
    if not ranks(queryset):
        return queryset.filter(fallback_q(text, fallback_fields))
    if is_postgres(queryset):
        return queryset.filter(search_vector=_search_query(text))
    query = fts_query(text)
    if query is None:
        return queryset.none()
    fts = fts_table(queryset.model)
    matches = RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [query])
    return queryset.filter(pk__in=matches)


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
    """Return `queryset` ordered by relevance to `text`, best first.

    On PostgreSQL the stored vector is passed as a column (F): given a bare name, SearchRank
    would rebuild a vector from its text and lose the weights that rank a title above a summary.
    On SQLite, bm25 with the same weights (lower is better, hence negated).
    """
    if is_postgres(queryset):
        rank = SearchRank(F("search_vector"), _search_query(text))
    else:
        rank = FtsRank(queryset.model, fts_query(text) or '""')
    return queryset.annotate(search_rank=rank).order_by("-search_rank", "-pk")


def attach_headlines(objects, text, field, *, attribute="headline", max_words=35):
    """Set `attribute` on each object to an escaped snippet of `field` with matches in <mark>.

    One query for the shown page only: SearchHeadline on PostgreSQL, FTS5's snippet() on
    SQLite (where the field is indexed), else an excerpt made in Python (the field is read in
    that one query too, so a deferred field costs nothing).
    """
    objects = list(objects)
    text = (text or "").strip()
    if not objects or not text:
        return objects
    model = type(objects[0])
    rows = model.objects.filter(pk__in=[obj.pk for obj in objects])
    if is_postgres(rows):
        snippets = _postgres_headlines(rows, text, field, max_words)
    else:
        snippets = {}
        if has_fts(model, rows.db) and field in model.search_weights:
            ids = [obj.pk for obj in objects]
            snippets = _fts_snippets(model, rows.db, ids, text, field, max_words)
        missing = [obj.pk for obj in objects if obj.pk not in snippets]
        if missing:
            snippets.update(
                (pk, plain_snippet((value or "")[:HEADLINE_CHARS], text, max_words))
                for pk, value in rows.filter(pk__in=missing).values_list("pk", field)
            )
    for obj in objects:
        setattr(obj, attribute, snippets.get(obj.pk, ""))
    return objects


def _postgres_headlines(rows, text, field, max_words):
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
    return {
        pk: _marked(snippet or "")
        for pk, snippet in rows.annotate(search_headline=headline).values_list(
            "pk", "search_headline"
        )
    }


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


# --- SQLite's FTS5 ----------------------------------------------------------------------------

#: bm25 weights of the four PostgreSQL weights (ts_rank's defaults are 1, 0.4, 0.2, 0.1).
FTS_WEIGHTS = {"A": 10.0, "B": 4.0, "C": 2.0, "D": 1.0}
#: Words PostgreSQL's English configuration drops from a query: dropped here too, outside
#: phrases, so that "the kashmir dispute" finds the same rows on both databases.
STOP_WORDS = frozenset(
    "a about above after again against all am an and any are as at be because been before "
    "being below between both but by can did do does doing down during each few for from "
    "further had has have having he her here hers herself him himself his how i if in into is "
    "it its itself just me more most my myself no nor not now of off on once only or other our "
    "ours ourselves out over own same she should so some such than that the their theirs them "
    "themselves then there these they this those through to too under until up very was we "
    "were what when where which while who whom why will with you your yours yourself "
    "yourselves s t d ll m o re ve y don".split()
)
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


class FtsRank(Func):
    """A row's bm25 relevance in its table's FTS5 index (negated: higher is better), SQLite.

    A subquery per row, correlated by the row's id as the outer query names it: ranking
    happens only for results of at most RANK_LIMIT rows.
    """

    output_field = FloatField()

    def __init__(self, model, query):
        self.fts = fts_table(model)
        self.weights = ", ".join(str(FTS_WEIGHTS[w]) for w in model.search_weights.values())
        self.query = query
        super().__init__(F("pk"))

    def as_sql(self, compiler, connection, **extra_context):
        pk_sql, pk_params = compiler.compile(self.get_source_expressions()[0])
        fts = self.fts
        sql = (
            f"(SELECT -bm25({fts}, {self.weights}) FROM {fts} "
            f"WHERE {fts} MATCH %s AND {fts}.rowid = {pk_sql})"
        )
        return sql, [self.query, *pk_params]


def fts_table(model):
    """Return the name of `model`'s FTS5 index table."""
    return f"{model._meta.db_table}_fts"


def has_fts(model, using=DEFAULT_DB_ALIAS):
    """Return whether `model` has an FTS5 index on this (SQLite) database."""
    if not getattr(model, "search_weights", None):
        return False
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    return fts_table(model) in _fts_tables(connection)


#: {database name: names of its FTS5 tables}, read once per process (install_fts_indexes
#: forgets it after making them).
_fts_names = {}


def _fts_tables(connection):
    name = connection.settings_dict["NAME"]
    if name not in _fts_names:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%fts5%'"
            )
            _fts_names[name] = {table for (table,) in cursor.fetchall()}
    return _fts_names[name]


def fts_query(text):
    """Return `text` (websearch syntax) as an FTS5 query, or None if it asks for nothing.

    Words and phrases are quoted (nothing of the text reaches FTS5's own syntax); `or` joins
    its neighbours; `-word` and `-"phrase"` become NOT. A query of exclusions alone finds
    nothing (FTS5 cannot say "every row but").
    """
    groups, excluded, joined = [], [], False
    for match in list(_TOKEN.finditer(text))[: MAX_QUERY_WORDS * 2]:
        minus, phrase, word = match.groups()
        if word is not None:
            if word.lower() == "or":
                joined = bool(groups)
                continue
            minus = "-" if word.startswith("-") and len(word) > 1 else ""
            terms = [t for t in re.findall(r"\w+", word.lower()) if t not in STOP_WORDS]
        else:
            terms = re.findall(r"\w+", phrase.lower())
        if not terms:
            continue
        term = '"' + " ".join(terms) + '"'
        if minus:
            excluded.append(term)
        elif joined:
            groups[-1].append(term)
        else:
            groups.append([term])
        joined = False
    if not groups:
        return None
    query = " AND ".join(
        f"({' OR '.join(group)})" if len(group) > 1 else group[0] for group in groups
    )
    return query + "".join(f" NOT {term}" for term in excluded)


def _fts_snippets(model, using, ids, text, field, max_words):
    """Return {pk: marked snippet of `field`} of the rows `ids` matching `text` (SQLite)."""
    query = fts_query(text)
    if query is None or not ids:
        return {}
    fts = fts_table(model)
    column = list(model.search_weights).index(field)
    placeholders = ", ".join(["%s"] * len(ids))
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, snippet({fts}, {column}, %s, %s, ' … ', %s) FROM {fts} "
            f"WHERE {fts} MATCH %s AND rowid IN ({placeholders})",
            [_START, _STOP, min(64, max_words), query, *ids],
        )
        return {pk: _marked(snippet or "") for pk, snippet in cursor.fetchall()}


def install_fts_indexes(using=DEFAULT_DB_ALIAS):
    """On SQLite, give every model with `search_weights` its FTS5 index and triggers.

    Idempotent: run after every migrate. A new index is filled from the table's rows; after
    that, triggers keep it in step with every insert, update and delete. Does nothing where
    SQLite was built without FTS5 (searches then fall back to substring matching).
    """
    from django.apps import apps

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    models = [model for model in apps.get_models() if getattr(model, "search_weights", None)]
    with connection.cursor() as cursor:
        for model in models:
            table, fts = model._meta.db_table, fts_table(model)
            if table not in connection.introspection.table_names(cursor):
                continue
            columns = list(model.search_weights)
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [fts])
            created = cursor.fetchone() is None
            try:
                cursor.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({', '.join(columns)}, "
                    f"content='{table}', content_rowid='id', "
                    "tokenize='porter unicode61 remove_diacritics 2')"
                )
            except Exception:  # SQLite without FTS5: substring matching it is
                return
            names = ", ".join(columns)
            new = ", ".join(f"new.{column}" for column in columns)
            old = ", ".join(f"old.{column}" for column in columns)
            remove = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old});"
            add = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new});"
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {add} END"
            )
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} "
                f"BEGIN {remove} END"
            )
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {names} ON {table} "
                f"BEGIN {remove} {add} END"
            )
            if created:
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    _fts_names.pop(connection.settings_dict["NAME"], None)
