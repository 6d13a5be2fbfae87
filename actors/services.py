"""Curators' services on actors: find likely duplicates, merge two actors losing nothing.

The merge knows no other app: it walks every relation pointing at Actor
(Actor._meta.related_objects: foreign keys, many-to-many links, self-references) and moves
what points at the merged actor to the kept one, so a new app's links move too.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from django.db import models, transaction

from actors.models import Actor, ActorAlias, ActorKind
from actors.names import PARTICLES

#: Pairs of names at least this similar are listed as possible duplicates.
DUPLICATE_THRESHOLD = 0.85
#: Each word of the shorter name must be at least this close to a word of the other.
WORD_THRESHOLD = 0.75


@lru_cache(maxsize=65536)  # the same words meet again and again across pairs
def _word_similarity(word, other):
    if word == other:
        return 1.0
    matcher = SequenceMatcher(None, word, other)
    if matcher.real_quick_ratio() < WORD_THRESHOLD or matcher.quick_ratio() < WORD_THRESHOLD:
        return 0.0
    return matcher.ratio()


def name_similarity(first, second):
    """Return how alike two fingerprints are (0–1): each word of the shorter name, matched.

    "asif zadari" / "ali asif zardari" and "gillani yousuf" / "gilani raza yusuf" score over
    0.9; names sharing only a surname or a particle score 0.
    """
    shorter, longer = sorted((first.split(), second.split()), key=len)
    telling = [word for word in shorter if word not in PARTICLES]
    if not telling:
        return 0.0
    scores = []
    for word in telling:
        best = max(_word_similarity(word, other) for other in longer)
        if best < WORD_THRESHOLD:
            return 0.0
        scores.append(best)
    return sum(scores) / len(scores)


@dataclass(frozen=True)
class DuplicatePair:
    """Two actors whose names are alike enough for a curator to look at."""

    first: Actor
    second: Actor
    score: float
    first_name: str  # the spellings that matched
    second_name: str

    @property
    def one_word(self):
        """Return whether the match rests on one word of a name ("Khan" of "Imran Khan")."""
        shorter = min(self.first_name.split(), self.second_name.split(), key=len)
        return len([word for word in shorter if word not in PARTICLES]) < 2


def find_duplicate_pairs(*, threshold=DUPLICATE_THRESHOLD, limit=500):
    """Return likely duplicate persons, most alike first, compared within one country.

    Pairs alike in one word only (a one-word name or alias such as "Khan") come last.

    Persons without a country are compared with everyone. Only names sharing a word's
    first letter are compared, which keeps the work far below all pairs.
    """
    actors = {
        actor.pk: actor
        for actor in Actor.objects.filter(kind=ActorKind.PERSON).select_related("country")
    }
    spellings = defaultdict(set)  # actor pk -> {fingerprint}
    for actor in actors.values():
        spellings[actor.pk].add(actor.fingerprint)
    aliases = ActorAlias.objects.filter(actor__kind=ActorKind.PERSON)
    for actor_id, print_ in aliases.values_list("actor_id", "fingerprint"):
        if print_:
            spellings[actor_id].add(print_)

    blocks = defaultdict(set)  # (country pk, first letter) -> {actor pk}
    for actor_id, prints in spellings.items():
        for print_ in prints:
            for word in print_.split():
                if word not in PARTICLES:
                    blocks[actors[actor_id].country_id, word[0]].add(actor_id)
    homeless = {key[1]: ids for key, ids in blocks.items() if key[0] is None}

    best = {}
    for (country_id, letter), ids in blocks.items():
        if country_id is None:  # persons without a country: compared with every country's
            others = set().union(*(v for k, v in blocks.items() if k[1] == letter))
        else:
            others = ids | homeless.get(letter, set())
        for first_id in ids:
            for second_id in others:
                pair = (min(first_id, second_id), max(first_id, second_id))
                if first_id == second_id or pair in best:
                    continue
                best[pair] = max(
                    (name_similarity(a, b), a, b)
                    for a in spellings[pair[0]]
                    for b in spellings[pair[1]]
                )
    pairs = [
        DuplicatePair(actors[first], actors[second], score, first_print, second_print)
        for (first, second), (score, first_print, second_print) in best.items()
        if score >= threshold
    ]
    # A whole name spelled alike first; a name matched by one word only ("Castro", "Khan")
    # is more often someone else.
    pairs.sort(key=lambda pair: (pair.one_word, -pair.score, pair.first.name, pair.second.name))
    return pairs[:limit]


def _label(relation):
    model = relation.related_model
    return f"{model._meta.verbose_name_plural} ({relation.field.verbose_name})"


def merge_preview(other):
    """Return [(what, count)] of everything that points at `other` and would move."""
    preview = []
    for relation in Actor._meta.related_objects:
        if relation.many_to_many:
            through = relation.through
            if not through._meta.auto_created:
                continue  # counted through its own foreign keys
            target = relation.field.m2m_reverse_field_name()
            count = through.objects.filter(**{target: other}).count()
        else:
            count = relation.related_model.objects.filter(**{relation.field.name: other}).count()
        if count:
            preview.append((_label(relation), count))
    return preview


def _unique_field_sets(model, field_name):
    """Return the sets of fields that must be unique together and include `field_name`."""
    sets = [
        tuple(constraint.fields)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        and constraint.condition is None
        and field_name in constraint.fields
    ]
    sets += [tuple(fields) for fields in model._meta.unique_together if field_name in fields]
    if model._meta.get_field(field_name).unique:
        sets.append((field_name,))
    return sets


def _save(obj, user, reason, **kwargs):
    obj._history_user = user  # read by django-simple-history for the history row
    obj._change_reason = reason
    obj.save(**kwargs)


def _fill_blanks(target, source):
    """Copy into `target` the values it lacks and `source` has; return whether any was."""
    changed = False
    for field in target._meta.concrete_fields:
        if field.primary_key or field.is_relation:
            continue
        mine, theirs = getattr(target, field.attname), getattr(source, field.attname)
        if mine in (None, "") and theirs not in (None, ""):
            setattr(target, field.attname, theirs)
            changed = True
    return changed


def _move_foreign_key(relation, keep, other, user, reason):
    model, field = relation.related_model, relation.field
    unique_sets = _unique_field_sets(model, field.name)
    moved = 0
    for row in model.objects.filter(**{field.name: other}).order_by("pk"):
        if model is Actor and row.pk == keep.pk:
            # The kept actor pointed at the merged one (e.g. as its country).
            setattr(row, field.name, None if field.null else keep)
            _save(row, user, reason)
            keep.refresh_from_db()
            moved += 1
            continue
        duplicate = None
        for fields in unique_sets:
            lookup = {name: getattr(row, name) for name in fields if name != field.name}
            lookup[field.name] = keep
            duplicate = model.objects.filter(**lookup).exclude(pk=row.pk).first()
            if duplicate is not None:
                break
        if duplicate is None:
            setattr(row, field.name, keep)
            _save(row, user, reason)
        else:
            # The kept actor already has this row: keep one, with whatever the other adds.
            if _fill_blanks(duplicate, row):
                _save(duplicate, user, reason)
            row._history_user, row._change_reason = user, reason
            row.delete()
        moved += 1
    return moved


def _move_many_to_many(relation, keep, other, user, reason):
    through = relation.through
    target = relation.field.m2m_reverse_field_name()
    owner = relation.field.m2m_field_name()
    links = through.objects.filter(**{target: other})
    owner_ids = set(links.values_list(f"{owner}_id", flat=True))
    if not owner_ids:
        return 0
    already = through.objects.filter(**{target: keep, f"{owner}__in": owner_ids})
    links.filter(**{f"{owner}__in": already.values(f"{owner}_id")}).delete()
    links.update(**{target: keep})
    owner_model = relation.related_model
    if hasattr(owner_model, "history"):
        # Links carry no history of their own: note the change on each owner.
        for obj in owner_model.objects.filter(pk__in=owner_ids):
            _save(obj, user, reason)
    return len(owner_ids)


def actor_merge(*, keep, other, user=None):
    """Merge `other` into `keep`: every link moves, its names become aliases, it is deleted.

    Runs in one transaction and leaves history rows (with `user`) on everything it changes.
    Returns {what moved: count}.
    """
    if keep.pk == other.pk:
        raise ValueError("An actor cannot be merged into itself.")
    with transaction.atomic():
        locked = Actor.objects.select_for_update().filter(pk__in=[keep.pk, other.pk])
        found = {actor.pk: actor for actor in locked}
        if len(found) != 2:
            raise Actor.DoesNotExist("One of the actors to merge no longer exists.")
        keep, other = found[keep.pk], found[other.pk]
        reason = f"Merged “{other.name}” (#{other.pk}) into “{keep.name}” (#{keep.pk})"
        moved = Counter()
        for relation in Actor._meta.related_objects:
            if relation.many_to_many:
                if not relation.through._meta.auto_created:
                    continue  # an explicit through model is walked as a foreign key
                count = _move_many_to_many(relation, keep, other, user, reason)
            else:
                count = _move_foreign_key(relation, keep, other, user, reason)
            if count:
                moved[_label(relation)] += count
        for field in Actor._meta.many_to_many:
            getattr(keep, field.name).add(*getattr(other, field.name).all())
        known = {keep.name, *keep.aliases.values_list("name", flat=True)}
        if other.name not in known:
            _save(ActorAlias(actor=keep, name=other.name), user, reason)
        if not keep.description and other.description:
            keep.description = other.description
        _save(keep, user, reason)
        other._history_user, other._change_reason = user, reason
        other.delete()
    return dict(moved)
