"""Participation in learning on a hand-built case: every breakdown, the period's edges, people
who left, several positions counted once, and who sees which groups."""

import datetime
import io
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from evne.core.visibility import visibility_for
from evne.learning.completions import complete_course
from evne.learning.models import CompletionSource, Enrolment, EnrolmentStatus, Session
from evne.learning.participation import participation_in
from evne.learning.reports import Period
from evne.organization.models import JobRole, OrgUnit
from tests.conftest import employ, make_person

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
YEAR = Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
QUERY = {"start": "2025-01-01", "end": "2025-12-31"}


@pytest.fixture(autouse=True)
def english():
    """The figures' labels in English; pages and exports speak Bokmål as users get them."""
    with translation.override("en"):
        yield


def at(day, hour=12):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=OSLO)


@pytest.fixture
def school(municipality, courses):
    """Kulturskolen under Oppvekst with twelve people counted on 31.12.2025 and two who are
    not. Took part in 2025: Anne, Berit, Dagny, Harald, Ivar (5 of 12)."""
    unit = OrgUnit.objects.create(code="KS", name="Kulturskolen", parent=municipality.units["O"])
    role = JobRole.objects.create(name="Kulturskolelærer")
    cpr = courses.courses["cpr"]
    session = Session.objects.create(
        course=cpr, starts_at=at(datetime.date(2025, 6, 1)), capacity=9
    )
    late = Session.objects.create(
        course=cpr, starts_at=at(datetime.date(2025, 12, 31), hour=22), capacity=9
    )
    people = {}

    def add(name, gender, born, education, fte=100):
        person = make_person(
            f"KS-{name}",
            name,
            "Kulturskole",
            gender=gender,
            birth_date=born,
            education_level=education,
        )
        employ(person, unit, role, fte=fte)
        people[name] = person
        return person

    def complete(person, day):
        complete_course(
            person, courses.courses["privacy"], completed_on=day, source=CompletionSource.REGISTERED
        )

    def attend(person, on, attended=True):
        Enrolment.objects.create(
            session=on,
            person=person,
            status=EnrolmentStatus.ENROLLED,
            requested_at=at(datetime.date(2025, 1, 1)),
            attended=attended,
        )

    complete(add("Anne", "female", datetime.date(1995, 12, 31), 6), datetime.date(2025, 1, 1))
    complete(add("Berit", "female", datetime.date(1996, 1, 1), 6), datetime.date(2025, 12, 31))
    complete(
        add("Cecilie", "female", datetime.date(1980, 5, 5), 4, fte=60), datetime.date(2024, 12, 31)
    )
    attend(add("Dagny", "female", datetime.date(1970, 1, 1), 4, fte=40), session)
    attend(add("Eli", "female", datetime.date(1960, 1, 1), None, fte=40), session, attended=False)
    add("Frida", "female", None, 7)
    complete(add("Geir", "male", datetime.date(1990, 1, 1), 6), datetime.date(2026, 1, 1))
    attend(add("Harald", "male", datetime.date(1985, 1, 1), 6), late)
    ivar = add("Ivar", "male", datetime.date(1975, 1, 1), 4, fte=50)
    employ(ivar, unit, role, fte=30, is_primary=False)
    complete(ivar, datetime.date(2025, 3, 1))
    add("Jon", "male", datetime.date(2000, 1, 1), 4)
    add("Kari-Kim", "male", datetime.date(1999, 1, 1), None, fte=90)
    add("Nora", "other", datetime.date(1990, 6, 1), 6)
    # Not counted: Live left in the summer; Magne's main position is in another unit.
    live = make_person("KS-Live", "Live", "Sluttet", gender="female")
    employ(live, unit, role, end_date=datetime.date(2025, 6, 30))
    complete(live, datetime.date(2025, 3, 1))
    magne = make_person("KS-Magne", "Magne", "Annenplass", gender="male")
    employ(magne, municipality.units["OC"], municipality.roles["teacher"])
    employ(magne, unit, role, fte=20, is_primary=False)
    complete(magne, datetime.date(2025, 3, 1))
    return unit


def figures(found, key):
    breakdown = next(b for b in found.breakdowns if b.key == key)
    return {g.label: (g.employees, g.took_part, g.hidden) for g in breakdown.groups}


def test_participation_counts_the_people_there_on_the_last_day_once_each(municipality, school):
    found = participation_in(school, YEAR, visibility_for(municipality.users["hr"]))
    assert (found.overall.employees, found.overall.took_part, found.overall.hidden) == (
        12,
        5,
        False,
    )
    assert found.overall.percent == 41


def test_participation_by_gender_hides_a_lone_small_group_and_the_next_smallest(
    municipality, school
):
    found = participation_in(school, YEAR, visibility_for(municipality.users["hr"]))
    assert figures(found, "gender") == {
        "Female": (6, 3, False),
        "Male": (5, 2, True),  # would give "Other" away: 12 - 6 - 5
        "Other or not stated": (1, 0, True),
    }


def test_participation_by_age_band_on_the_periods_last_day(municipality, school):
    found = participation_in(school, YEAR, visibility_for(municipality.users["hr"]))
    # Anne turns 30 on 31.12.2025; Berit is still 29.
    assert figures(found, "age") == {
        "Under 30": (3, 1, True),
        "30–39": (3, 1, True),
        "40–49": (2, 1, True),
        "50–59": (2, 2, True),
        "60 and over": (1, 0, True),
        "Birth date not registered": (1, 0, True),
    }


def test_participation_by_fte_band_adds_up_a_persons_positions(municipality, school):
    found = participation_in(school, YEAR, visibility_for(municipality.users["hr"]))
    assert figures(found, "fte") == {
        "Under 50 %": (2, 1, True),
        "50–79 %": (1, 0, True),
        "80–99 %": (2, 1, True),  # Ivar's 50 % and 30 %, and Kari-Kim's 90 %
        "100 %": (7, 3, False),
    }


def test_participation_by_education_and_job_role(municipality, school):
    found = participation_in(school, YEAR, visibility_for(municipality.users["hr"]))
    education = figures(found, "education")
    assert education["University or college, up to 4 years"] == (5, 3, False)
    assert education["Upper secondary, final year (e.g. trade certificate)"] == (4, 2, True)
    assert education["Unknown"] == (2, 0, True)
    assert figures(found, "job_role") == {"Kulturskolelærer": (12, 5, False)}


def test_participation_period_edges(municipality, school):
    """The first and last day count; a session late on the last evening counts."""
    hr = visibility_for(municipality.users["hr"])
    december = Period(datetime.date(2025, 12, 31), datetime.date(2025, 12, 31))
    assert participation_in(school, december, hr).overall.took_part == 2  # Berit, Harald
    january = Period(datetime.date(2025, 1, 1), datetime.date(2025, 1, 1))
    assert participation_in(school, january, hr).overall.took_part == 1  # Anne


def test_small_groups_are_hidden_from_the_leader_too(municipality, client_for):
    # Solsiden: eight people, seven nurses and their leader.
    found = participation_in(
        municipality.units["HA"], YEAR, visibility_for(municipality.users["leader"])
    )
    assert found.overall.hidden is False
    roles = figures(found, "job_role")
    assert roles["Enhetsleder"][2] and roles["Sykepleier"][2]


@pytest.mark.parametrize(
    ("user", "unit", "overall_shown"),
    [
        ("leader", "HA", True),
        ("hr", "HB", True),
        ("union_rep", "HA", True),
        ("union_rep", "HB", False),
        ("analyst", "HB", False),
        ("employee", "HA", True),
    ],
)
def test_overall_participation_is_hidden_below_five_for_who_may_not_see_the_people(
    municipality, client_for, user, unit, overall_shown
):
    response = client_for(municipality.users[user]).get(
        reverse("participation"), {"unit": municipality.units[unit].pk, **QUERY}
    )
    assert response.status_code == 200
    assert response.context["participation"].overall.hidden is not overall_shown


def test_leader_cannot_ask_for_a_unit_outside_their_own(municipality, client_for):
    response = client_for(municipality.users["leader"]).get(
        reverse("participation"), {"unit": municipality.units["OC"].pk, **QUERY}
    )
    assert response.status_code == 200
    assert "participation" not in response.context
    assert response.context["form"].errors["unit"]


def test_a_period_ending_before_it_starts_is_refused_and_keeps_the_input(municipality, client_for):
    response = client_for(municipality.users["hr"]).get(
        reverse("participation"), {"start": "2025-12-31", "end": "2025-01-01"}
    )
    with translation.override("nb"):
        assert gettext("The period must start on or before its last day.") in response.text
    assert 'value="2025-12-31"' in response.text


def test_participation_exports_every_breakdown_without_hidden_figures(
    municipality, school, client_for
):
    response = client_for(municipality.users["hr"]).get(
        reverse("participation"), {"unit": school.pk, "export": "xlsx", **QUERY}
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 6
    rows = list(workbook.worksheets[1].iter_rows(values_only=True))  # by gender
    assert rows[1] == ("Kvinne", 6, 3, 50)
    assert rows[2][1:] == (None, None, None)

    response = client_for(municipality.users["hr"]).get(
        reverse("participation"), {"unit": school.pk, "export": "csv", "table": "fte", **QUERY}
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[-1] == "100 %;7;3;42"


def test_participation_page_queries_do_not_grow_with_the_people(
    municipality, school, client_for, django_assert_max_num_queries
):
    client = client_for(municipality.users["hr"])
    url = reverse("participation")
    with django_assert_max_num_queries(15) as small:
        client.get(url, {"unit": school.pk, **QUERY})
    role = JobRole.objects.get(name="Kulturskolelærer")
    for index in range(45):
        employ(make_person(f"KS-X{index}", "Ekstra", f"Nr{index}"), school, role)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url, {"unit": school.pk, **QUERY})
