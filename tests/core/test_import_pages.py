"""The import pages for HR: upload → preview → confirm → batch page, and the batch history."""

import csv
import io
import os
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse

from evne.core.imports import forms as import_forms
from evne.core.imports import views as import_views
from evne.core.models import ImportBatch, ImportChange
from evne.organization.models import Employment, Person
from tests.core.imports.test_reading import xlsx_bytes

HEADERS = [
    "Ansattnr",
    "Fornavn",
    "Etternavn",
    "Enhetskode",
    "Enhet",
    "Stilling",
    "Stillingsprosent",
    "Startdato",
]
ROWS = [
    ["5001", "Åse", "Ødegård", "HA", "Solsiden sykehjem", "Sykepleier", "80,5", "01.03.2024"],
    ["5002", "Bjørn", "Æsøy", "HA1", "Avdeling Øst", "Helsefagarbeider", "100", "15.08.2023"],
    ["5003", "Kåre", "Sørli", "OC", "Lia skole", "Lærer", "50 %", "01.08.2022"],
]
BROKEN_ROWS = [
    ["5001", "Åse", "Ødegård", "HA", "Solsiden sykehjem", "Sykepleier", "180", "01.03.2024"],
    ["5002", "Bjørn", "Æsøy", "HA1", "Avdeling Øst", "Helsefagarbeider", "100", "31.02.2023"],
    ["5003", "Kåre", "Sørli", "OC", "Lia skole", "Lærer", "50", "01.08.2022"],
]
# The outsider is HR for the whole of Gamlevik, and so may import.
FORBIDDEN = ["leader", "employee", "union_rep", "analyst"]


def people_csv(rows=ROWS, headers=HEADERS) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return text.getvalue().encode("cp1252")


def upload(client, data, name="ansatte.csv", **fields):
    fields.setdefault("kind", "people")
    return client.post(reverse("import_upload"), {"file": ContentFile(data, name=name), **fields})


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def hr(municipality, client_for):
    return client_for(municipality.users["hr"])


def pending_files(settings):
    directory = settings.MEDIA_ROOT / "imports" / "pending"
    return sorted(directory.iterdir()) if directory.exists() else []


def make_batch(user, changes=0, filename="ansatte.csv", data=b"Ansattnr;Fornavn\r\n"):
    batch = ImportBatch(
        kind="people",
        created_by=user,
        filename=filename,
        counts={"people": {"create": changes, "update": 0}},
    )
    batch.file.save(filename, ContentFile(data), save=True)
    person = Person.objects.first()
    person_type = ContentType.objects.get_for_model(Person)
    ImportChange.objects.bulk_create(
        ImportChange(
            batch=batch,
            content_type=person_type,
            object_pk=str(person.pk),
            object_repr=str(person),
            action="update" if index % 2 else "create",
            row=index + 2,
            changes=(
                {"given_name": ["Før", "Etter"]} if index % 2 else {"given_name": "Ny", "email": ""}
            ),
        )
        for index in range(changes)
    )
    return batch


def test_the_menu_offers_import_to_hr_only(municipality, client_for):
    url = reverse("imports")
    hr_page = client_for(municipality.users["hr"]).get(reverse("home"))
    assert any(item[1] == url for item in hr_page.context["navigation"])
    leader_page = client_for(municipality.users["leader"]).get(reverse("home"))
    assert all(item[1] != url for item in leader_page.context["navigation"])


def test_the_import_page_offers_the_kinds_the_file_types_and_the_modes(hr):
    response = hr.get(reverse("imports"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="people"' in content and 'value="units"' in content
    assert 'accept=".csv,.xlsx"' in content
    assert 'name="full_sync"' in content and 'name="force"' in content
    assert 'enctype="multipart/form-data"' in content


def test_hr_previews_then_confirms_a_norwegian_export(municipality, hr, settings):
    people_before = Person.objects.count()
    data = people_csv()

    preview = upload(hr, data)

    assert preview.status_code == 200
    assert preview.templates[0].name == "imports/preview.html"
    assert preview.context["plan"].counts["people"] == {"create": 3, "update": 0}
    assert preview.context["plan"].counts["employments"]["create"] == 3
    assert preview.context["problems"] == []
    token = preview.context["token"]
    assert f'value="{token}"' in preview.content.decode()
    # Nothing is written before the confirmation, and the file waits under a random name.
    assert Person.objects.count() == people_before
    assert ImportBatch.objects.count() == 0
    assert [path.name for path in pending_files(settings)] == [token]
    assert data not in str(dict(hr.session)).encode()

    confirmed = hr.post(reverse("import_confirm"), {"token": token})

    batch = ImportBatch.objects.get()
    assert confirmed.status_code == 302
    assert confirmed.url == reverse("import_batch", args=[batch.pk])
    assert Person.objects.count() == people_before + 3
    ase = Person.objects.get(employee_number="5001")
    assert (ase.given_name, ase.family_name) == ("Åse", "Ødegård")
    assert Employment.objects.get(person=ase).unit == municipality.units["HA"]
    assert batch.created_by == municipality.users["hr"]
    assert batch.filename == "ansatte.csv"
    with batch.file.open("rb") as kept:
        assert kept.read() == data
    assert pending_files(settings) == []

    page = hr.get(confirmed.url)
    assert page.status_code == 200
    assert len(list(page.context["messages"])) == 1
    content = page.content.decode()
    assert "Ødegård" in content
    assert {change.object_repr for change, _fields in page.context["changes"]} >= {
        str(ase),
    }


def test_a_named_worksheet_of_a_workbook_is_imported(municipality, hr):
    data = xlsx_bytes({"Forside": [["Eksport fra lønnssystemet"]], "Ansatte": [HEADERS, *ROWS]})
    preview = upload(hr, data, name="ansatte.xlsx", sheet="Ansatte")
    assert preview.context["problems"] == []
    assert preview.context["pending"]["sheet"] == "Ansatte"
    hr.post(reverse("import_confirm"), {"token": preview.context["token"]})
    assert Person.objects.filter(employee_number__in=["5001", "5002", "5003"]).count() == 3


def test_confirming_twice_imports_once(hr):
    token = upload(hr, people_csv()).context["token"]
    hr.post(reverse("import_confirm"), {"token": token})
    again = hr.post(reverse("import_confirm"), {"token": token})
    assert again.status_code == 404
    assert ImportBatch.objects.count() == 1


def test_a_broken_file_lists_every_problem_writes_nothing_and_offers_no_confirmation(
    municipality, hr, settings
):
    people_before = Person.objects.count()

    response = upload(hr, people_csv(BROKEN_ROWS))

    assert response.status_code == 200
    problems = [problem for problem, _value in response.context["problems"]]
    assert {(problem.row, problem.column) for problem in problems} == {
        (2, "Stillingsprosent"),
        (3, "Startdato"),
    }
    assert response.context["token"] is None
    content = response.content.decode()
    assert f'action="{reverse("import_confirm")}"' not in content
    assert 'data-color="danger"' in content
    assert "180" in content and "31.02.2023" in content
    assert Person.objects.count() == people_before
    assert ImportBatch.objects.count() == 0
    assert pending_files(settings) == []


def test_a_file_that_cannot_be_read_shows_why(hr, settings):
    response = upload(hr, b"Fornavn;Etternavn\r\nKari;Nordmann\r\n")
    assert response.status_code == 200
    assert response.context["problems"]
    assert response.context["token"] is None
    assert f'action="{reverse("import_confirm")}"' not in response.content.decode()
    assert ImportBatch.objects.count() == 0
    assert pending_files(settings) == []


def test_problems_are_shown_in_english_when_english_is_chosen(hr):
    hr.post(reverse("set_language"), {"language": "en", "next": "/"})
    content = upload(hr, people_csv(BROKEN_ROWS)).content.decode()
    assert "Nothing was changed" in content


@pytest.mark.parametrize("token", ["", "not-a-uuid", str(uuid.uuid4()), "../../etc/passwd"])
def test_confirming_an_unknown_upload_is_not_found_and_writes_nothing(hr, token):
    people_before = Person.objects.count()
    response = hr.post(reverse("import_confirm"), {"token": token})
    assert response.status_code == 404
    assert Person.objects.count() == people_before
    assert ImportBatch.objects.count() == 0


def test_another_users_upload_cannot_be_confirmed(municipality, hr, client, settings):
    token = upload(hr, people_csv()).context["token"]
    people_before = Person.objects.count()
    client.logout()
    admin = client
    admin.force_login(
        municipality.users["admin"], backend="django.contrib.auth.backends.ModelBackend"
    )
    response = admin.post(reverse("import_confirm"), {"token": token})
    assert response.status_code == 404
    assert Person.objects.count() == people_before
    assert ImportBatch.objects.count() == 0


def test_data_changed_since_the_preview_shows_the_problems_and_writes_nothing(
    municipality, hr, settings
):
    # The file names Evne's Liv Leder (1001) as the leader of Solsiden sykehjem.
    rows = [[*row, "1001" if row[3] == "HA" else ""] for row in ROWS]
    data = people_csv(rows, headers=[*HEADERS, "Leder"])
    token = upload(hr, data).context["token"]
    assert token
    # She leaves Evne before the import is confirmed.
    municipality.users["leader"].delete()
    municipality.people["leader"].delete()
    people_before = Person.objects.count()

    response = hr.post(reverse("import_confirm"), {"token": token})

    assert response.status_code == 200
    assert response.context["changed_since"]
    assert [problem.column for problem, _value in response.context["problems"]] == ["Leder"]
    assert f'action="{reverse("import_confirm")}"' not in response.content.decode()
    assert Person.objects.count() == people_before
    assert ImportBatch.objects.count() == 0
    assert pending_files(settings) == []


def test_a_file_over_the_size_limit_is_refused_by_the_form(hr, monkeypatch, settings):
    monkeypatch.setattr(import_forms, "MAX_UPLOAD_BYTES", 100)
    response = upload(hr, people_csv())
    assert response.status_code == 200
    assert response.templates[0].name == "imports/import_list.html"
    assert "file" in response.context["form"].errors
    assert 'id="id_file_error"' in response.content.decode()
    assert pending_files(settings) == []
    assert ImportBatch.objects.count() == 0


def test_the_download_returns_the_original_bytes(municipality, hr):
    data = people_csv()
    token = upload(hr, data).context["token"]
    hr.post(reverse("import_confirm"), {"token": token})
    batch = ImportBatch.objects.get()
    response = hr.get(reverse("import_batch_file", args=[batch.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Disposition"].startswith("attachment")
    assert "ansatte.csv" in response["Content-Disposition"]


def test_the_batch_page_shows_changes_as_before_and_after(municipality, hr):
    batch = make_batch(municipality.users["hr"], changes=2)
    hr.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = hr.get(reverse("import_batch", args=[batch.pk]))
    fields = [described for _change, described in response.context["changes"]]
    assert fields[0] == [("given name", "Ny", None)]
    assert fields[1] == [("given name", "Før", "Etter")]
    assert "Før → Etter" in response.content.decode()


def test_the_history_lists_batches_newest_first(municipality, hr):
    first = make_batch(municipality.users["hr"], filename="first.csv")
    second = make_batch(municipality.users["hr"], filename="second.csv")
    response = hr.get(reverse("imports"))
    assert [batch for batch, _kind, _summary in response.context["batches"]] == [second, first]
    content = response.content.decode()
    assert reverse("import_batch", args=[second.pk]) in content
    assert second.created_at.astimezone().strftime("%d.%m.%Y") in content


def batch_urls(batch):
    return [
        ("get", reverse("imports"), {}),
        ("post", reverse("import_upload"), {"kind": "people"}),
        ("post", reverse("import_confirm"), {"token": str(uuid.uuid4())}),
        ("get", reverse("import_batch", args=[batch.pk]), {}),
        ("get", reverse("import_batch_file", args=[batch.pk]), {}),
    ]


@pytest.mark.parametrize("persona", FORBIDDEN)
def test_everyone_but_importers_finds_no_import_page(municipality, client_for, persona):
    batch = make_batch(municipality.users["hr"], changes=1)
    client = client_for(municipality.users[persona])
    for method, url, data in batch_urls(batch):
        if method == "post" and url == reverse("import_upload"):
            data = {**data, "file": ContentFile(people_csv(), name="ansatte.csv")}
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (persona, url)
        if method == "post" and url != reverse("import_upload"):
            assert client.get(url).status_code == 404, (persona, url)
    assert ImportBatch.objects.count() == 1


def test_coming_back_to_the_upload_or_confirm_address_leads_to_the_import_page(hr):
    # The language switch on a preview returns to the address the form was posted to.
    for name in ["import_upload", "import_confirm"]:
        response = hr.get(reverse(name))
        assert response.status_code == 302
        assert response.url == reverse("imports")


def test_administrators_may_import(municipality, client_for):
    assert client_for(municipality.users["admin"]).get(reverse("imports")).status_code == 200


def test_an_unknown_batch_is_not_found(hr):
    assert hr.get(reverse("import_batch", args=[999999])).status_code == 404
    assert hr.get(reverse("import_batch_file", args=[999999])).status_code == 404


@pytest.mark.parametrize("count", [1, 30])
def test_the_history_needs_a_bounded_number_of_queries(
    municipality, hr, django_assert_max_num_queries, count
):
    for _index in range(count):
        make_batch(municipality.users["hr"], changes=1)
    with django_assert_max_num_queries(10):
        assert hr.get(reverse("imports")).status_code == 200


@pytest.mark.parametrize("count", [1, 200])
def test_the_batch_page_needs_a_bounded_number_of_queries(
    municipality, hr, django_assert_max_num_queries, count
):
    batch = make_batch(municipality.users["hr"], changes=count)
    with django_assert_max_num_queries(10):
        assert hr.get(reverse("import_batch", args=[batch.pk])).status_code == 200


def test_stale_pending_files_are_removed_at_the_next_upload(hr, settings):
    directory = settings.MEDIA_ROOT / "imports" / "pending"
    directory.mkdir(parents=True)
    stale = directory / str(uuid.uuid4())
    stale.write_bytes(b"old")
    os.utime(stale, (0, 0))
    upload(hr, people_csv())
    assert not stale.exists()
    assert len(pending_files(settings)) == 1


def test_only_a_few_uploads_wait_per_session(hr, settings):
    for _index in range(import_views.MAX_PENDING_PER_SESSION + 2):
        upload(hr, people_csv())
    assert len(pending_files(settings)) == import_views.MAX_PENDING_PER_SESSION
    assert len(hr.session[import_views.SESSION_KEY]) == import_views.MAX_PENDING_PER_SESSION
