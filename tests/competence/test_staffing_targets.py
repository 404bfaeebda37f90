"""Staffing targets (bemanningsmål): a unit needs at least N people or FTE with a competence."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from evne.competence.models import StaffingMeasure, StaffingTarget
from tests.competence.test_requirement_pages import many_competences


def in_english(client):
    client.cookies["django_language"] = "en"
    return client


def create_url(unit):
    return reverse("staffing_target_create", args=[unit.pk])


def target_data(competence, **values) -> dict:
    level = values.pop("level", None)
    data = {
        "competence": competence.pk,
        "level": f"{competence.scale_id}:{level}" if level is not None else "",
        "measure": "people",
        "minimum": "2",
        "due_on": "",
        "note": "",
    }
    data.update(values)
    return data


def targets():
    return list(
        StaffingTarget.objects.values_list(
            "unit__code", "competence__code", "level", "measure", "minimum", "due_on", "note"
        )
    )


def test_a_leader_sets_a_staffing_target_for_their_unit(municipality, catalog, client_for):
    m, c = municipality, catalog.competences
    data = target_data(c["DEMENS"], level=3, due_on="2027-06-01", note="Minst to på hver vakt")
    response = client_for(m.users["leader"]).post(create_url(m.units["HA"]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("unit_requirements", args=[m.units["HA"].pk])
    assert targets() == [
        (
            "HA",
            "DEMENS",
            3,
            "people",
            Decimal("2.0"),
            datetime.date(2027, 6, 1),
            "Minst to på hver vakt",
        )
    ]


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("written", ["1,5", "1.5", " 1,5 "])
def test_a_target_in_fte_takes_a_decimal_comma_or_point_and_no_date_means_now(
    municipality, catalog, client_for, language, written
):
    m, c = municipality, catalog.competences
    client = client_for(m.users["leader"])
    client.cookies["django_language"] = language
    data = target_data(c["SYKEPLEIER"], measure="fte", minimum=written)
    assert client.post(create_url(m.units["HA1"]), data).status_code == 302
    target = StaffingTarget.objects.get()
    assert (target.measure, target.minimum, target.due_on) == (
        StaffingMeasure.FTE,
        Decimal("1.5"),
        None,
    )


def test_a_date_may_be_written_as_norwegian_excel_writes_it(municipality, catalog, client_for):
    m, c = municipality, catalog.competences
    data = target_data(c["HLR"], due_on="31.12.2026")
    client_for(m.users["leader"]).post(create_url(m.units["HA"]), data)
    assert StaffingTarget.objects.get().due_on == datetime.date(2026, 12, 31)


@pytest.mark.parametrize(
    ("minimum", "measure", "message"),
    [
        ("0", "people", "The target must be more than 0."),
        ("0", "fte", "The target must be more than 0."),
        ("-2", "people", "The target must be more than 0."),
        ("1,5", "people", "People are counted in whole numbers."),
        ("mange", "people", "Enter a number."),
        ("", "people", "This field is required."),
    ],
)
def test_a_target_must_be_more_than_zero_and_whole_for_people(
    municipality, catalog, client_for, minimum, measure, message
):
    m, c = municipality, catalog.competences
    client = in_english(client_for(m.users["leader"]))
    data = target_data(c["HLR"], minimum=minimum, measure=measure)
    response = client.post(create_url(m.units["HA"]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["minimum"] == [message]
    assert "The staffing target was not saved." in response.content.decode()
    assert not StaffingTarget.objects.exists()


def test_the_level_of_a_target_is_checked_against_the_competences_scale(
    municipality, catalog, client_for
):
    m, c = municipality, catalog.competences
    client = in_english(client_for(m.users["leader"]))
    have_or_not = target_data(c["HLR"])
    have_or_not["level"] = f"{catalog.scale.pk}:2"
    response = client.post(create_url(m.units["HA"]), have_or_not)
    assert response.context["form"].errors["level"] == [
        "This competence is had or not: leave the level empty."
    ]
    missing = client.post(create_url(m.units["HA"]), target_data(c["DEMENS"]))
    assert "level" in missing.context["form"].errors
    bad_date = client.post(create_url(m.units["HA"]), target_data(c["HLR"], due_on="31.02.2026"))
    assert "due_on" in bad_date.context["form"].errors
    assert not StaffingTarget.objects.exists()


def test_a_target_is_edited_and_deleted_after_confirmation(municipality, catalog, client_for):
    m, c = municipality, catalog.competences
    target = StaffingTarget.objects.create(unit=m.units["HA"], competence=c["HLR"], minimum=2)
    client = in_english(client_for(m.users["leader"]))
    edit = reverse("staffing_target_edit", args=[target.pk])
    assert client.get(edit).context["form"]["minimum"].value() == 2
    assert client.post(edit, target_data(c["HLR"], minimum="4")).status_code == 302
    target.refresh_from_db()
    assert target.minimum == 4
    delete = reverse("staffing_target_delete", args=[target.pk])
    assert "Delete the staffing target?" in client.get(delete).content.decode()
    assert StaffingTarget.objects.exists()
    response = client.post(delete, follow=True)
    assert not StaffingTarget.objects.exists()
    assert "The staffing target was deleted." in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "unit", "may_edit"),
    [
        ("leader", "HA", True),
        ("leader", "HA1", True),
        ("leader", "H", False),
        ("leader", "OC", False),
        ("hr", "OC", True),
        ("hr", "GX", False),
        ("outsider", "HA", False),
        ("admin", "GX", True),
        ("employee", "HA", False),
        ("union_rep", "HA", False),
        ("analyst", "HA", False),
    ],
)
def test_staffing_targets_are_edited_by_whoever_may_edit_the_units_requirements(
    municipality, catalog, client_for, persona, unit, may_edit
):
    m, c = municipality, catalog.competences
    target = StaffingTarget.objects.create(unit=m.units[unit], competence=c["HLR"], minimum=1)
    before = targets()
    client = client_for(m.users[persona])
    edit = reverse("staffing_target_edit", args=[target.pk])
    delete = reverse("staffing_target_delete", args=[target.pk])
    expected = 302 if may_edit else 404
    assert client.get(create_url(m.units[unit])).status_code == (200 if may_edit else 404)
    assert client.get(edit).status_code == (200 if may_edit else 404)
    assert client.get(delete).status_code == (200 if may_edit else 404)
    assert client.post(edit, target_data(c["HLR"], minimum="9")).status_code == expected
    if not may_edit:
        assert client.post(create_url(m.units[unit]), target_data(c["HLR"])).status_code == 404
        assert client.post(delete).status_code == 404
        assert targets() == before


@pytest.mark.parametrize("count", [3, 40])
def test_the_staffing_target_pages_make_a_fixed_number_of_queries(
    municipality, catalog, client_for, count, django_assert_max_num_queries
):
    m, c = municipality, catalog.competences
    many_competences(count)
    target = StaffingTarget.objects.create(
        unit=m.units["HA"], competence=c["DEMENS"], level=2, minimum=1
    )
    client = client_for(m.users["leader"])
    for url in (
        create_url(m.units["HA"]),
        reverse("staffing_target_edit", args=[target.pk]),
        reverse("staffing_target_delete", args=[target.pk]),
    ):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
