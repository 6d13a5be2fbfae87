"""Factories for every model; published by default so tests opt into drafts explicitly."""

import datetime
from importlib import import_module

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from actors.models import Actor, ActorAlias, ActorKind, ActorRole
from claims.models import Claim, ClaimKind, ClaimStatus
from core.status import PublicationStatus
from sources.models import Citation, SourceDocument, SourceKind
from visits.models import Issue, Participation, ParticipationRole, Visit, VisitKind

PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("a-long-test-password")
    is_staff = True

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.add(*Group.objects.filter(name__in=names))


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Country {n}")
    slug = factory.LazyAttribute(lambda actor: actor.name.lower().replace(" ", "-"))
    kind = ActorKind.COUNTRY
    publication_status = PUBLISHED


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"actor-{n}")
    kind = ActorKind.PERSON
    publication_status = PUBLISHED


class ActorAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActorAlias

    actor = factory.SubFactory(ActorFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")


class ActorRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActorRole

    actor = factory.SubFactory(ActorFactory)
    title = "Prime Minister"
    start_date = datetime.date(2018, 8, 18)


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Issue {n}")
    slug = factory.Sequence(lambda n: f"issue-{n}")
    publication_status = PUBLISHED


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Visit {n}")
    slug = factory.Sequence(lambda n: f"visit-{n}")
    visitor = factory.SubFactory(ActorFactory)
    origin = factory.SubFactory(CountryFactory, name="Pakistan", slug="pakistan")
    destination = factory.SubFactory(CountryFactory, name="United States", slug="united-states")
    city = "Washington"
    start_date = datetime.date(2019, 7, 21)
    end_date = datetime.date(2019, 7, 23)
    kind = VisitKind.OFFICIAL
    summary = "A visit."
    publication_status = PUBLISHED

    @factory.post_generation
    def issues(self, create, issues, **kwargs):
        if create and issues:
            self.issues.add(*issues)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    visit = factory.SubFactory(VisitFactory)
    actor = factory.SubFactory(ActorFactory)
    role = ParticipationRole.HOST


class SourceDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceDocument

    title = factory.Sequence(lambda n: f"Source {n}")
    slug = factory.Sequence(lambda n: f"source-{n}")
    kind = SourceKind.NEWS
    publisher = "The Daily Record"
    authors = "A. Writer"
    url = factory.Sequence(lambda n: f"https://example.org/articles/{n}")
    published_date = datetime.date(2019, 7, 24)
    body = factory.Sequence(
        lambda n: (
            f"Article {n}. The prime minister met the president in Washington. "
            "“We discussed Kashmir and Afghanistan,” he said — and aid was restored."
        )
    )
    raw_text = factory.LazyAttribute(lambda source: source.body)
    publication_status = PUBLISHED


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    source = factory.SubFactory(SourceDocumentFactory)
    label = factory.Sequence(lambda n: str(n + 1))
    text = "“A report,” Example News, 2020"
    url = "https://example.org/report"


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim
        skip_postgeneration_save = True

    source = factory.SubFactory(SourceDocumentFactory)
    quote = "The prime minister met the president in Washington."
    summary = "The prime minister met the president."
    kind = ClaimKind.OUTCOME
    status = ClaimStatus.REPORTED
    publication_status = PUBLISHED

    @factory.post_generation
    def issues(self, create, issues, **kwargs):
        if create and issues:
            self.issues.add(*issues)

    @factory.post_generation
    def actors(self, create, actors, **kwargs):
        if create and actors:
            self.actors.add(*actors)


# --- A small public knowledge base like the seed's, with drafts at every level ---------------

#: Every draft row of build_corpus() carries this marker (slugs carry it in lower case), so a
#: test can assert that no page, list, search result or export shows one.
DRAFT_MARKER = "SECRETDRAFT"

CORPUS_BODY = (
    "Prime Minister Imran Khan arrived in Washington on 21 July 2019.\n\n"
    "“We discussed Kashmir and Afghanistan at length,” Khan said after meeting "
    "President Trump. Trump offered to mediate on Kashmir.\n\n"
    "India denied that it had ever asked for mediation. Aid worth $1.3 billion was "
    "discussed.\n\n"
    "A reader pasted <script>alert('x')</script> into the comments.\n\n"
    "In November 2020 Khan flew to Kabul to meet President Ghani."
)


def build_corpus(extra=0):
    """Create a published world (visits, actors, issues, sources, claims) and drafts beside it.

    `extra` adds that many more published visits by Imran Khan in 2019, each with a source
    and two claims, for tests that compare two result sizes.
    """
    from types import SimpleNamespace

    c = SimpleNamespace()
    m = DRAFT_MARKER
    c.pakistan = CountryFactory(name="Pakistan", slug="pakistan")
    c.us = CountryFactory(name="United States", slug="united-states")
    c.afghanistan = CountryFactory(name="Afghanistan", slug="afghanistan")
    c.draft_country = CountryFactory(
        name=f"{m} Land", slug=f"{m.lower()}-land", publication_status=DRAFT
    )
    c.imran = ActorFactory(name="Imran Khan", slug="imran-khan", country=c.pakistan)
    c.munir = ActorFactory(name="Asim Munir", slug="asim-munir", country=c.pakistan)
    c.trump = ActorFactory(name="Donald Trump", slug="donald-trump", country=c.us)
    c.ghani = ActorFactory(name="Ashraf Ghani", slug="ashraf-ghani", country=c.afghanistan)
    c.india = CountryFactory(name="India", slug="india")
    c.draft_actor = ActorFactory(
        name=f"{m} Person", slug=f"{m.lower()}-person", publication_status=DRAFT
    )
    c.draft_national = ActorFactory(name="Ayesha Raza", slug="ayesha-raza", country=c.draft_country)
    ActorAliasFactory(actor=c.imran, name="PM Khan")
    c.prime_minister = ActorRoleFactory(
        actor=c.imran,
        title="Prime Minister",
        organisation=c.pakistan,
        start_date=datetime.date(2018, 8, 18),
        end_date=datetime.date(2022, 4, 10),
    )
    ActorRoleFactory(actor=c.imran, title=f"{m} Role", organisation=c.draft_country)
    c.issues = {
        slug: IssueFactory(name=name, slug=slug)
        for slug, name in [
            ("afghanistan", "Afghanistan"),
            ("kashmir", "Kashmir"),
            ("ttp", "TTP"),
            ("aid", "Aid"),
            ("cpec", "CPEC"),
        ]
    }
    c.draft_issue = IssueFactory(
        name=f"{m} Issue", slug=f"{m.lower()}-issue", publication_status=DRAFT
    )
    i = c.issues

    def visit(title, slug, visitor, start, issues, **kwargs):
        kwargs.setdefault("origin", c.pakistan)
        return VisitFactory(
            title=title,
            slug=slug,
            visitor=visitor,
            start_date=start,
            end_date=kwargs.pop("end_date", None),
            issues=issues,
            **kwargs,
        )

    c.washington = visit(
        "Imran Khan visits Washington",
        "imran-khan-washington-2019",
        c.imran,
        datetime.date(2019, 7, 21),
        [i["afghanistan"], i["kashmir"], i["aid"], c.draft_issue],
        end_date=datetime.date(2019, 7, 23),
        destination=c.us,
        city="Washington",
        visitor_role=c.prime_minister,
    )
    c.kabul = visit(
        "Imran Khan visits Kabul",
        "imran-khan-kabul-2020",
        c.imran,
        datetime.date(2020, 11, 19),
        [i["afghanistan"]],
        destination=c.afghanistan,
        city="Kabul",
        kind="working",
    )
    c.davos = visit(
        "Imran Khan at Davos",
        "imran-khan-davos-2020",
        c.imran,
        datetime.date(2020, 1, 21),
        [i["kashmir"], i["cpec"]],
        destination=None,
        city="Davos",
        kind="multilateral",
    )
    c.khan_2021 = visit(
        "Imran Khan in Tashkent",
        "imran-khan-tashkent-2021",
        c.imran,
        datetime.date(2021, 7, 15),
        [i["afghanistan"]],
        destination=None,
        city="Tashkent",
    )
    c.munir_us = visit(
        "Asim Munir visits the United States",
        "asim-munir-us-2023",
        c.munir,
        datetime.date(2023, 12, 1),
        [i["afghanistan"], i["ttp"]],
        destination=c.us,
        date_precision="month",
        city="",
    )
    c.munir_kabul = visit(
        "Asim Munir in Kabul",
        "asim-munir-kabul-2020",
        c.munir,
        datetime.date(2020, 6, 1),
        [i["afghanistan"]],
        destination=c.afghanistan,
        date_precision="year",
    )
    ParticipationFactory(visit=c.washington, actor=c.trump, role="host")
    ParticipationFactory(visit=c.washington, actor=c.draft_actor, role="met_with")
    ParticipationFactory(visit=c.kabul, actor=c.ghani, role="host")
    # Drafts at every level: a draft visit, visits whose parents are drafts.
    c.draft_visit = visit(
        f"{m} visit",
        f"{m.lower()}-visit",
        c.imran,
        datetime.date(2020, 3, 3),
        [i["afghanistan"]],
        publication_status=DRAFT,
        destination=c.afghanistan,
    )
    c.draft_visitor_visit = visit(
        f"{m} visitor travels",
        f"{m.lower()}-visitor-travels",
        c.draft_actor,
        datetime.date(2020, 5, 5),
        [i["afghanistan"]],
        destination=c.afghanistan,
    )
    c.draft_destination_visit = visit(
        f"{m} destination visit",
        f"{m.lower()}-destination-visit",
        c.imran,
        datetime.date(2020, 8, 8),
        [i["afghanistan"]],
        destination=c.draft_country,
    )

    c.source = SourceDocumentFactory(
        title="Khan in Washington",
        slug="khan-in-washington",
        body=CORPUS_BODY,
        publisher="The Diplomat",
        published_date=datetime.date(2019, 7, 24),
    )
    c.source.visits.add(c.washington, c.kabul, c.draft_visit)
    c.source.issues.add(i["kashmir"], i["afghanistan"], c.draft_issue)
    c.source.actors.add(c.imran, c.draft_actor)
    CitationFactory(source=c.source, label="1", text="A readout", url="https://example.org/r")
    CitationFactory(source=c.source, label="2", text="Bad link", url="javascript:alert(1)")
    c.draft_source = SourceDocumentFactory(
        title=f"{m} source",
        slug=f"{m.lower()}-source",
        publication_status=DRAFT,
        body=f"{m} body. Khan met Trump.",
    )
    c.claim_kashmir = ClaimFactory(
        source=c.source,
        visit=c.washington,
        speaker=c.imran,
        kind="statement",
        quote='"We discussed Kashmir and Afghanistan at length,"',
        summary="Khan says Kashmir and Afghanistan were discussed.",
        issues=[i["kashmir"], i["afghanistan"], c.draft_issue],
        actors=[c.trump, c.draft_actor],
    )
    c.claim_mediation = ClaimFactory(
        source=c.source,
        visit=c.washington,
        speaker=c.trump,
        status="denied",
        quote="Trump offered to mediate on Kashmir.",
        summary="Trump offered to mediate.",
        issues=[i["kashmir"]],
        actors=[c.india],
    )
    c.claim_mediation.disputed_by.add(c.india, c.draft_actor)
    c.claim_aid = ClaimFactory(
        source=c.source,
        visit=c.washington,
        status="disputed",
        kind="outcome",
        quote="Aid worth $1.3 billion was discussed.",
        summary="Aid was discussed.",
        issues=[i["aid"]],
    )
    c.claim_kabul = ClaimFactory(
        source=c.source,
        visit=c.kabul,
        speaker=c.imran,
        quote="In November 2020 Khan flew to Kabul",
        summary="Khan flew to Kabul in 2020.",
        issues=[i["afghanistan"]],
        actors=[c.ghani],
    )
    c.draft_claims = [
        ClaimFactory(
            source=c.source, quote="Khan said", summary=f"{m} claim", publication_status=DRAFT
        ),
        ClaimFactory(source=c.draft_source, quote="Khan met Trump.", summary=f"{m} in source"),
        ClaimFactory(
            source=c.source, visit=c.draft_visit, quote="Trump offered", summary=f"{m} on visit"
        ),
        ClaimFactory(
            source=c.source, speaker=c.draft_actor, quote="India denied", summary=f"{m} by speaker"
        ),
    ]
    for number in range(extra):
        v = visit(
            f"Imran Khan extra visit {number}",
            f"imran-khan-extra-{number}",
            c.imran,
            datetime.date(2019, 3, 1 + number % 28),
            [i["aid"], i["cpec"]],
            destination=c.us,
        )
        ParticipationFactory(visit=v, actor=c.trump, role="host")
        s = SourceDocumentFactory(
            publisher=f"Publisher {number % 3}", body=CORPUS_BODY + f" {number}"
        )
        s.visits.add(v)
        s.issues.add(i["aid"])
        for quote in ("Trump offered to mediate on Kashmir.", "Aid worth $1.3 billion"):
            claim = ClaimFactory(
                source=s,
                visit=v,
                speaker=c.trump,
                quote=quote,
                issues=[i["aid"]],
                actors=[c.imran],
                status="disputed",
            )
            claim.disputed_by.add(c.india)
    return c


# --- Official records, as the Office of the Historian importer leaves them -------------------

HSG_PUBLISHER = "Office of the Historian, U.S. Department of State"


def build_official_records(corpus):
    """Add a dataset source and two imported records to a build_corpus() world; return them.

    A Pakistani leader's visit to the United States (the visits collection) and a Secretary of
    State's trip to Pakistan (the secretary travels), each with what its record says.
    """
    from types import SimpleNamespace

    r = SimpleNamespace()
    r.dataset = SourceDocumentFactory(
        title="Visits by Foreign Leaders and Heads of State to the United States",
        slug="hsg-visits",
        external_id="hsg-dataset:visits",
        dataset="history.state.gov",
        kind=SourceKind.DATASET,
        publisher=HSG_PUBLISHER,
        url="https://history.state.gov/departmenthistory/visits",
        published_date=None,
        body="[hsg-visit:2811] 2015-10-22 · Prime Minister Mohammed Nawaz Sharif · Pakistan — "
        "Official Working Visit.",
    )
    r.travels = SourceDocumentFactory(
        title="Travels Abroad of the Secretary of State",
        slug="hsg-secretary-travels",
        external_id="hsg-dataset:secretary-travels",
        dataset="history.state.gov",
        kind=SourceKind.DATASET,
        publisher=HSG_PUBLISHER,
        url="https://history.state.gov/departmenthistory/travels/secretary",
        published_date=None,
        body="[hsg-secretary-trip:77] 2009-10-28 · Hillary Rodham Clinton · Pakistan, Islamabad "
        "— Met with President Zardari.",
    )
    r.nawaz = ActorFactory(name="Nawaz Sharif", slug="nawaz-sharif", country=corpus.pakistan)
    r.clinton = ActorFactory(
        name="Hillary Rodham Clinton", slug="hillary-rodham-clinton", country=corpus.us
    )
    r.nawaz_visit = VisitFactory(
        title="Mohammed Nawaz Sharif visits the United States",
        slug="mohammed-nawaz-sharif-pakistan-2015-10-22",
        visitor=r.nawaz,
        origin=corpus.pakistan,
        destination=corpus.us,
        city="",
        start_date=datetime.date(2015, 10, 22),
        end_date=None,
        kind=VisitKind.OFFICIAL_WORKING,
        summary="",
        external_id="hsg-visit:2811",
        dataset="history.state.gov",
        external_modified="2018-08-09T11:00:00-04:00",
        record_visitor="Prime Minister Mohammed Nawaz Sharif",
        record_title="Prime Minister",
        record_text="Official Working Visit.",
        record_url="https://history.state.gov/departmenthistory/visits/pakistan",
        record_page="Visits to the United States by leaders of Pakistan",
    )
    r.clinton_trip = VisitFactory(
        title="Hillary Rodham Clinton visits Pakistan",
        slug="hillary-rodham-clinton-pakistan-2009-10-28",
        visitor=r.clinton,
        origin=corpus.us,
        destination=corpus.pakistan,
        city="Islamabad",
        start_date=datetime.date(2009, 10, 28),
        end_date=None,
        kind=VisitKind.OTHER,
        summary="",
        external_id="hsg-secretary-trip:77",
        dataset="history.state.gov",
        record_visitor="Hillary Rodham Clinton",
        record_title="Secretary of State",
        record_text="Met with President Zardari.",
        record_url="https://history.state.gov/departmenthistory/travels/secretary/"
        "clinton-hillary-rodham",
        record_page="Travels abroad of Hillary Rodham Clinton as Secretary of State",
    )
    r.dataset.visits.add(r.nawaz_visit)
    r.travels.visits.add(r.clinton_trip)
    for source, visit, quote in (
        (r.dataset, r.nawaz_visit, "Official Working Visit."),
        (r.travels, r.clinton_trip, "Met with President Zardari."),
    ):
        ClaimFactory(
            source=source,
            visit=visit,
            quote=quote,
            summary=quote,
            status=ClaimStatus.CONFIRMED,
            actors=[visit.visitor],
            external_id=visit.external_id,  # as the importer writes it
        )
    return r


# --- What the data migrations create, back after a transactional test's flush -------------


def migrated_rows():
    """Create again the rows the data migrations create: the brief's issues and the groups.

    A transactional test (a live server, a browser) empties every table after it runs, and
    only content types and permissions come back by themselves; a later test that needs the
    seed's parent issues or a Curator's permissions calls this first. Idempotent.
    """
    from django.apps import apps
    from django.contrib.auth.models import Permission

    brief = import_module("visits.migrations.0002_brief_issues")
    groups = import_module("claims.migrations.0002_curator_and_editor_groups")
    review = import_module("claims.migrations.0007_review_permissions")
    assertions = import_module("assertions.migrations.0002_curator_and_editor_permissions")
    brief.create_issues(apps, None)
    curated = {**groups.CURATED, "assertions": assertions.MODELS}
    publishable = {*groups.PUBLISHABLE, "assertion"}
    for name, actions, publish in (
        ("Curator", ["add", "change", "view"], False),
        ("Editor", ["add", "change", "delete", "view"], True),
    ):
        codenames = [
            f"{action}_{model}"
            for models in curated.values()
            for model in models
            for action in actions
        ]
        if publish:
            codenames += [f"publish_{model}" for model in publishable]
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label__in=curated, codename__in=codenames)
        )
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="core", codename__in=review.GRANTS[name]
            )
        )
