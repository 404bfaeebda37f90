"""The coverage pages are served from a cache per session, and never once the data they are
computed from has changed: a record, a requirement, a position, an import."""

import datetime

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evne.competence.models import ProficiencyScale, Requirement
from evne.competence.starter import STANDARD_SCALE, standard_scale
from evne.core.freshness import data_version
from evne.core.imports.pipeline import apply_import
from evne.demo.generator import MIN_EMPLOYEES, build_municipality
from tests.conftest import make_record


@pytest.fixture
def cpr_in_health(municipality, catalog):
    Requirement.objects.create(competence=catalog.competences["HLR"], unit=municipality.units["H"])
    return municipality


def overview(client, municipality):
    response = client.get(reverse("unit_overview", args=[municipality.units["HA"].pk]))
    assert response.status_code == 200
    return response.content.decode()


def queries_of(client, municipality):
    with CaptureQueriesContext(connection) as queries:
        page = overview(client, municipality)
    return page, len(queries)


def test_the_same_page_again_comes_from_the_cache(cpr_in_health, client_for):
    client = client_for(cpr_in_health.users["leader"])
    first, computed = queries_of(client, cpr_in_health)
    again, cached = queries_of(client, cpr_in_health)
    assert again == first
    # The session and the user, the data version, the session's new expiry (and savepoints).
    assert cached <= 6 < computed


def test_a_new_record_shows_at_once(cpr_in_health, catalog, client_for):
    client = client_for(cpr_in_health.users["leader"])
    before = overview(client, cpr_in_health)
    make_record(
        cpr_in_health.people["employee"],
        catalog.competences["HLR"],
        timezone.localdate() - datetime.timedelta(days=10),
    )
    after = overview(client, cpr_in_health)
    assert after != before


def test_a_new_requirement_shows_at_once(cpr_in_health, catalog, client_for):
    client = client_for(cpr_in_health.users["leader"])
    medicine = catalog.competences["LEGEMIDDEL"]
    assert medicine.name not in overview(client, cpr_in_health)
    Requirement.objects.create(competence=medicine, unit=cpr_in_health.units["HA"])
    assert medicine.name in overview(client, cpr_in_health)


def test_an_import_grows_the_data_version(cpr_in_health, catalog):
    before = data_version()
    apply_import("records", b"Ansattnr;Kompetanse;Oppn\xc3\xa5dd\n1002;HLR;01.03.2026\n", "r.csv")
    assert data_version() > before


def test_a_change_rolled_back_leaves_the_data_version(cpr_in_health, catalog):
    before = data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Requirement.objects.create(
            competence=catalog.competences["DEMENS"], unit=cpr_in_health.units["HA"]
        )
        assert data_version() == before + 1
        raise RuntimeError
    assert data_version() == before


def test_signing_in_does_not_empty_the_cache(cpr_in_health, client_for):
    before = data_version()
    client_for(cpr_in_health.users["leader"])  # saves the user's last sign-in
    assert data_version() == before


def test_each_session_gets_its_own_page(cpr_in_health, client_for):
    # A page carries its session's CSRF token; another session must not be given it.
    leader = cpr_in_health.users["leader"]
    assert "csrfmiddlewaretoken" in overview(client_for(leader), cpr_in_health)
    other = Client()
    other.force_login(leader, backend="django.contrib.auth.backends.ModelBackend")
    _page, computed = queries_of(other, cpr_in_health)
    assert computed > 6


def test_exports_are_not_cached(cpr_in_health, client_for):
    client = client_for(cpr_in_health.users["leader"])
    url = reverse("unit_overview", args=[cpr_in_health.units["HA"].pk])
    assert client.get(url, {"export": "csv"})["Content-Type"].startswith("text/csv")
    assert client.get(url)["Content-Type"].startswith("text/html")


def test_a_new_leader_grows_the_data_version(cpr_in_health):
    # Who leads a unit decides whom its leader sees: a change to it is a change of the data.
    before = data_version()
    cpr_in_health.units["HB"].leaders.add(cpr_in_health.people["employee"])
    assert data_version() == before + 1


def test_the_demo_build_grows_the_data_version(db):
    # `evne demo --replace` beside a running server: its pages must be computed anew.
    before = data_version()
    build_municipality(MIN_EMPLOYEES, seed=5)
    assert data_version() > before


def test_adding_the_standard_scales_levels_grows_the_data_version(db):
    # Level names show on the coverage pages; the levels are written in bulk, past the signals.
    name, name_en = STANDARD_SCALE
    ProficiencyScale.objects.create(name=name, name_en=name_en)
    before = data_version()
    standard_scale()
    assert data_version() > before
    settled = data_version()
    standard_scale()  # nothing missing: nothing changes
    assert data_version() == settled
