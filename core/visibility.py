"""Stored visibility and copied columns, kept in step with every write.

A visit or claim is public when it is published and its parents are public (`public_parents`).
Checking that on every read cost up to five joins per row, so each such model stores the answer
in `is_public`; a claim also stores its source's date (`copied_fields`) so that lists sort and
filter by it on one table. This module is the one place that keeps those columns right:

- a row being saved gets them from its parents (`fill`), in the same write;
- when a row changes, the rows below it are brought in step (`cascade`): publishing a source
  makes its published claims public, unpublishing an actor hides the visits and claims that
  depend on it;
- the bulk paths (`bulk_create`, `bulk_update`, `update`) go through the same two functions
  (see `core.models.CuratedQuerySet`), and `refresh_all` rebuilds every stored column.

Each refresh is a pair of UPDATEs that touch only rows whose stored value is wrong, so running
one over rows that are already right writes nothing.
"""

import contextlib
import functools
from collections import defaultdict

from django.apps import apps
from django.db import connections, router, transaction
from django.db.models import F, OuterRef, Q, Subquery

from core.status import PublicationStatus

PUBLISHED = "published"
#: Ids per statement when refreshing a list of rows (below SQLite's variable limit).
BATCH = 500


def stores_visibility(model):
    """Return whether `model` stores its visibility in an `is_public` column."""
    return any(field.name == "is_public" for field in model._meta.concrete_fields)


def copied_fields(model):
    """Return {field: (parent, parent field)} of the columns `model` copies from a parent."""
    declared = getattr(model, "copied_fields", {})
    return {name: tuple(path.split("__", 1)) for name, path in declared.items()}


def _not_published(prefix):
    others = [value for value in PublicationStatus.values if value != PUBLISHED]
    return Q(**{f"{prefix}publication_status__in": others})


def stored_public_q(model, prefix=""):
    """Return a Q matching public rows of `model` as stored (its own flag, or its status)."""
    if stores_visibility(model):
        return Q(**{f"{prefix}is_public": True})
    return visible_q(model, prefix)


def visible_q(model, prefix=""):
    """Return the definition of a public row of `model`, on its parents' stored visibility.

    Published, and each parent in `public_parents` public (a nullable parent may be absent).
    """
    query = Q(**{f"{prefix}publication_status": PUBLISHED})
    for name in getattr(model, "public_parents", ()):
        field = model._meta.get_field(name)
        parent = stored_public_q(field.related_model, f"{prefix}{name}__")
        if field.null:
            parent |= Q(**{f"{prefix}{name}__isnull": True})
        query &= parent
    return query


def hidden_q(model):
    """Return the negation of `visible_q(model)`, written with positive lookups only.

    (Django's negation across nullable joins is easy to get subtly wrong; an inner join on
    a parent that is not public cannot be.)
    """
    query = _not_published("")
    for name in model.public_parents:
        parent = model._meta.get_field(name).related_model
        if stores_visibility(parent):
            query |= Q(**{f"{name}__is_public": False})
        else:
            query |= _not_published(f"{name}__")
    return query


def together(using=None):
    """Return a context in which a row and the rows below it are written all or not at all.

    Inside an existing transaction that transaction already does it (and adding a block
    without a savepoint would change how an error inside it is handled).
    """
    if transaction.get_connection(using).in_atomic_block:
        return contextlib.nullcontext()
    return transaction.atomic(using=using)


# --- The model graph ----------------------------------------------------------------------


def _paths(model, target):
    """Return the `__` paths from `model` to `target` through public parents and copies."""
    names = set(getattr(model, "public_parents", ())) | {
        parent for parent, _field in copied_fields(model).values()
    }
    paths = []
    for name in sorted(names):
        parent = model._meta.get_field(name).related_model
        if parent is target:
            paths.append(name)
        paths += [f"{name}__{rest}" for rest in _paths(parent, target)]
    return paths


def _depth(model):
    parents = [model._meta.get_field(name).related_model for name in model.public_parents]
    return 1 + max((_depth(parent) for parent in parents), default=0)


@functools.cache
def dependants(target):
    """Return [(model, paths)] of the models whose stored columns depend on rows of `target`.

    Ordered parents first, so that a refresh reads parents that are already right.
    """
    found = []
    for model in apps.get_models():
        if not (stores_visibility(model) or copied_fields(model)):
            continue
        paths = _paths(model, target)
        if paths:
            found.append((model, tuple(paths)))
    return sorted(found, key=lambda item: _depth(item[0]))


def relevant_fields(model):
    """Return the fields whose change may change stored columns of `model` or rows below it.

    The stored columns themselves are among them: a write that sets one directly is put
    right at once rather than trusted.
    """
    names = {"publication_status", *stored_fields(model)}
    names |= set(getattr(model, "public_parents", ()))
    names |= {parent for parent, _field in copied_fields(model).values()}
    for other, _paths_to in dependants(model):
        for parent, field in copied_fields(other).values():
            if _parent_model(other, parent) is model:
                names.add(field)
    attnames = set()
    for name in names:
        field = model._meta.get_field(name)
        attnames |= {field.name, field.attname}
    return attnames


def _parent_model(model, name):
    return model._meta.get_field(name).related_model


def stored_fields(model):
    """Return the names of the columns of `model` this module keeps."""
    names = ["is_public"] if stores_visibility(model) else []
    return names + list(copied_fields(model))


# --- Filling rows before they are written -------------------------------------------------


def _parent_rows(parent, ids, columns, lock):
    """Return {id: {column: value}} for the rows `ids` of `parent` (one query).

    With `lock`, on PostgreSQL, a parent whose publication is being changed in another
    transaction makes this read wait for it (FOR SHARE), so a child saved meanwhile cannot keep
    a stale, public flag. Django's select_for_update() has no shared mode, hence the SQL.
    """
    using = router.db_for_write(parent)
    connection = connections[using]
    quote = connection.ops.quote_name
    meta = parent._meta
    names = [meta.pk.column, *(meta.get_field(name).column for name in columns)]
    selected = ", ".join(quote(name) for name in names)
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT {selected} FROM {quote(meta.db_table)} "  # noqa: S608 - quoted names only
        f"WHERE {quote(meta.pk.column)} IN ({placeholders})"
    )
    if lock and connection.vendor == "postgresql":
        sql += " FOR SHARE"
    with connection.cursor() as cursor:
        cursor.execute(sql, list(ids))
        return {row[0]: dict(zip(columns, row[1:], strict=True)) for row in cursor.fetchall()}


def fill(objs):
    """Set the stored columns of new or changed `objs` (of one model) from their parents.

    One query per parent table for the whole list. A draft needs no parent read for its
    flag: it is not public whatever they are.
    """
    if not objs:
        return
    model = type(objs[0])
    flag = stores_visibility(model)
    copies = copied_fields(model)
    if not flag and not copies:
        return
    # The parents to read: {parent name: (columns, whether drafts need it too)}.
    reads = defaultdict(lambda: [set(), False])
    if flag:
        for name in model.public_parents:
            parent = _parent_model(model, name)
            reads[name][0].add("is_public" if stores_visibility(parent) else "publication_status")
    for parent_name, parent_field in copies.values():
        reads[parent_name][0].add(parent_field)
        reads[parent_name][1] = True
    # Grouped by table, so that three foreign keys to actors cost one query.
    tables = defaultdict(lambda: [set(), set()])  # parent model -> [columns, ids]
    for name, (columns, for_drafts) in reads.items():
        attname = model._meta.get_field(name).attname
        table = tables[_parent_model(model, name)]
        table[0] |= columns
        table[1] |= {
            getattr(obj, attname)
            for obj in objs
            if for_drafts or obj.publication_status == PUBLISHED
        } - {None}
    rows = {
        parent: _parent_rows(parent, ids, sorted(columns), lock=flag) if ids else {}
        for parent, (columns, ids) in tables.items()
    }
    for obj in objs:
        for field_name, (parent_name, parent_field) in copies.items():
            parent_row = _row_of(model, obj, parent_name, rows)
            setattr(obj, field_name, parent_row.get(parent_field) if parent_row else None)
        if flag:
            obj.is_public = obj.publication_status == PUBLISHED and all(
                _parent_public(model, obj, name, rows) for name in model.public_parents
            )


def _row_of(model, obj, name, rows):
    field = model._meta.get_field(name)
    parent_id = getattr(obj, field.attname)
    return None if parent_id is None else rows[field.related_model].get(parent_id)


def _parent_public(model, obj, name, rows):
    if getattr(obj, model._meta.get_field(name).attname) is None:
        return model._meta.get_field(name).null
    row = _row_of(model, obj, name, rows)
    if row is None:
        return False
    if "is_public" in row:
        return bool(row["is_public"])
    return row["publication_status"] == PUBLISHED


# --- Refreshing stored rows ----------------------------------------------------------------


def refresh(model, scope=None):
    """Correct the stored columns of the rows of `model` in `scope` (a Q; None = all rows).

    Returns the number of rows changed.
    """
    rows = model.objects.all()
    if scope is not None:
        rows = rows.filter(scope)
    changed = 0
    if stores_visibility(model):
        changed += rows.filter(visible_q(model), is_public=False).update(is_public=True)
        changed += rows.filter(hidden_q(model), is_public=True).update(is_public=False)
    for name, (parent_name, parent_field) in copied_fields(model).items():
        source = f"{parent_name}__{parent_field}"
        stale = (
            Q(**{f"{name}__isnull": True, f"{source}__isnull": False})
            | Q(**{f"{name}__isnull": False, f"{source}__isnull": True})
            | Q(**{f"{name}__lt": F(source)})
            | Q(**{f"{name}__gt": F(source)})
        )
        parent = _parent_model(model, parent_name)
        value = parent.objects.filter(pk=OuterRef(f"{parent_name}_id")).values(parent_field)
        changed += rows.filter(stale).update(**{name: Subquery(value[:1])})
    return changed


def _in_batches(ids):
    ids = sorted(set(ids))
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def refresh_rows(model, ids):
    """Correct the stored columns of the rows `ids` of `model`."""
    if not stored_fields(model):
        return 0
    return sum(refresh(model, Q(pk__in=batch)) for batch in _in_batches(ids))


def cascade(model, ids):
    """Bring the rows that depend on rows `ids` of `model` in step with them."""
    changed = 0
    for batch in _in_batches(ids):
        for dependant, paths in dependants(model):
            scope = Q()
            for path in paths:
                scope |= Q(**{f"{path}__in": batch})
            changed += refresh(dependant, scope)
    return changed


def refresh_all(progress=None):
    """Rebuild every stored column, parents first; return {model label: rows changed}."""
    report = {}
    models = [m for m in apps.get_models() if stored_fields(m)]
    for model in sorted(models, key=_depth):
        with transaction.atomic():
            report[model._meta.label] = refresh(model)
        if progress:
            progress(f"{model._meta.label}: {report[model._meta.label]:,} rows corrected")
    return report
