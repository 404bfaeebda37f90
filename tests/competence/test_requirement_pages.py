"""The requirement pages: a unit's requirements and staffing targets, the job roles, a role."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from evne.competence.models import (
    Competence,
    CompetenceKind,
    Requirement,
    RequirementKind,
    StaffingMeasure,
    StaffingTarget,
)
from evne.organization.models import JobRole, OrgUnit

PERSONAS = ["admin", "hr", "leader", "employee", "union_rep", "analyst", "outsider"]


def require(competence, unit=None, role=None, **values) -> Requirement:
    return Requirement.objects.create(competence=competence, unit=unit, job_role=role, **values)


def in_english(client):
    """Messages are checked in English, the source language; the Norwegian ones come with the
    translation catalogue."""
    client.cookies["django_language"] = "en"
    return client


def unit_page(unit):
    return reverse("unit_requirements", args=[unit.pk])


def test_the_unit_page_shows_own_role_and_inherited_requirements_and_staffing_targets(
    municipality, catalog, client_for
):
    m, c = municipality, catalog.competences
    require(c["HLR"], unit=m.units["K"], grace_days=30)
    require(c["DEMENS"], unit=m.units["HA"], level=3, kind=RequirementKind.DESIRED)
    require(c["SYKEPLEIER"], unit=m.units["HA"], role=m.roles["nurse"], legal_basis="Egen regel")
    StaffingTarget.objects.create(
        unit=m.units["HA"],
        competence=c["DEMENS"],
        level=2,
        minimum=Decimal("2"),
        due_on=datetime.date(2027, 1, 31),
    )
    StaffingTarget.objects.create(
        unit=m.units["HA"], competence=c["SYKEPLEIER"], measure=StaffingMeasure.FTE, minimum=1.5
    )
    response = in_english(client_for(m.users["employee"])).get(unit_page(m.units["HA"]))
    assert response.status_code == 200
    found = response.context["found"]
    assert [r.competence.code for r in found.own] == ["DEMENS"]
    assert [r.competence.code for r in found.for_roles] == ["SYKEPLEIER"]
    assert [g.source.code for g in found.inherited] == ["K"]
    content = response.content.decode()
    assert "Requirements of Solsiden sykehjem" in content
    assert "level 3 Advanced" in content  # the level named by the scale
    assert "Desired" in content and "Mandatory" in content
    assert "For Sykepleier" in content
    assert "Egen regel" in content
    # An empty legal basis shows the competence's legal reference from the catalog.
    assert "Forskrift om ledelse og kvalitetsforbedring" in content
    assert "from the catalog" in content
    assert "New hires: 30 days" in content
    assert "At least 2 people" in content and "At least 1.5 FTE" in content
    assert "by 31.01.2027" in content and "now" in content


def test_the_unit_page_names_catalog_data_in_norwegian_by_default(
    municipality, catalog, client_for
):
    m, c = municipality, catalog.competences
    require(c["DEMENS"], unit=m.units["HA"], level=1, grace_days=1)
    StaffingTarget.objects.create(
        unit=m.units["HA"], competence=c["DEMENS"], level=1, minimum=1, measure="fte"
    )
    content = client_for(m.users["leader"]).get(unit_page(m.units["HA"])).content.decode()
    assert "1 Grunnleggende" in content and "Demensomsorg" in content
    assert "Dementia care" not in content


@pytest.mark.parametrize("persona", PERSONAS)
def test_whoever_may_open_a_unit_sees_its_requirements_and_nobody_else(
    municipality, persona, client_for
):
    m = municipality
    user = m.users[persona]
    may_open = {
        "admin": True,
        "hr": True,
        "leader": True,
        "employee": True,
        "union_rep": True,
        "analyst": True,
        "outsider": False,
    }[persona]
    response = client_for(user).get(unit_page(m.units["HA"]))
    assert response.status_code == (200 if may_open else 404)
    assert client_for(user).get(reverse("unit_requirements", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "may_edit"),
    [
        ("admin", True),
        ("hr", True),
        ("leader", True),
        ("employee", False),
        ("union_rep", False),
        ("analyst", False),
    ],
)
def test_only_those_who_may_edit_see_the_buttons(
    municipality, catalog, persona, may_edit, client_for
):
    m = municipality
    require(catalog.competences["HLR"], unit=m.units["HA"])
    response = client_for(m.users[persona]).get(unit_page(m.units["HA"]))
    content = response.content.decode()
    assert response.context["may_edit"] is may_edit
    new_url = reverse("requirement_create", args=[m.units["HA"].pk])
    target_url = reverse("staffing_target_create", args=[m.units["HA"].pk])
    assert (new_url in content) is may_edit
    assert (target_url in content) is may_edit
    assert ("/edit/" in content) is may_edit


def test_inherited_requirements_have_no_edit_buttons_on_the_unit_below(
    municipality, catalog, client_for
):
    m = municipality
    inherited = require(catalog.competences["HLR"], unit=m.units["H"])
    response = client_for(m.users["hr"]).get(unit_page(m.units["HA"]))
    assert reverse("requirement_edit", args=[inherited.pk]) not in response.content.decode()


def test_the_unit_page_links_back_to_the_unit_and_the_unit_page_links_here(
    municipality, client_for
):
    m = municipality
    client = client_for(m.users["leader"])
    content = client.get(unit_page(m.units["HA"])).content.decode()
    assert reverse("unit", args=[m.units["HA"].pk]) in content
    assert reverse("roles") in content
    unit = client.get(reverse("unit", args=[m.units["HA"].pk])).content.decode()
    assert unit_page(m.units["HA"]) in unit


# Query budgets


def many_competences(count: int) -> list[Competence]:
    return Competence.objects.bulk_create(
        Competence(code=f"X{index:03d}", name=f"Kompetanse {index}", kind=CompetenceKind.COURSE)
        for index in range(count)
    )


def fill(unit_path: list[OrgUnit], catalog, role, count: int) -> None:
    """`count` requirements spread over the units of the path, a third for a job role, with
    levels, and `count` staffing targets on the last unit."""
    competences = many_competences(count)
    for index, competence in enumerate(competences):
        unit = unit_path[index % len(unit_path)]
        require(competence, unit=unit, role=role if index % 3 == 0 else None, grace_days=index)
    scaled = catalog.competences["DEMENS"]
    require(scaled, unit=unit_path[-1], level=2)
    for index in range(count):
        StaffingTarget.objects.create(
            unit=unit_path[-1], competence=competences[index], minimum=index + 1
        )
        StaffingTarget.objects.create(unit=unit_path[-1], competence=scaled, level=3, minimum=1)


def deep_path(top: OrgUnit, depth: int) -> list[OrgUnit]:
    units = [top]
    for index in range(depth):
        units.append(
            OrgUnit.objects.create(code=f"D{index}", name=f"Nivå {index}", parent=units[-1])
        )
    return units


@pytest.mark.parametrize("count", [3, 40])
def test_the_unit_page_makes_a_fixed_number_of_queries(
    municipality, catalog, client_for, count, django_assert_max_num_queries
):
    m = municipality
    units = deep_path(m.units["HA1"], 10)
    fill([m.units["K"], m.units["H"], *units], catalog, m.roles["nurse"], count)
    for persona in ("leader", "hr", "admin"):
        client = client_for(m.users[persona])
        with django_assert_max_num_queries(16):
            response = client.get(unit_page(units[-1]))
        assert response.status_code == 200
        assert len(response.context["found"].all()) == count + 1


@pytest.mark.parametrize("count", [3, 40])
def test_the_role_pages_make_a_fixed_number_of_queries(
    municipality, catalog, client_for, count, django_assert_max_num_queries
):
    m = municipality
    units = deep_path(m.units["HA1"], 10)
    nurse = m.roles["nurse"]
    fill([m.units["K"], *units], catalog, nurse, count)
    for index, competence in enumerate(Competence.objects.filter(code__startswith="X")):
        require(competence, role=nurse, level=None, grace_days=index)
    JobRole.objects.bulk_create(JobRole(name=f"Rolle {index}") for index in range(count))
    for persona in ("leader", "hr", "admin"):
        client = client_for(m.users[persona])
        with django_assert_max_num_queries(13):
            assert client.get(reverse("roles")).status_code == 200
        with django_assert_max_num_queries(13):
            response = client.get(reverse("role_requirements", args=[nurse.pk]))
        assert response.status_code == 200
        assert len(response.context["own"]) == count


# Job roles


def test_the_roles_page_lists_every_role_with_its_requirement_counts(
    municipality, catalog, client_for
):
    m, c = municipality, catalog.competences
    nurse = m.roles["nurse"]
    require(c["HLR"], role=nurse)
    require(c["LEGEMIDDEL"], role=nurse)
    require(c["DEMENS"], role=nurse, unit=m.units["HA"], level=2)
    require(c["DEMENS"], role=nurse, unit=m.units["GX"], level=2)  # another municipality
    response = client_for(m.users["hr"]).get(reverse("roles"))
    counts = {role.name: (role.own_count, role.unit_count) for role in response.context["page"]}
    assert counts == {"Enhetsleder": (0, 0), "Lærer": (0, 0), "Sykepleier": (2, 1)}
    admin = client_for(m.users["admin"]).get(reverse("roles"))
    assert {r.name: r.unit_count for r in admin.context["page"]}["Sykepleier"] == 2


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_signed_in_user_sees_the_job_roles(municipality, persona, client_for):
    m = municipality
    client = client_for(m.users[persona])
    assert client.get(reverse("roles")).status_code == 200
    page = client.get(reverse("role_requirements", args=[m.roles["nurse"].pk]))
    assert page.status_code == 200
    assert client.get(reverse("role_requirements", args=[999999])).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(municipality, client):
    response = client.get(reverse("roles"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_role_page_shows_its_own_requirements_and_those_in_units_the_user_may_see(
    municipality, catalog, client_for
):
    m, c = municipality, catalog.competences
    nurse = m.roles["nurse"]
    require(c["HLR"], role=nurse, legal_basis="Forskrift X")
    require(c["DEMENS"], role=nurse, unit=m.units["HA"], level=2)
    require(c["LEGEMIDDEL"], role=nurse, unit=m.units["GX"])
    url = reverse("role_requirements", args=[nurse.pk])
    response = client_for(m.users["leader"]).get(url)
    assert [r.competence.code for r in response.context["own"]] == ["HLR"]
    assert [(r.unit.code, editable) for r, editable in response.context["in_units"]] == [
        ("HA", True)
    ]
    content = response.content.decode()
    assert "Forskrift X" in content and "Solsiden sykehjem" in content
    assert "Gamlevik" not in content
    # The leader may not change a role's own requirements.
    assert reverse("role_requirement_create", args=[nurse.pk]) not in content
    hr = client_for(m.users["hr"]).get(url)
    assert reverse("role_requirement_create", args=[nurse.pk]) in hr.content.decode()


def test_the_roles_page_is_paginated(municipality, client_for):
    JobRole.objects.bulk_create(JobRole(name=f"Rolle {index:03d}") for index in range(120))
    client = client_for(municipality.users["employee"])
    first = client.get(reverse("roles"))
    assert len(first.context["page"]) == 100
    assert first.context["page"].paginator.count == 123
    assert len(client.get(reverse("roles"), {"page": 2}).context["page"]) == 23


def test_competences_link_to_their_catalog_page(municipality, catalog, client_for):
    m, c = municipality, catalog.competences
    require(c["HLR"], unit=m.units["H"])
    require(c["LEGEMIDDEL"], role=m.roles["nurse"])
    StaffingTarget.objects.create(unit=m.units["HA"], competence=c["DEMENS"], level=1, minimum=1)
    client = client_for(m.users["employee"])
    unit = client.get(unit_page(m.units["HA"])).content.decode()
    assert reverse("competence", args=[c["HLR"].pk]) in unit  # inherited
    assert reverse("competence", args=[c["DEMENS"].pk]) in unit  # staffing target
    role = client.get(reverse("role_requirements", args=[m.roles["nurse"].pk])).content.decode()
    assert reverse("competence", args=[c["LEGEMIDDEL"].pk]) in role
