"""The annual cycle (årshjul): the calendar of a unit's year, its .ics download, and who adds,
edits and deletes activities."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from evne.plans.models import ActivityKind, CycleActivity

YEAR = 2026


@pytest.fixture
def activities(municipality):
    u, users = municipality.units, municipality.users
    return {
        "survey": CycleActivity.objects.create(
            unit=u["K"],
            kind=ActivityKind.SURVEY,
            title="Medarbeiderundersøkelse",
            month=10,
            duration_days=21,
        ),
        "union": CycleActivity.objects.create(
            unit=u["H"],
            kind=ActivityKind.UNION_MEETING,
            title="Møte med tillitsvalgte om rekruttering",
            month=2,
            day=15,
        ),
        "talks": CycleActivity.objects.create(
            unit=u["HA"],
            kind=ActivityKind.CONVERSATIONS,
            title="Medarbeidersamtaler; våren, del 1",
            description="Bruk malen.\nHusk kompetanse.",
            month=3,
            day=1,
            duration_days=30,
            remind_days_before=14,
            responsible=users["leader"],
        ),
        "school": CycleActivity.objects.create(
            unit=u["OC"], kind=ActivityKind.OTHER, title="Skolestart", month=8, day=15
        ),
    }


def in_english(client):
    # The Bokmål catalogue is compiled with every part's strings at once; the tests read English.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def calendar_url(unit, year=YEAR):
    return f"{reverse('cycle')}?unit={unit.pk}&year={year}"


def test_a_unit_sees_its_own_activities_and_those_inherited_from_above(
    municipality, activities, client_for
):
    client = in_english(client_for(municipality.users["leader"]))
    response = client.get(calendar_url(municipality.units["HA"]))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Medarbeidersamtaler; våren, del 1" in text
    assert "Møte med tillitsvalgte om rekruttering" in text
    assert "Medarbeiderundersøkelse" in text
    assert "Skolestart" not in text
    assert "From Helse og mestring" in text and "From Testvik kommune" in text
    assert "01.03.2026–30.03.2026" in text
    months = response.context["months"]
    assert [a.title for a in months[2].activities] == ["Medarbeidersamtaler; våren, del 1"]
    assert months[9].activities[0].inherited


def test_the_employee_sees_their_own_unit_by_default_and_cannot_edit(
    municipality, activities, client_for
):
    response = client_for(municipality.users["employee"]).get(reverse("cycle"))

    assert response.context["unit"] == municipality.units["HA"]
    assert not response.context["may_edit"]
    assert reverse("cycle_activity_edit", args=[activities["talks"].pk]) not in (
        response.content.decode()
    )


def test_this_month_is_highlighted(municipality, client_for):
    today = timezone.localdate()
    response = client_for(municipality.users["leader"]).get(
        calendar_url(municipality.units["HA"], today.year)
    )

    current = [month.number for month in response.context["months"] if month.is_current]
    assert current == [today.month]
    assert 'aria-current="date"' in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("hr", 200),
        ("leader", 200),
        ("employee", 200),
        ("union_rep", 200),
        ("analyst", 200),
        ("outsider", 404),
    ],
)
def test_who_may_open_a_units_annual_cycle(municipality, client_for, persona, status):
    response = client_for(municipality.users[persona]).get(calendar_url(municipality.units["HA"]))

    assert response.status_code == status


def test_a_malformed_unit_or_year_does_not_break_the_page(municipality, client_for):
    client = client_for(municipality.users["leader"])

    assert client.get(f"{reverse('cycle')}?unit=abc").status_code == 404
    response = client.get(f"{reverse('cycle')}?year=soon")
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year


def test_the_calendar_page_costs_the_same_few_queries_however_many_activities(
    municipality, activities, client_for, django_assert_max_num_queries
):
    client = client_for(municipality.users["leader"])
    for month in range(1, 13):
        CycleActivity.objects.create(
            unit=municipality.units["HA"],
            kind=ActivityKind.MAPPING,
            title=f"Kartlegging {month}",
            month=month,
            responsible=municipality.users["leader"],
        )

    with django_assert_max_num_queries(12):
        response = client.get(calendar_url(municipality.units["HA"]))
    assert response.status_code == 200


# iCalendar


def unfold(text):
    return text.replace("\r\n ", "")


def test_the_year_downloads_as_icalendar_with_every_activity(municipality, activities, client_for):
    url = reverse("cycle_ics", args=[municipality.units["HA"].pk, YEAR])
    response = client_for(municipality.users["employee"]).get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "arshjul-HA-2026.ics" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    events = unfold(text).split("BEGIN:VEVENT")[1:]
    assert len(events) == 3
    talks = next(event for event in events if "Medarbeidersamtaler" in event)
    fields = dict(line.split(":", 1) for line in talks.strip().split("\r\n") if ":" in line)
    assert fields["SUMMARY"] == "Medarbeidersamtaler\\; våren\\, del 1"
    assert fields["DTSTART;VALUE=DATE"] == "20260301"
    assert fields["DTEND;VALUE=DATE"] == "20260331"
    assert fields["DESCRIPTION"] == "Bruk malen.\\nHusk kompetanse."
    assert fields["UID"].startswith(f"cycle-{activities['talks'].pk}-2026@")
    survey = next(event for event in events if "Medarbeiderundersøkelse" in event)
    assert "DTSTART;VALUE=DATE:20261001" in survey and "DTEND;VALUE=DATE:20261022" in survey


def test_another_municipality_cannot_download_the_calendar(municipality, client_for):
    url = reverse("cycle_ics", args=[municipality.units["HA"].pk, YEAR])

    assert client_for(municipality.users["outsider"]).get(url).status_code == 404


# Editing


def activity_data(**changes):
    data = {
        "kind": ActivityKind.PLAN_EVALUATION,
        "title": "Evaluering av kompetanseplanen",
        "description": "",
        "month": "11",
        "day": "20",
        "duration_days": "1",
        "remind_days_before": "7",
        "responsible": "",
    }
    return data | changes


def test_the_leader_adds_an_activity_to_the_units_cycle(municipality, client_for):
    unit = municipality.units["HA"]
    client = client_for(municipality.users["leader"])

    response = client.post(
        reverse("cycle_activity_create", args=[unit.pk]),
        activity_data(responsible=str(municipality.users["leader"].pk)),
    )

    assert response.status_code == 302
    activity = CycleActivity.objects.get(unit=unit)
    assert (activity.month, activity.day, activity.remind_days_before) == (11, 20, 7)
    assert activity.responsible == municipality.users["leader"]


def test_a_day_that_does_not_exist_in_the_month_is_refused_clearly(municipality, client_for):
    client = in_english(client_for(municipality.users["leader"]))
    url = reverse("cycle_activity_create", args=[municipality.units["HA"].pk])

    response = client.post(url, activity_data(month="4", day="31"))

    assert response.status_code == 200
    assert "April has only 30 days. Choose a day from 1 to 30." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert response.context["form"]["title"].value() == "Evaluering av kompetanseplanen"
    assert not CycleActivity.objects.exists()


def test_29_february_is_refused_as_it_does_not_come_every_year(municipality, client_for):
    client = client_for(municipality.users["hr"])
    url = reverse("cycle_activity_create", args=[municipality.units["HA"].pk])

    response = client.post(url, activity_data(month="2", day="29"))

    assert response.context["form"].has_error("day", "no_such_day")
    assert not CycleActivity.objects.exists()


def test_hr_edits_and_deletes_an_activity(municipality, activities, client_for):
    client = client_for(municipality.users["hr"])
    talks = activities["talks"]

    response = client.post(
        reverse("cycle_activity_edit", args=[talks.pk]),
        activity_data(title="Medarbeidersamtaler", month="9", day="1"),
    )
    assert response.status_code == 302
    talks.refresh_from_db()
    assert (talks.title, talks.month) == ("Medarbeidersamtaler", 9)

    response = client.post(reverse("cycle_activity_delete", args=[talks.pk]))
    assert response.status_code == 302
    assert not CycleActivity.objects.filter(pk=talks.pk).exists()


@pytest.mark.parametrize("persona", ["employee", "union_rep", "analyst", "outsider"])
def test_only_leaders_and_hr_of_the_unit_edit_its_cycle(
    municipality, activities, client_for, persona
):
    client = client_for(municipality.users[persona])
    talks = activities["talks"]

    create = reverse("cycle_activity_create", args=[municipality.units["HA"].pk])
    assert client.get(create).status_code == 404
    assert client.post(create, activity_data()).status_code == 404
    assert (
        client.post(reverse("cycle_activity_edit", args=[talks.pk]), activity_data()).status_code
        == 404
    )
    assert client.post(reverse("cycle_activity_delete", args=[talks.pk])).status_code == 404
    assert CycleActivity.objects.filter(pk=talks.pk, title=talks.title).exists()


def test_the_leader_cannot_edit_what_the_area_above_decided(municipality, activities, client_for):
    client = client_for(municipality.users["leader"])
    union = activities["union"]

    assert client.get(reverse("cycle_activity_edit", args=[union.pk])).status_code == 404
    assert (
        client.get(reverse("cycle_activity_create", args=[municipality.units["H"].pk])).status_code
        == 404
    )
