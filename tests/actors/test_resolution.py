"""Names as sources write them, resolved to actors and dated roles."""

import datetime

import pytest

from actors.models import Actor, ActorAlias, ActorRole
from actors.names import split_people, split_title
from actors.resolution import ActorResolver, RoleBook
from tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Prime Minister Imran Khan", ("Prime Minister", "Imran Khan")),
        ("President Asif Ali Zardari", ("President", "Asif Ali Zardari")),
        ("Governor General Ghulam Mohammed", ("Governor General", "Ghulam Mohammed")),
        ("Interim President Adnan Pachachi", ("Interim President", "Adnan Pachachi")),
        ("President- elect Ernesto Zedillo", ("President-elect", "Ernesto Zedillo")),
        ("Chairman Hamid Karzai", ("Chairman", "Hamid Karzai")),
        ("General Secretary Mikhail S. Gorbachev", ("General Secretary", "Mikhail S. Gorbachev")),
        ("Premier & Prince Sihanouk", ("Premier and Prince", "Sihanouk")),
        ("King Juan Carlos I", ("King", "Juan Carlos I")),
        ("Jose Luis Rodriguez Zapatero", ("", "Jose Luis Rodriguez Zapatero")),
        ("Kingsley Lesotho", ("", "Kingsley Lesotho")),  # a title must be a whole word
    ],
)
def test_a_title_is_split_from_the_name(text, expected):
    assert split_title(text) == expected


def test_a_line_naming_two_leaders_gives_both():
    assert split_people("President Anwar Sadat, Prime Minister Mustafa Khalil") == [
        ("President", "Anwar Sadat"),
        ("Prime Minister", "Mustafa Khalil"),
    ]
    assert split_people("King Abdullah and Crown Prince Hussein") == [
        ("King", "Abdullah"),
        ("Crown Prince", "Hussein"),
    ]
    assert split_people("President Benigno S. Aquino, 3rd") == [
        ("President", "Benigno S. Aquino, 3rd")
    ]


@pytest.fixture
def pakistan():
    return factories.CountryFactory(name="Pakistan", slug="pakistan")


def resolve(*names, country):
    resolver = ActorResolver()
    actors = [resolver.person(name, country) for name in names]
    resolver.flush()
    return actors


def test_nawaz_sharif_spellings_land_on_one_actor_in_either_order(pakistan):
    first = resolve("Nawaz Sharif", "Mohammed Nawaz Sharif", country=pakistan)
    # A later run meets the longer spelling first, then the shorter: still the same actor.
    second = resolve("Mohammed Nawaz Sharif", "Nawaz Sharif", country=pakistan)

    assert len({actor.pk for actor in first + second}) == 1
    actor = Actor.objects.get(pk=first[0].pk)
    assert actor.name == "Nawaz Sharif"
    assert list(actor.aliases.values_list("name", flat=True)) == ["Mohammed Nawaz Sharif"]


def test_a_spelling_known_as_an_alias_resolves_to_its_actor(pakistan):
    imran = factories.ActorFactory(name="Imran Khan", slug="imran-khan", country=pakistan)
    factories.ActorAliasFactory(actor=imran, name="Khan Imran Ahmed")

    found = resolve("Imran Khan", "Imran Ahmed Khan", "IMRAN KHAN", country=pakistan)

    assert [actor.pk for actor in found] == [imran.pk] * 3
    # Every new spelling is kept, so that curators and the next run find it.
    assert set(imran.aliases.values_list("name", flat=True)) == {
        "Khan Imran Ahmed",
        "Imran Ahmed Khan",
        "IMRAN KHAN",
    }


def test_similar_names_of_other_people_stay_apart(pakistan):
    philippines = factories.CountryFactory(name="Philippines", slug="philippines")
    india = factories.CountryFactory(name="India", slug="india")

    benazir, zulfikar = resolve("Benazir Bhutto", "Zulfikar Ali Bhutto", country=pakistan)
    father, son = resolve("Ferdinand Marcos", "Ferdinand Marcos Jr.", country=philippines)
    (elsewhere,) = resolve("Benazir Bhutto", country=india)
    (surname,) = resolve("Bhutto", country=pakistan)

    assert len({benazir.pk, zulfikar.pk, father.pk, son.pk, elsewhere.pk, surname.pk}) == 6
    assert elsewhere.country == india


def test_known_other_spellings_resolve_to_the_name_a_person_is_known_by(pakistan):
    egypt = factories.CountryFactory(name="Egypt", slug="egypt")
    known = [
        ("egypt", "Abdel Fattah el-Sisi", ["Abdel Fattah al-Sisi", "Abdelfattah Said Elsisi"]),
        ("pakistan", "Yusuf Raza Gilani", ["Yousuf Gillani"]),
    ]
    resolver = ActorResolver(known_spellings=known)

    sisi = [
        resolver.person(name, egypt) for name in ("Abdelfattah Said Elsisi", "Abdel Fattah al-Sisi")
    ]
    gilani = [resolver.person(name, pakistan) for name in ("Yousuf Gillani", "Yusuf Raza Gilani")]
    elsewhere = resolver.person("Yousuf Gillani", egypt)  # the list is by country
    resolver.flush()

    assert sisi[0] is sisi[1] and gilani[0] is gilani[1] and elsewhere is not gilani[0]
    assert Actor.objects.get(pk=sisi[0].pk).name == "Abdel Fattah el-Sisi"
    assert set(sisi[0].aliases.values_list("name", flat=True)) == {
        "Abdelfattah Said Elsisi",
        "Abdel Fattah al-Sisi",
    }
    assert Actor.objects.get(pk=gilani[0].pk).name == "Yusuf Raza Gilani"
    assert list(gilani[0].aliases.values_list("name", flat=True)) == ["Yousuf Gillani"]


def test_an_ambiguous_partial_name_makes_a_new_actor(pakistan):
    resolve("Asif Ali Zardari", "Asif Ali Durrani", country=pakistan)

    (asif,) = resolve("Asif Ali", country=pakistan)

    assert asif.name == "Asif Ali"
    assert Actor.objects.filter(name__startswith="Asif").count() == 3


def test_titles_become_roles_dated_by_the_visits_and_extended_when_repeated(pakistan):
    (musharraf,) = resolve("Pervez Musharraf", country=pakistan)
    book = RoleBook()

    first = book.role_for(musharraf, "President", pakistan, D(2001, 11, 10), D(2001, 11, 11))
    book.flush()
    again = book.role_for(musharraf, "President", pakistan, D(2006, 9, 20), D(2006, 9, 27))
    inside = book.role_for(musharraf, "president", pakistan, D(2003, 6, 23), D(2003, 6, 24))
    book.flush()

    role = ActorRole.objects.get(actor=musharraf)
    assert first == again == inside == role
    assert (role.title, role.organisation, role.start_date, role.end_date) == (
        "President",
        pakistan,
        D(2001, 11, 10),
        D(2006, 9, 27),
    )
    assert role.history.count() == 2  # created, then extended


def test_a_known_role_covering_the_dates_is_used_as_it_is(pakistan):
    ghulam = factories.ActorFactory(name="Ghulam Muhammad", country=pakistan)
    seed_role = factories.ActorRoleFactory(
        actor=ghulam,
        title="Governor-General",
        organisation=pakistan,
        start_date=D(1951, 1, 1),
        end_date=D(1955, 1, 1),
    )

    role = RoleBook().role_for(
        ghulam, "Governor General", pakistan, D(1953, 11, 8), D(1953, 11, 13)
    )

    assert role == seed_role
    assert ActorRole.objects.count() == 1


def test_countries_are_found_by_the_datas_slug_and_new_names_kept_as_aliases(pakistan):
    resolver = ActorResolver()

    found = resolver.country("pakistan", "Pakistan")
    made = resolver.country("sri-lanka", "Sri Lanka")
    again = resolver.country("sri-lanka", "Ceylon")
    resolver.flush()

    assert found == pakistan
    assert made is again
    assert Actor.objects.get(slug="sri-lanka").name == "Sri Lanka"
    assert list(ActorAlias.objects.filter(actor=made).values_list("name", flat=True)) == ["Ceylon"]


def test_a_role_known_to_the_year_covers_the_whole_year(pakistan):
    afghanistan = factories.CountryFactory(name="Afghanistan", slug="afghanistan")
    ghani = factories.ActorFactory(name="Ashraf Ghani", country=afghanistan)
    seed_role = factories.ActorRoleFactory(
        actor=ghani,
        title="President",
        organisation=afghanistan,
        start_date=D(2014, 1, 1),
        end_date=D(2021, 1, 1),
        date_precision="year",
    )

    role = RoleBook().role_for(ghani, "President", afghanistan, D(2021, 6, 25), D(2021, 6, 25))

    assert role == seed_role
    assert role.end_date == D(2021, 1, 1)


def test_honorifics_do_not_split_a_leader_in_two(pakistan):
    kuwait = factories.CountryFactory(name="Kuwait", slug="kuwait")

    found = resolve(
        "Sheikh Sabah al-Ahmed al-Jaber al-Sabah",
        "Sheik Sabah al-Ahmed al-Jaber al-Sabah",
        "Sabah Al-Ahmed Al-Jaber Al-Sabah",
        country=kuwait,
    )

    assert len({actor.pk for actor in found}) == 1
