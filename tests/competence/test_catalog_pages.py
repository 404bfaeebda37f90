"""The catalog pages: browsing, searching and filtering, a competence, and HR editing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from evne.competence.models import (
    Competence,
    CompetenceArea,
    CompetenceKind,
    CompetenceRecord,
    ProficiencyScale,
    Requirement,
    ScaleLevel,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    """Pages and messages are checked in English, the source language."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def codes_on(response) -> list[str]:
    return [competence.code for competence in response.context["page"]]


def get_catalog(client, **params):
    return client.get(reverse("catalog"), params)


def test_every_signed_in_user_reads_the_catalog_and_finds_it_in_the_menu(
    municipality, catalog, client_for
):
    for name in ["employee", "union_rep", "analyst", "leader", "hr", "outsider"]:
        response = get_catalog(client_for(municipality.users[name]))
        assert response.status_code == 200
        assert sorted(codes_on(response)) == [
            "DEMENS",
            "DIGITAL",
            "HLR",
            "LEGEMIDDEL",
            "SYKEPLEIER",
        ]
        assert ("Competences", reverse("catalog"), True, False) in response.context["navigation"]


def test_the_catalog_is_for_signed_in_users_only(client, catalog):
    response = client.get(reverse("catalog"))
    assert response.status_code == 302


def test_search_finds_code_names_in_both_languages_and_description(
    municipality, catalog, client_for
):
    client = client_for(municipality.users["employee"])
    Competence.objects.filter(code="DIGITAL").update(description="Bruk av nettbrett og PC")
    assert codes_on(get_catalog(client, q="hlr")) == ["HLR"]
    assert codes_on(get_catalog(client, q="LEGEMIDDELHÅNDTERING")) == ["LEGEMIDDEL"]
    assert codes_on(get_catalog(client, q="nursing")) == ["SYKEPLEIER"]
    assert codes_on(get_catalog(client, q="nettbrett")) == ["DIGITAL"]
    response = get_catalog(client, q="finnes ikke")
    assert codes_on(response) == []
    assert "No competence matches" in response.content.decode()


def test_the_filter_by_kind_shows_only_that_kind(municipality, catalog, client_for):
    client = client_for(municipality.users["employee"])
    response = get_catalog(client, kind=CompetenceKind.COURSE)
    assert sorted(codes_on(response)) == ["HLR", "LEGEMIDDEL"]
    # An unknown kind is ignored rather than an error.
    assert len(codes_on(get_catalog(client, kind="nonsense"))) == 5


def test_a_chosen_area_shows_the_competences_of_its_sub_areas_too(
    municipality, catalog, client_for
):
    health = catalog.areas["health"]
    dementia = CompetenceArea.objects.create(name="Demens", parent=health)
    deeper = CompetenceArea.objects.create(name="Miljøbehandling", parent=dementia)
    Competence.objects.filter(code="DEMENS").update(area=dementia)
    Competence.objects.create(code="MUSIKK", name="Musikk", kind="course", area=deeper)
    client = client_for(municipality.users["employee"])

    response = get_catalog(client, area=health.pk)
    assert sorted(codes_on(response)) == ["DEMENS", "HLR", "LEGEMIDDEL", "MUSIKK", "SYKEPLEIER"]
    assert sorted(codes_on(get_catalog(client, area=dementia.pk))) == ["DEMENS", "MUSIKK"]
    # The tree counts what is in each area and below it.
    tree = {node.area.name: node for node in response.context["tree"]}
    assert tree["Helse og omsorg"].count == 5
    assert tree["Helse og omsorg"].children[0].count == 2
    assert tree["Digital"].count == 1


def test_competences_no_longer_in_use_are_hidden_until_asked_for(municipality, catalog, client_for):
    Competence.objects.filter(code="HLR").update(is_active=False)
    client = client_for(municipality.users["employee"])
    assert "HLR" not in codes_on(get_catalog(client))
    response = get_catalog(client, inactive="1")
    assert "HLR" in codes_on(response)
    assert "not in use" in response.content.decode()


def test_the_catalog_is_paginated_and_pages_keep_the_filters(municipality, client_for):
    for number in range(60):
        Competence.objects.create(code=f"K{number:02d}", name=f"Kurs {number:02d}", kind="course")
    Competence.objects.create(code="F1", name="Fagbrev", kind="trade_certificate")
    client = client_for(municipality.users["employee"])
    response = get_catalog(client, kind="course")
    assert response.context["page"].paginator.count == 60
    assert len(codes_on(response)) == 50
    assert "kind=course&amp;page=2" in response.content.decode()
    assert len(codes_on(get_catalog(client, kind="course", page=2))) == 10


def test_names_show_in_the_active_language(municipality, catalog, client_for):
    client = client_for(municipality.users["employee"])
    assert "Cardiopulmonary resuscitation" in get_catalog(client).content.decode()
    client.cookies["django_language"] = "nb"
    page = get_catalog(client).content.decode()
    assert "Hjerte-lunge-redning" in page
    assert "Cardiopulmonary resuscitation" not in page


def test_a_competence_page_shows_scale_implies_and_who_requires_it(
    municipality, catalog, client_for
):
    nurse, unit = municipality.roles["nurse"], municipality.units["HA"]
    demens = catalog.competences["DEMENS"]
    Requirement.objects.create(competence=demens, job_role=nurse, level=2)
    Requirement.objects.create(competence=demens, unit=unit, kind="desired", level=3)
    Requirement.objects.create(
        competence=demens, unit=municipality.units["GX"], job_role=nurse, level=4
    )
    client = client_for(municipality.users["employee"])

    page = client.get(reverse("competence", args=[demens.pk])).content.decode()
    assert "Dementia care" in page
    assert "Proficiency 1–4" in page and "Advanced" in page
    assert "Sykepleier" in page and "Solsiden sykehjem" in page and "Gamlevik rådhus" in page
    assert "Desired" in page and "2 Intermediate" in page
    # Units the user may not open are named, not linked.
    assert reverse("unit_requirements", args=[municipality.units["GX"].pk]) not in page
    nursing = client.get(reverse("competence", args=[catalog.competences["SYKEPLEIER"].pk]))
    assert [c.code for c in nursing.context["implies"]] == ["LEGEMIDDEL"]
    medicine = client.get(reverse("competence", args=[catalog.competences["LEGEMIDDEL"].pk]))
    assert [c.code for c in medicine.context["implied_by"]] == ["SYKEPLEIER"]


EDIT_PAGES = [
    ("competence_create", False),
    ("competence_edit", True),
    ("competence_delete", True),
    ("areas", False),
    ("area_create", False),
    ("area_edit", "area"),
    ("scales", False),
    ("scale_create", False),
    ("scale_edit", "scale"),
]


def edit_urls(catalog):
    pks = {
        True: catalog.competences["HLR"].pk,
        "area": catalog.areas["health"].pk,
        "scale": catalog.scale.pk,
    }
    return [
        reverse(name, args=[pks[argument]] if argument else []) for name, argument in EDIT_PAGES
    ]


@pytest.mark.parametrize("name", ["employee", "leader", "union_rep", "analyst"])
def test_only_hr_may_edit_the_catalog_others_find_nothing(name, municipality, catalog, client_for):
    client = client_for(municipality.users[name])
    for url in edit_urls(catalog):
        assert client.get(url).status_code == 404, url
        if url not in (reverse("areas"), reverse("scales")):  # lists: read only
            assert client.post(url, {"name": "X"}).status_code == 404, url
    page = get_catalog(client).content.decode()
    assert reverse("competence_create") not in page
    detail = client.get(reverse("competence", args=[catalog.competences["HLR"].pk]))
    assert reverse("competence_edit", args=[catalog.competences["HLR"].pk]) not in (
        detail.content.decode()
    )
    assert Competence.objects.count() == 5


@pytest.mark.parametrize("name", ["hr", "admin", "outsider"])
def test_hr_and_administrators_open_every_edit_page(name, municipality, catalog, client_for):
    client = client_for(municipality.users[name])
    for url in edit_urls(catalog):
        assert client.get(url).status_code == 200, url
    assert reverse("competence_create") in get_catalog(client).content.decode()


def competence_data(**values):
    data = {
        "code": "SAR",
        "name": "Sårbehandling",
        "name_en": "Wound care",
        "kind": "course",
        "area": "",
        "scale": "",
        "validity_months": "",
        "legal_reference": "",
        "nus_code": "",
        "esco_uri": "",
        "description": "",
        "is_active": "on",
    }
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


def test_hr_creates_a_competence_with_area_scale_and_implies(municipality, catalog, client_for):
    client = client_for(municipality.users["hr"])
    data = competence_data(
        area=catalog.areas["health"].pk,
        scale=catalog.scale.pk,
        validity_months="36",
        implies=[catalog.competences["HLR"].pk],
    )
    response = client.post(reverse("competence_create"), data)
    competence = Competence.objects.get(code="SAR")
    assert response.status_code == 302
    assert response.url == reverse("competence", args=[competence.pk])
    assert (competence.area, competence.scale, competence.validity_months) == (
        catalog.areas["health"],
        catalog.scale,
        36,
    )
    assert [c.code for c in competence.implies.all()] == ["HLR"]


def test_a_code_taken_in_another_case_is_refused_and_nothing_is_saved(
    municipality, catalog, client_for
):
    client = client_for(municipality.users["hr"])
    response = client.post(reverse("competence_create"), competence_data(code="hlr"))
    assert response.status_code == 200
    assert "This is taken" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert Competence.objects.count() == 5


def test_hr_edits_a_competence_and_may_mark_it_not_in_use(municipality, catalog, client_for):
    hlr = catalog.competences["HLR"]
    client = client_for(municipality.users["hr"])
    data = competence_data(
        code="HLR", name="HLR voksne", kind="course", validity_months="12", is_active=None
    )
    response = client.post(reverse("competence_edit", args=[hlr.pk]), data)
    hlr.refresh_from_db()
    assert response.status_code == 302
    assert (hlr.name, hlr.is_active) == ("HLR voksne", False)


def test_a_competence_cannot_imply_itself_in_the_form(municipality, catalog, client_for):
    hlr = catalog.competences["HLR"]
    client = client_for(municipality.users["hr"])
    data = competence_data(code="HLR", implies=[hlr.pk])
    response = client.post(reverse("competence_edit", args=[hlr.pk]), data)
    assert response.status_code == 200
    assert not hlr.implies.exists()


def record(person, competence, level=None):
    return CompetenceRecord.objects.create(
        person=person, competence=competence, level=level, obtained_on=datetime.date(2024, 1, 1)
    )


def test_a_competence_in_use_cannot_be_deleted_but_an_unused_one_can(
    municipality, catalog, client_for
):
    client = client_for(municipality.users["hr"])
    hlr, legemiddel = catalog.competences["HLR"], catalog.competences["LEGEMIDDEL"]
    record(municipality.people["employee"], hlr)
    Requirement.objects.create(competence=legemiddel, job_role=municipality.roles["nurse"])
    for competence in (hlr, legemiddel):
        form = client.get(reverse("competence_edit", args=[competence.pk])).content.decode()
        assert "cannot be deleted" in form
        assert client.post(reverse("competence_delete", args=[competence.pk])).status_code == 404
    unused = catalog.competences["DIGITAL"]
    assert (
        "can be deleted"
        in client.get(reverse("competence_edit", args=[unused.pk])).content.decode()
    )
    response = client.post(reverse("competence_delete", args=[unused.pk]))
    assert response.status_code == 302
    assert not Competence.objects.filter(pk=unused.pk).exists()
    assert Competence.objects.filter(pk__in=[hlr.pk, legemiddel.pk]).count() == 2


def test_the_scale_of_a_competence_with_levels_in_use_cannot_be_changed(
    municipality, catalog, client_for
):
    demens = catalog.competences["DEMENS"]
    record(municipality.people["employee"], demens, level=2)
    client = client_for(municipality.users["hr"])
    data = competence_data(code="DEMENS", name="Demensomsorg", kind="further_education")
    response = client.post(reverse("competence_edit", args=[demens.pk]), data)
    assert response.status_code == 200
    assert "cannot be changed" in response.content.decode()
    demens.refresh_from_db()
    assert demens.scale == catalog.scale


def test_hr_creates_and_moves_areas_but_not_under_themselves(municipality, catalog, client_for):
    client = client_for(municipality.users["hr"])
    health = catalog.areas["health"]
    response = client.post(
        reverse("area_create"), {"name": "Demens", "name_en": "Dementia", "parent": health.pk}
    )
    assert response.status_code == 302
    dementia = CompetenceArea.objects.get(name="Demens")
    assert dementia.parent == health
    # Health may not go under its own sub-area: the choice is not offered, and refused.
    form = client.get(reverse("area_edit", args=[health.pk])).context["form"]
    assert dementia.pk not in [value for value, _label in form.fields["parent"].choices]
    response = client.post(
        reverse("area_edit", args=[health.pk]), {"name": "Helse og omsorg", "parent": dementia.pk}
    )
    assert response.status_code == 200
    health.refresh_from_db()
    assert health.parent is None
    areas_page = client.get(reverse("areas"))
    assert [node.count for node in areas_page.context["tree"]] == [1, 4]


def test_an_area_name_taken_in_another_case_is_refused(municipality, catalog, client_for):
    client = client_for(municipality.users["hr"])
    response = client.post(reverse("area_create"), {"name": "helse OG omsorg"})
    assert response.status_code == 200
    assert CompetenceArea.objects.count() == 2


def scale_data(scale, levels, **changes):
    """The scale form as posted: `levels` as (pk or None, value, name, delete) tuples."""
    data = {
        "name": scale.name if scale else "Ny skala",
        "name_en": "",
        "levels-TOTAL_FORMS": str(len(levels)),
        "levels-INITIAL_FORMS": str(sum(1 for pk, *_rest in levels if pk)),
        "levels-MIN_NUM_FORMS": "0",
        "levels-MAX_NUM_FORMS": "1000",
    }
    for index, (pk, value, name, delete) in enumerate(levels):
        prefix = f"levels-{index}-"
        data[prefix + "id"] = str(pk or "")
        data[prefix + "value"] = str(value)
        data[prefix + "name"] = name
        data[prefix + "name_en"] = ""
        data[prefix + "description"] = ""
        if scale:
            data[prefix + "scale"] = str(scale.pk)
        if delete:
            data[prefix + "DELETE"] = "on"
    data.update(changes)
    return data


def current_levels(scale, delete=(), rename=None):
    return [
        (level.pk, level.value, (rename or {}).get(level.value, level.name), level.value in delete)
        for level in scale.levels.all()
    ]


def test_hr_creates_a_scale_with_its_levels(municipality, client_for):
    client = client_for(municipality.users["hr"])
    data = scale_data(None, [(None, 1, "Lav", False), (None, 2, "Høy", False)])
    response = client.post(reverse("scale_create"), data)
    assert response.status_code == 302
    scale = ProficiencyScale.objects.get(name="Ny skala")
    assert list(scale.levels.values_list("value", "name")) == [(1, "Lav"), (2, "Høy")]


def test_hr_renames_and_removes_levels_nobody_uses(municipality, catalog, client_for):
    client = client_for(municipality.users["hr"])
    scale = catalog.scale
    data = scale_data(scale, current_levels(scale, delete={4}, rename={2: "Selvstendig"}))
    response = client.post(reverse("scale_edit", args=[scale.pk]), data)
    assert response.status_code == 302
    assert list(scale.levels.values_list("value", "name")) == [
        (1, "Grunnleggende"),
        (2, "Selvstendig"),
        (3, "Avansert"),
    ]


def test_a_level_in_use_cannot_be_removed_or_renumbered(municipality, catalog, client_for):
    client = client_for(municipality.users["hr"])
    scale = catalog.scale
    record(municipality.people["employee"], catalog.competences["DEMENS"], level=3)
    Requirement.objects.create(
        competence=catalog.competences["DIGITAL"], job_role=municipality.roles["nurse"], level=4
    )
    page = client.get(reverse("scale_edit", args=[scale.pk])).content.decode()
    assert "In use by records or requirements" in page

    response = client.post(
        reverse("scale_edit", args=[scale.pk]), scale_data(scale, current_levels(scale, {3, 4}))
    )
    assert response.status_code == 200
    assert "give level 3, 4, so it cannot be removed" in response.content.decode()
    levels = current_levels(scale)
    levels[2] = (levels[2][0], 7, "Avansert", False)
    response = client.post(reverse("scale_edit", args=[scale.pk]), scale_data(scale, levels))
    assert response.status_code == 200
    assert ScaleLevel.objects.filter(scale=scale).count() == 4
    assert not ScaleLevel.objects.filter(value=7).exists()


def test_a_scale_needs_a_level_and_distinct_numbers(municipality, client_for):
    client = client_for(municipality.users["hr"])
    response = client.post(reverse("scale_create"), scale_data(None, []))
    assert "at least one level" in response.content.decode()
    response = client.post(
        reverse("scale_create"), scale_data(None, [(None, 1, "A", False), (None, 1, "B", False)])
    )
    assert response.status_code == 200
    assert not ProficiencyScale.objects.exists()


def add_competences(count: int, area: CompetenceArea, scale: ProficiencyScale):
    Competence.objects.bulk_create(
        Competence(
            code=f"Q{number:04d}",
            name=f"Kompetanse {number:04d}",
            kind="course",
            area=area,
            scale=scale if number % 2 else None,
        )
        for number in range(count)
    )
    for number in range(count // 20):
        CompetenceArea.objects.create(name=f"Område {number}", parent=area)


@pytest.mark.parametrize("count", [10, 200])
def test_the_catalog_page_needs_as_many_queries_whatever_its_size(
    count, municipality, catalog, client_for, django_assert_max_num_queries
):
    add_competences(count, catalog.areas["health"], catalog.scale)
    client = client_for(municipality.users["hr"])
    with django_assert_max_num_queries(12):
        assert get_catalog(client).status_code == 200
    with django_assert_max_num_queries(12):
        assert (
            get_catalog(client, q="kompetanse", area=catalog.areas["health"].pk).status_code == 200
        )


@pytest.mark.parametrize("count", [10, 200])
def test_the_competence_page_needs_as_many_queries_whatever_its_size(
    count, municipality, catalog, client_for, django_assert_max_num_queries
):
    add_competences(count, catalog.areas["health"], catalog.scale)
    demens = catalog.competences["DEMENS"]
    demens.implies.set(Competence.objects.filter(code__startswith="Q")[: count // 2])
    role = municipality.roles["nurse"]
    Requirement.objects.create(competence=demens, job_role=role, level=2)
    for code in ["HA", "HB", "O", "GX"]:
        Requirement.objects.create(competence=demens, unit=municipality.units[code], level=3)
    client = client_for(municipality.users["leader"])
    with django_assert_max_num_queries(15):
        assert client.get(reverse("competence", args=[demens.pk])).status_code == 200


@pytest.mark.parametrize("count", [10, 200])
def test_the_edit_pages_need_as_many_queries_whatever_the_catalog_size(
    count, municipality, catalog, client_for, django_assert_max_num_queries
):
    add_competences(count, catalog.areas["health"], catalog.scale)
    client = client_for(municipality.users["hr"])
    urls = [
        reverse("competence_edit", args=[catalog.competences["DEMENS"].pk]),
        reverse("areas"),
        reverse("area_edit", args=[catalog.areas["health"].pk]),
        reverse("scales"),
        reverse("scale_edit", args=[catalog.scale.pk]),
    ]
    for url in urls:
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200, url
