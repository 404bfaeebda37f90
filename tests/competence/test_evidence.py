"""Evidence files: recognised by their content, limited in size, never kept on error."""

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from evne.competence import evidence
from evne.competence.models import CompetenceRecord
from tests.competence.test_recording import PDF_BYTES, days_ago

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
WEBP_BYTES = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40
HEIC_BYTES = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 40
# An iPhone photo may name the generic image brand first, with HEIC among the others.
HEIC_MIF1_BYTES = b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1miafheic" + b"\x00" * 40
AVIF_BYTES = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + b"\x00" * 40
MP4_BYTES = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 40
HTML_BYTES = b"<!doctype html><script>alert(1)</script>"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def media(tmp_path):
    return tmp_path


def upload(content, name="bevis.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, evidence.PDF),
        (PNG_BYTES, evidence.PNG),
        (JPEG_BYTES, evidence.JPEG),
        (WEBP_BYTES, evidence.WEBP),
        (HEIC_BYTES, evidence.HEIC),
        (HEIC_MIF1_BYTES, evidence.HEIC),
    ],
)
def test_pdf_and_pictures_are_recognised_by_their_content(content, expected):
    assert evidence.check_upload(upload(content, name="no-extension")) == expected


@pytest.mark.parametrize(
    "content", [HTML_BYTES, EXE_BYTES, AVIF_BYTES, MP4_BYTES, b"%PD", b"just text"]
)
def test_other_files_are_refused_whatever_their_name_and_claimed_type(content):
    with pytest.raises(ValidationError) as raised:
        evidence.check_upload(upload(content, name="kursbevis.pdf"))
    assert raised.value.code == "wrong_type"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as raised:
        evidence.check_upload(upload(b""))
    assert raised.value.code == "empty"


def test_a_file_over_the_limit_is_refused_with_the_limit_named(settings):
    settings.EVNE_EVIDENCE_MAX_BYTES = 1024
    evidence.check_upload(upload(PDF_BYTES + b"0" * (1024 - len(PDF_BYTES))))  # at the limit
    with translation.override("en"):
        with pytest.raises(ValidationError) as raised:
            evidence.check_upload(upload(PDF_BYTES + b"0" * 1024))
        message = raised.value.messages[0]
    assert raised.value.code == "too_large"
    assert "too large (1.0\xa0KB)" in message
    assert "The limit is 1.0\xa0KB" in message


def test_the_limit_defaults_to_ten_megabytes():
    assert django_settings.EVNE_EVIDENCE_MAX_BYTES == 10 * 1024 * 1024


def test_the_upload_is_left_at_its_start_for_saving():
    file = upload(PNG_BYTES)
    evidence.check_upload(file)
    assert file.read() == PNG_BYTES


def post_registration(client, catalog, file):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    data = {
        "competence": catalog.competences["HLR"].pk,
        "obtained_on": days_ago(2).isoformat(),
        "evidence": file,
    }
    return client.post(reverse("my_competences"), data)


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (upload(HTML_BYTES, "kursbevis.pdf"), "The file is not a PDF or a picture"),
        (upload(EXE_BYTES, "photo.jpg", "image/jpeg"), "The file is not a PDF or a picture"),
        (upload(b"", "empty.pdf"), "The submitted file is empty."),
    ],
    ids=["html named pdf", "program named jpg", "empty"],
)
def test_the_form_refuses_bad_evidence_and_keeps_nothing(
    municipality, catalog, client_for, media, file, message
):
    response = post_registration(client_for(municipality.users["employee"]), catalog, file)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CompetenceRecord.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_the_form_refuses_a_file_over_the_limit_and_keeps_nothing(
    municipality, catalog, client_for, media, settings
):
    settings.EVNE_EVIDENCE_MAX_BYTES = 2048
    file = upload(PDF_BYTES + b"0" * 4096)
    response = post_registration(client_for(municipality.users["employee"]), catalog, file)
    assert "The file is too large" in response.content.decode()
    assert "The limit is 2.0\xa0KB" in response.content.decode()
    assert not CompetenceRecord.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_a_good_file_is_kept_outside_any_url(municipality, catalog, client_for, media):
    file = upload(HEIC_BYTES, "IMG_0042.HEIC", "application/octet-stream")
    post_registration(client_for(municipality.users["employee"]), catalog, file)
    record = CompetenceRecord.objects.get()
    assert record.evidence.name.endswith(".heic")
    assert (media / record.evidence.name).read_bytes() == HEIC_BYTES
