"""Certificates (kursbevis): the code, the PDF, who may download it and the public check."""

import re

import pytest
from django.urls import reverse

from evne.learning import elearning
from evne.learning.certificates import (
    ALPHABET,
    CODE_LENGTH,
    certificate_pdf,
    display_code,
    new_code,
    normalise_code,
)
from tests.learning.elearning_fixtures import english, right_answers  # noqa: F401


@pytest.fixture
def certificate(municipality, courses):
    attempt = elearning.start_attempt(courses.module, municipality.people["employee"])
    return elearning.submit_attempt(attempt, right_answers(attempt)).completion.certificate


def test_codes_are_long_unambiguous_and_differ():
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(len(code) == CODE_LENGTH and set(code) <= set(ALPHABET) for code in codes)
    assert not set("01OIL5S2Z8B") & set(ALPHABET)


def test_a_typed_code_is_found_whatever_its_case_spaces_and_dashes():
    assert normalise_code(" acde-fghj kmnp ") == "ACDEFGHJKMNP"
    assert display_code("ACDEFGHJKMNP") == "ACDE-FGHJ-KMNP"


def test_the_pdf_is_a_pdf_with_the_name_course_and_code(certificate):
    pdf = certificate_pdf(certificate, "https://evne.testvik.no/verify/", compress=False)
    assert pdf.startswith(b"%PDF")
    assert display_code(certificate.code).encode() in pdf
    assert b"Eva Ansatt" in pdf
    assert b"Data protection in the municipality" in pdf


def test_the_person_downloads_their_certificate(municipality, certificate, client_for):
    client = client_for(municipality.users["employee"])
    response = client.get(reverse("certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]


def test_the_leader_may_download_a_certificate_of_their_people(
    municipality, certificate, client_for
):
    client = client_for(municipality.users["leader"])
    assert client.get(reverse("certificate_pdf", args=[certificate.pk])).status_code == 200


@pytest.mark.parametrize("name", ["outsider", "analyst", "union_rep"])
def test_others_cannot_fetch_the_certificate(municipality, certificate, client_for, name):
    client = client_for(municipality.users[name])
    assert client.get(reverse("certificate_pdf", args=[certificate.pk])).status_code == 404


def test_the_public_page_shows_name_course_and_date_and_nothing_else(certificate, client):
    code = display_code(certificate.code)
    response = client.get(reverse("certificate_verify_code", args=[code.lower()]))
    assert response.status_code == 200
    main = response.content.decode().split('<main id="main"')[1]
    assert "Eva Ansatt" in main
    assert "Data protection in the municipality" in main
    assert certificate.completion.completed_on.strftime("%d.%m.%Y") in main
    for hidden in ("1002", "eva@testvik.no", "Solsiden", "100 %", "Digital kompetanse"):
        assert hidden not in main
    values = re.findall(r"<dd>(.*?)</dd>", main)
    assert len(values) == 4  # name, course, date and the code itself


def test_the_verify_form_leads_to_the_code_page(certificate, client):
    response = client.get(reverse("certificate_verify"), {"code": certificate.code.lower()})
    assert response.url == reverse("certificate_verify_code", args=[display_code(certificate.code)])


def test_an_unknown_code_says_so_and_reveals_nothing(certificate, client):
    response = client.get(reverse("certificate_verify_code", args=["AAAA-AAAA-AAAA"]))
    assert response.status_code == 404
    text = response.content.decode()
    assert "No certificate has this code" in text
    assert "Eva Ansatt" not in text


def test_an_empty_code_gets_a_clear_error(client, db):
    response = client.get(reverse("certificate_verify"), {"code": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
