"""Turn names as sources write them into actors: titles split off, spellings matched.

"Prime Minister Mohammed Nawaz Sharif" becomes the title "Prime Minister" (an ActorRole dated
by the record) and the name "Mohammed Nawaz Sharif", which resolves, in this order, to
1. an actor whose name or alias has the same fingerprint (core.text.fingerprint), preferring
   one of the same country, then one whose country is not recorded;
2. the one actor of the same country whose name words are a superset or subset of the
   name's words ("Nawaz Sharif" / "Mohammed Nawaz Sharif"), when no other actor fits too and
   the smaller name still says something (two words besides particles such as "al" or "bin",
   the same generational suffix: "Ferdinand Marcos" is not "Ferdinand Marcos Jr.");
3. otherwise a new person.
Every spelling seen is kept as an alias, so the next run and the curators find it again.
Spellings known to be one person's (`known_spellings`: typos and transliterations a dataset
uses) resolve to the name that person is known by before any of these steps.
Near misses ("Asif Zadari" / "Asif Ali Zardari") are left for a curator: see actors.services.
"""

import datetime
from collections import defaultdict

from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from actors.models import Actor, ActorAlias, ActorKind, ActorRole
from actors.names import is_partial_match, title_key
from core.dates import DatePrecision
from core.status import PublicationStatus
from core.text import fingerprint

#: Roles seen further apart than this are kept as separate terms ("1990–1993", "2013–2017").
ROLE_GAP = datetime.timedelta(days=5 * 365)


class ActorResolver:
    """Resolves names to actors against an in-memory index, creating what is missing in bulk."""

    def __init__(self, *, change_reason="", user=None, known_spellings=()):
        self.change_reason = change_reason
        self.user = user
        # (country slug, fingerprint of another spelling) -> the name the person is known by
        self._known_as = {
            (country, fingerprint(other)): name
            for country, name, others in known_spellings
            for other in others
        }
        self.countries = {}  # slug -> country actor
        self._by_fingerprint = defaultdict(list)  # fingerprint -> [actor]
        self._words_by_country = defaultdict(list)  # country pk -> [(words, actor)]
        self._spellings = defaultdict(set)  # id(actor) -> names known for it
        self._slugs = set()
        self._pending_actors, self._pending_aliases = [], []
        self.created_actors = self.created_aliases = 0
        self._load()

    def _load(self):
        actors = self._by_pk = {}
        fields = ["id", "name", "slug", "kind", "country_id", "fingerprint"]
        for actor in Actor.objects.only(*fields):
            actors[actor.pk] = actor
            self._slugs.add(actor.slug)
            if actor.kind == ActorKind.COUNTRY:
                self.countries[actor.slug] = actor
            self._index(actor, actor.name, actor.fingerprint or fingerprint(actor.name))
        for actor_id, name, print_ in ActorAlias.objects.values_list(
            "actor_id", "name", "fingerprint"
        ):
            if actor_id in actors:
                self._index(actors[actor_id], name, print_ or fingerprint(name))
        # A slug of the data may already belong to a country actor under another kind.
        self._by_slug = {actor.slug: actor for actor in actors.values()}

    def spellings_of(self, actor_pk):
        """Return the fingerprints of a saved actor's name and aliases."""
        actor = self._by_pk.get(actor_pk)
        if actor is None:
            return set()
        return {fingerprint(name) for name in self._spellings[id(actor)]}

    def _index(self, actor, name, print_):
        self._spellings[id(actor)].add(name)
        self._by_fingerprint[print_ or name.casefold()].append(actor)
        if actor.kind == ActorKind.PERSON:
            self._words_by_country[actor.country_id].append((frozenset(print_.split()), actor))

    def _unique_slug(self, text):
        base = slugify(text)[:190].strip("-") or "actor"
        candidate, counter = base, 2
        while candidate in self._slugs:
            candidate, counter = f"{base}-{counter}", counter + 1
        self._slugs.add(candidate)
        return candidate

    def _create(self, **values):
        actor = Actor(publication_status=PublicationStatus.PUBLISHED, **values)
        actor.fingerprint = fingerprint(actor.name)
        self._pending_actors.append(actor)
        self._index(actor, actor.name, actor.fingerprint)
        return actor

    def remember_spelling(self, actor, name):
        """Keep `name` as an alias of `actor` unless it is already known."""
        if not name or name in self._spellings[id(actor)]:
            return
        alias = ActorAlias(actor=actor, name=name[:200], fingerprint=fingerprint(name))
        self._pending_aliases.append(alias)
        self._index(actor, alias.name, alias.fingerprint)

    def country(self, slug, name):
        """Return the country actor of a data slug, creating it (named `name`) if missing."""
        actor = self.countries.get(slug) or self._by_slug.get(slug)
        if actor is None:
            self._slugs.add(slug)
            actor = self._create(name=name, slug=slug, kind=ActorKind.COUNTRY)
            self._by_slug[slug] = actor
        self.countries[slug] = actor
        self.remember_spelling(actor, name)
        return actor

    def person(self, name, country, *, allow_partial=True, avoid=frozenset()):
        """Return the person `name` of `country` (saved country), found or newly made."""
        if country is not None and country.pk is None:
            raise ValueError("Save (flush) the country before resolving its people.")
        print_ = fingerprint(name) or name.casefold()
        known_as = self._known_as.get((country.slug if country is not None else None, print_))
        if known_as is not None and fingerprint(known_as) != print_:
            # A listed other spelling: the person as known, with this spelling as an alias.
            actor = self.person(known_as, country, allow_partial=allow_partial, avoid=avoid)
            self.remember_spelling(actor, name)
            return actor
        country_id = country.pk if country is not None else None
        candidates = [
            actor
            for actor in self._by_fingerprint.get(print_, ())
            if actor.kind == ActorKind.PERSON and id(actor) not in avoid
        ]
        actor = next((a for a in candidates if a.country_id == country_id), None)
        if actor is None:
            actor = next((a for a in candidates if a.country_id is None), None)
        if actor is None and allow_partial:
            actor = self._partial_match(frozenset(print_.split()), country_id, avoid)
        if actor is None:
            actor = self._create(
                name=name[:200],
                slug=self._unique_slug(name),
                kind=ActorKind.PERSON,
                country=country,
            )
        self.remember_spelling(actor, name)
        return actor

    def _partial_match(self, words, country_id, avoid):
        if country_id is None:
            return None
        found = {
            id(actor): actor
            for known, actor in self._words_by_country.get(country_id, ())
            if id(actor) not in avoid
            and (is_partial_match(known, words) or is_partial_match(words, known))
        }
        return next(iter(found.values())) if len(found) == 1 else None

    def flush(self):
        """Save the actors and aliases made since the last flush (countries first)."""
        pending = sorted(self._pending_actors, key=lambda actor: actor.kind != ActorKind.COUNTRY)
        for kind_is_country in (True, False):
            batch = [a for a in pending if (a.kind == ActorKind.COUNTRY) == kind_is_country]
            if batch:
                bulk_create_with_history(
                    batch,
                    Actor,
                    batch_size=500,
                    default_user=self.user,
                    default_change_reason=self.change_reason,
                )
        # A country saved just now gets its pk: index its nationals under it.
        for actor in pending:
            self._by_pk[actor.pk] = actor
        if self._pending_aliases:
            for alias in self._pending_aliases:
                alias.actor_id = alias.actor.pk
            bulk_create_with_history(
                self._pending_aliases,
                ActorAlias,
                batch_size=500,
                default_user=self.user,
                default_change_reason=self.change_reason,
            )
        self.created_actors += len(pending)
        self.created_aliases += len(self._pending_aliases)
        self._pending_actors, self._pending_aliases = [], []


def last_day(value, precision):
    """Return the last day a partial date stands for ("2021" at year precision: 31 Dec)."""
    if precision == DatePrecision.YEAR:
        return datetime.date(value.year, 12, 31)
    if precision == DatePrecision.MONTH:
        following = datetime.date(value.year + value.month // 12, value.month % 12 + 1, 1)
        return following - datetime.timedelta(days=1)
    return value


class RoleBook:
    """Positions held, found or made from dated mentions ("Prime Minister" in July 2019)."""

    def __init__(self, *, change_reason="", user=None):
        self.change_reason = change_reason
        self.user = user
        self._roles = defaultdict(list)  # (actor pk, title key) -> [role]
        self._new, self._extended = [], {}
        self._titles = {}  # role pk -> title
        self.created, self._ever_extended, self._created_pks = 0, set(), set()
        for role in ActorRole.objects.all():
            self._roles[role.actor_id, title_key(role.title)].append(role)
            self._titles[role.pk] = role.title

    @property
    def extended(self):
        """Return how many roles saved before this run had their dates widened."""
        return len(self._ever_extended - self._created_pks)

    def title_of(self, role_pk):
        """Return the title of a role by its pk ('' for none)."""
        return self._titles.get(role_pk, "")

    def role_for(self, actor, title, organisation, start, end):
        """Return the role `title` of `actor` at `organisation` held from `start` to `end`.

        A known role covering the dates is used as it is; one within ROLE_GAP of them is
        extended to cover them; otherwise a new role is made (saved by flush()).
        """
        roles = self._roles[actor.pk, title_key(title)]
        org_id = organisation.pk if organisation is not None else None
        for role in roles:
            if (
                role.organisation_id in (org_id, None)
                and role.start_date is not None
                and role.start_date <= start
                and (role.end_date is None or last_day(role.end_date, role.date_precision) >= end)
            ):
                return role
        nearby = [
            (max(role.start_date - end, start - role.end_date, datetime.timedelta(0)), role)
            for role in roles
            if role.organisation_id == org_id and role.start_date and role.end_date
        ]
        nearby = [(gap, role) for gap, role in nearby if gap <= ROLE_GAP]
        if nearby:
            role = min(nearby, key=lambda pair: (pair[0], pair[1].start_date))[1]
            role.start_date, role.end_date = min(role.start_date, start), max(role.end_date, end)
            if role.pk is not None:
                self._extended[role.pk] = role
            return role
        role = ActorRole(
            actor=actor,
            title=title,
            organisation=organisation,
            start_date=start,
            end_date=end,
            date_precision=DatePrecision.DAY,
        )
        roles.append(role)
        self._new.append(role)
        return role

    def flush(self):
        """Save the roles made or extended since the last flush."""
        if self._new:
            bulk_create_with_history(
                self._new,
                ActorRole,
                batch_size=500,
                default_user=self.user,
                default_change_reason=self.change_reason,
            )
        if self._extended:
            bulk_update_with_history(
                list(self._extended.values()),
                ActorRole,
                ["start_date", "end_date"],
                batch_size=500,
                default_user=self.user,
                default_change_reason=self.change_reason,
            )
        self.created += len(self._new)
        self._ever_extended.update(self._extended)
        self._created_pks.update(role.pk for role in self._new)
        self._titles.update((role.pk, role.title) for role in self._new)
        self._new, self._extended = [], {}
