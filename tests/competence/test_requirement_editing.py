"""Adding, changing and deleting requirements: who may, and what the form accepts."""

import pytest
from django.urls import reverse

from evne.competence.models import ProficiencyScale, Requirement, RequirementKind, ScaleLevel
from tests.competence.test_requirement_pages import many_competences

NOT_EDITORS = ["employee", "union_rep", "analyst"]


def require(competence, unit=None, role=None, **values) -> Requirement:
    return Requirement.objects.create(competence=competence, unit=unit, job_role=role, **values)


def in_english(client):
    client.cookies["django_language"] = "en"
    return client


def create_url(unit):
    return reverse("requirement_create", args=[unit.pk])


def form_data(competence, **values) -> dict:
    data = {"competence": competence.pk, "kind": "mandatory", "legal_basis": "", "grace_days": ""}
    level = values.pop("level", None)
    data["level"] = f"{competence.scale_id}:{level}" if level is not None else ""
    data.update(values)
    return data


def snapshot():
    return sorted(
        Requirement.objects.values_list(
            "competence__code", "job_role__name", "unit__code", "kind", "level", "legal_basis"
        ),
        key=str,
    )


# Who may edit


@pytest.mark.parametrize("unit", ["HA", "HA1"])
def test_a_leader_adds_requirements_to_the_units_they_lead_and_below(
    municipality, catalog, client_for, unit
):
    m, c = municipality, catalog.competences
    client = client_for(m.users["leader"])
    response = client.post(create_url(m.units[unit]), form_data(c["HLR"], grace_days="14"))
    assert response.status_code == 302
    assert response["Location"] == reverse("unit_requirements", args=[m.units[unit].pk])
    requirement = Requirement.objects.get()
    assert (requirement.unit, requirement.job_role, requirement.grace_days) == (
        m.units[unit],
        None,
        14,
    )


def test_a_leader_adds_a_requirement_for_one_job_role_in_their_unit(
    municipality, catalog, client_for
):
    m, c = municipality, catalog.competences
    data = form_data(c["DEMENS"], level=2, job_role=m.roles["nurse"].pk, kind="desired")
    client_for(m.users["leader"]).post(create_url(m.units["HA"]), data)
    requirement = Requirement.objects.get()
    assert (requirement.job_role, requirement.unit, requirement.kind, requirement.level) == (
        m.roles["nurse"],
        m.units["HA"],
        RequirementKind.DESIRED,
        2,
    )


@pytest.mark.parametrize("unit", ["H", "OC", "GX"])
def test_a_leader_cannot_touch_requirements_outside_their_units(
    municipality, catalog, client_for, unit
):
    m, c = municipality, catalog.competences
    requirement = require(c["HLR"], unit=m.units[unit])
    before = snapshot()
    client = client_for(m.users["leader"])
    edit = reverse("requirement_edit", args=[requirement.pk])
    delete = reverse("requirement_delete", args=[requirement.pk])
    assert client.get(create_url(m.units[unit])).status_code == 404
    assert client.post(create_url(m.units[unit]), form_data(c["LEGEMIDDEL"])).status_code == 404
    assert client.get(edit).status_code == 404
    assert client.post(edit, form_data(c["HLR"], kind="desired")).status_code == 404
    assert client.get(delete).status_code == 404
    assert client.post(delete).status_code == 404
    assert snapshot() == before


def test_hr_edits_requirements_anywhere_in_their_municipality(municipality, catalog, client_for):
    m, c = municipality, catalog.competences
    requirement = require(c["HLR"], unit=m.units["OC"])
    client = client_for(m.users["hr"])
    assert client.post(create_url(m.units["K"]), form_data(c["LEGEMIDDEL"])).status_code == 302
    edit = reverse("requirement_edit", args=[requirement.pk])
    assert client.post(edit, form_data(c["HLR"], kind="desired")).status_code == 302
    requirement.refresh_from_db()
    assert requirement.kind == RequirementKind.DESIRED
    assert client.post(reverse("requirement_delete", args=[requirement.pk])).status_code == 302
    assert snapshot() == [("LEGEMIDDEL", None, "K", "mandatory", None, "")]


def test_hr_of_another_municipality_cannot_edit_this_ones_requirements(
    municipality, catalog, client_for
):
    m, c = municipality, catalog.competences
    requirement = require(c["HLR"], unit=m.units["HA"])
    before = snapshot()
    client = client_for(m.users["outsider"])
    assert client.post(create_url(m.units["K"]), form_data(c["LEGEMIDDEL"])).status_code == 404
    edit = reverse("requirement_edit", args=[requirement.pk])
    assert client.post(edit, form_data(c["HLR"], kind="desired")).status_code == 404
    assert client.post(reverse("requirement_delete", args=[requirement.pk])).status_code == 404
    assert snapshot() == before
    # In their own municipality they may.
    assert client.post(create_url(m.units["GX"]), form_data(c["HLR"])).status_code == 302


@pytest.mark.parametrize("persona", NOT_EDITORS)
def test_employees_union_representatives_and_analysts_edit_nothing(
    municipality, catalog, client_for, persona
):
    m, c = municipality, catalog.competences
    on_unit = require(c["HLR"], unit=m.units["HA"])
    on_role = require(c["LEGEMIDDEL"], role=m.roles["nurse"])
    before = snapshot()
    client = client_for(m.users[persona])
    assert (
        client.post(create_url(m.units["HA"]), form_data(c["DEMENS"], level=1)).status_code == 404
    )
    role_create = reverse("role_requirement_create", args=[m.roles["nurse"].pk])
    assert client.post(role_create, form_data(c["HLR"])).status_code == 404
    for requirement in (on_unit, on_role):
        edit = reverse("requirement_edit", args=[requirement.pk])
        assert (
            client.post(edit, form_data(requirement.competence, kind="desired")).status_code == 404
        )
        assert client.post(reverse("requirement_delete", args=[requirement.pk])).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize(
    ("persona", "may_edit"),
    [
        ("admin", True),
        ("hr", True),
        ("outsider", True),  # HR of a whole organisation, Gamlevik
        ("leader", False),
        ("employee", False),
        ("union_rep", False),
        ("analyst", False),
    ],
)
def test_a_job_roles_own_requirements_are_for_administrators_and_hr_of_an_organisation(
    municipality, catalog, client_for, persona, may_edit
):
    m, c = municipality, catalog.competences
    nurse = m.roles["nurse"]
    existing = require(c["LEGEMIDDEL"], role=nurse)
    client = client_for(m.users[persona])
    create = reverse("role_requirement_create", args=[nurse.pk])
    edit = reverse("requirement_edit", args=[existing.pk])
    expected = 302 if may_edit else 404
    assert client.post(create, form_data(c["HLR"])).status_code == expected
    assert client.post(edit, form_data(c["LEGEMIDDEL"], grace_days="30")).status_code == expected
    existing.refresh_from_db()
    assert (existing.grace_days == 30) is may_edit
    assert Requirement.objects.filter(competence=c["HLR"], job_role=nurse, unit=None).exists() is (
        may_edit
    )


def test_a_job_role_requirement_form_has_no_job_role_field_and_returns_to_the_role(
    municipality, catalog, client_for
):
    m, c = municipality, catalog.competences
    nurse = m.roles["nurse"]
    client = client_for(m.users["hr"])
    create = reverse("role_requirement_create", args=[nurse.pk])
    assert "job_role" not in client.get(create).context["form"].fields
    response = client.post(create, form_data(c["HLR"], job_role=m.roles["teacher"].pk))
    assert response["Location"] == reverse("role_requirements", args=[nurse.pk])
    requirement = Requirement.objects.get()
    assert (requirement.job_role, requirement.unit) == (nurse, None)


# Deleting


def test_deleting_asks_first_and_deletes_only_on_confirmation(municipality, catalog, client_for):
    m, c = municipality, catalog.competences
    requirement = require(c["HLR"], unit=m.units["HA"])
    client = in_english(client_for(m.users["leader"]))
    url = reverse("requirement_delete", args=[requirement.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Delete the requirement?" in page.content.decode()
    assert Requirement.objects.exists()
    response = client.post(url, follow=True)
    assert not Requirement.objects.exists()
    assert "The requirement was deleted." in response.content.decode()


# What the form accepts


def test_a_level_must_be_empty_for_a_competence_one_has_or_not(municipality, catalog, client_for):
    m, c = municipality, catalog.competences
    client = in_english(client_for(m.users["leader"]))
    data = form_data(c["HLR"], level="")
    data["level"] = f"{catalog.scale.pk}:2"
    response = client.post(create_url(m.units["HA"]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["level"] == [
        "This competence is had or not: leave the level empty."
    ]
    assert not Requirement.objects.exists()


def test_a_competence_on_a_scale_needs_one_of_its_levels(municipality, catalog, client_for):
    m, c = municipality, catalog.competences
    languages = ProficiencyScale.objects.create(name="Språknivå", name_en="Language level")
    ScaleLevel.objects.create(scale=languages, value=2, name="B1")
    client = in_english(client_for(m.users["leader"]))
    url = create_url(m.units["HA"])
    missing = client.post(url, form_data(c["DEMENS"]))
    message = "Choose a level of the scale Proficiency 1–4, which this competence uses."
    assert missing.context["form"].errors["level"] == [message]
    other_scale = form_data(c["DEMENS"])
    other_scale["level"] = f"{languages.pk}:2"
    assert client.post(url, other_scale).context["form"].errors["level"] == [message]
    unknown = form_data(c["DEMENS"])
    unknown["level"] = f"{catalog.scale.pk}:9"
    assert "level" in client.post(url, unknown).context["form"].errors
    assert not Requirement.objects.exists()
    client.post(url, form_data(c["DEMENS"], level=3))
    assert Requirement.objects.get().level == 3


def test_the_form_shows_the_named_levels_grouped_by_scale(municipality, catalog, client_for):
    m = municipality
    content = in_english(client_for(m.users["leader"])).get(create_url(m.units["HA"])).content
    content = content.decode()
    assert '<optgroup label="Proficiency 1–4">' in content
    assert f'value="{catalog.scale.pk}:3">3 Advanced</option>' in content
    assert '<optgroup label="Health">' in content  # competences grouped by area


def test_a_duplicate_is_a_clear_form_error(municipality, catalog, client_for):
    m, c = municipality, catalog.competences
    require(c["HLR"], unit=m.units["HA"])
    require(c["HLR"], unit=m.units["HA"], role=m.roles["nurse"])
    client = in_english(client_for(m.users["leader"]))
    before = snapshot()
    for data in (
        form_data(c["HLR"]),
        form_data(c["HLR"], job_role=m.roles["nurse"].pk),
    ):
        response = client.post(create_url(m.units["HA"]), data)
        assert response.status_code == 200
        assert response.context["form"].errors["competence"] == [
            "There is already a requirement for this competence here. Edit that one instead."
        ]
        assert "The requirement was not saved." in response.content.decode()
    assert snapshot() == before
    # The same competence for another role, or in another unit, is another requirement.
    other_role = form_data(c["HLR"], job_role=m.roles["leader"].pk)
    assert client.post(create_url(m.units["HA"]), other_role).status_code == 302
    assert client.post(create_url(m.units["HA1"]), form_data(c["HLR"])).status_code == 302


def test_moving_a_requirement_onto_an_existing_one_is_a_form_error(
    municipality, catalog, client_for
):
    m, c = municipality, catalog.competences
    require(c["HLR"], unit=m.units["HA"])
    for_nurses = require(c["HLR"], unit=m.units["HA"], role=m.roles["nurse"])
    client = client_for(m.users["leader"])
    response = client.post(
        reverse("requirement_edit", args=[for_nurses.pk]), form_data(c["HLR"], job_role="")
    )
    assert response.status_code == 200
    assert "competence" in response.context["form"].errors
    for_nurses.refresh_from_db()
    assert for_nurses.job_role == m.roles["nurse"]


def test_a_duplicate_role_requirement_is_a_form_error(municipality, catalog, client_for):
    m, c = municipality, catalog.competences
    require(c["HLR"], role=m.roles["nurse"])
    response = client_for(m.users["hr"]).post(
        reverse("role_requirement_create", args=[m.roles["nurse"].pk]), form_data(c["HLR"])
    )
    assert "competence" in response.context["form"].errors
    assert Requirement.objects.count() == 1


def test_bad_numbers_and_missing_fields_are_form_errors(municipality, catalog, client_for):
    m = municipality
    client = client_for(m.users["leader"])
    response = client.post(
        create_url(m.units["HA"]),
        {"competence": "", "kind": "sometimes", "level": "x", "grace_days": "-3"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"competence", "kind", "level", "grace_days"}
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Requirement.objects.exists()


def test_new_requirements_offer_only_competences_in_use_but_an_edit_keeps_its_own(
    municipality, catalog, client_for
):
    m, c = municipality, catalog.competences
    old = c["LEGEMIDDEL"]
    requirement = require(old, unit=m.units["HA"], legal_basis="Gammel")
    old.is_active = False
    old.save()
    client = client_for(m.users["leader"])
    assert client.post(create_url(m.units["HA1"]), form_data(old)).status_code == 200
    assert not Requirement.objects.filter(unit=m.units["HA1"]).exists()
    edit = reverse("requirement_edit", args=[requirement.pk])
    page = client.get(edit).content.decode()
    assert f'<option value="{old.pk}" selected>' in page
    assert client.post(edit, form_data(old, legal_basis="Ny")).status_code == 302
    requirement.refresh_from_db()
    assert requirement.legal_basis == "Ny"


def test_an_edit_form_shows_the_current_values(municipality, catalog, client_for):
    m, c = municipality, catalog.competences
    requirement = require(c["DEMENS"], unit=m.units["HA"], level=3, grace_days=60)
    form = client_for(m.users["leader"]).get(reverse("requirement_edit", args=[requirement.pk]))
    bound = form.context["form"]
    assert bound["level"].value() == f"{catalog.scale.pk}:3"
    assert bound["grace_days"].value() == 60


@pytest.mark.parametrize("count", [3, 40])
def test_the_requirement_form_makes_a_fixed_number_of_queries(
    municipality, catalog, client_for, count, django_assert_max_num_queries
):
    m, c = municipality, catalog.competences
    many_competences(count)
    requirement = require(c["DEMENS"], unit=m.units["HA"], level=3)
    client = client_for(m.users["leader"])
    for url in (create_url(m.units["HA"]), reverse("requirement_edit", args=[requirement.pk])):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("requirement_delete", args=[requirement.pk])).status_code == 200
    with django_assert_max_num_queries(21):
        client.post(create_url(m.units["HA"]), form_data(c["HLR"]))
