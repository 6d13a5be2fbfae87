"""Factories for every model; published by default so tests opt into drafts explicitly."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from actors.models import Actor, ActorAlias, ActorKind, ActorRole
from claims.models import Claim, ClaimKind, ClaimStatus
from config.curation import PublicationStatus
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
