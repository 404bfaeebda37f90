import pytest
from django.utils import translation

from evne.core.imports.headers import (
    Field,
    match_headers,
    normalise,
    parse_mapping,
    unknown_columns,
)
from evne.core.imports.problems import ImportProblems

FIELDS = [
    Field("employee_number", ("Ansattnummer", "Ansattnr"), required=True),
    Field("birth_date", ("Fødselsdato",)),
    Field("unit_code", ("Enhetskode",), required=True),
    Field("unit_name", ("Enhet", "Enhetsnavn")),
    Field("fte", ("Stillingsprosent",)),
]


def problem_texts(error):
    with translation.override("en"):
        return [problem.format() for problem in error.value.problems]


@pytest.mark.parametrize(
    "header", ["Fødselsdato", "Fodselsdato", "FOEDSELSDATO", "fødsels-dato ", "FØDSELS DATO"]
)
def test_birth_date_spellings_match_the_alias(header):
    columns = match_headers(["Ansattnr", header, "Enhetskode"], FIELDS)
    assert columns["birth_date"] == 1


@pytest.mark.parametrize(
    "header", ["Ansattnr", "Ansattnr.", "ansatt_nr", "ANSATT NR", "Ansattnummer", "employee_number"]
)
def test_employee_number_spellings_match_the_alias(header):
    columns = match_headers([header, "Enhetskode"], FIELDS)
    assert columns["employee_number"] == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fødselsdato", "fodselsdato"),
        ("FOEDSELSDATO", "fodselsdato"),
        ("Stillingsstørrelse", "stillingsstorrelse"),
        ("Nivå", "niva"),
        ("NIVAA", "niva"),
        ("Lærer", "laerer"),
        ("E-post", "epost"),
        ("  Enhets kode (HR) ", "enhetskodehr"),
        ("Fo\u0308dselsdato", "fodselsdato"),  # ö written as o and a combining mark
    ],
)
def test_normalise_ignores_case_spaces_punctuation_and_letter_variants(text, expected):
    assert normalise(text) == expected


def test_match_headers_gives_each_field_its_column_index():
    headers = ["Enhetskode", "Ansattnr", "Stillingsprosent"]
    assert match_headers(headers, FIELDS) == {
        "unit_code": 0,
        "employee_number": 1,
        "fte": 2,
    }


def test_unknown_columns_are_ignored_and_listed():
    headers = ["Ansattnr", "Lønn", "", "Enhetskode", "Kommentar"]
    columns = match_headers(headers, FIELDS)
    assert columns == {"employee_number": 0, "unit_code": 3}
    assert unknown_columns(headers, columns) == ["Lønn", "Kommentar"]


def test_missing_required_field_lists_the_aliases_it_accepts():
    with pytest.raises(ImportProblems) as error:
        match_headers(["Ansattnr", "Navn"], FIELDS)
    assert problem_texts(error) == [
        "A column for 'unit_code' is required. Accepted names: Enhetskode, unit_code."
    ]


def test_every_missing_required_field_is_reported_at_once():
    with pytest.raises(ImportProblems) as error:
        match_headers(["Navn"], FIELDS)
    assert len(error.value.problems) == 2


def test_two_columns_for_one_field_are_ambiguous():
    with pytest.raises(ImportProblems) as error:
        match_headers(["Ansattnr", "Ansattnummer", "Enhetskode"], FIELDS)
    assert problem_texts(error) == [
        "The columns 'Ansattnr', 'Ansattnummer' all give the field 'employee_number'; keep one."
    ]


def test_mapping_names_a_column_the_aliases_do_not_know():
    mapping = parse_mapping(["Lønnsnr=employee_number"], FIELDS)
    columns = match_headers(["Lønnsnr", "Enhetskode"], FIELDS, mapping)
    assert columns == {"employee_number": 0, "unit_code": 1}


def test_mapping_wins_over_aliases():
    mapping = parse_mapping(["Personnr=employee_number"], FIELDS)
    headers = ["Ansattnr", "Personnr", "Enhetskode"]
    columns = match_headers(headers, FIELDS, mapping)
    assert columns["employee_number"] == 1
    assert unknown_columns(headers, columns) == ["Ansattnr"]


def test_mapping_can_give_a_column_matching_one_alias_to_another_field():
    mapping = parse_mapping(["Enhet=unit_code"], FIELDS)
    columns = match_headers(["Ansattnr", "Enhet"], FIELDS, mapping)
    assert columns == {"employee_number": 0, "unit_code": 1}


def test_mapped_column_is_matched_ignoring_case_and_spacing():
    mapping = parse_mapping(["lønns nr=employee_number"], FIELDS)
    assert match_headers(["LØNNSNR", "Enhetskode"], FIELDS, mapping)["employee_number"] == 0


def test_mapped_column_missing_from_the_file_is_a_problem():
    mapping = parse_mapping(["Lønnsnr=employee_number"], FIELDS)
    with pytest.raises(ImportProblems) as error:
        match_headers(["Ansattnr", "Enhetskode"], FIELDS, mapping)
    assert problem_texts(error) == [
        "Lønnsnr: The mapping names this column, but the file has no such column."
    ]


def test_parse_mapping_accepts_a_field_alias_and_spaces():
    assert parse_mapping([" Lønnsnr = Ansattnummer "], FIELDS) == {"Lønnsnr": "employee_number"}


@pytest.mark.parametrize("item", ["Lønnsnr", "=employee_number", "Lønnsnr=", ""])
def test_parse_mapping_refuses_a_malformed_item(item):
    with pytest.raises(ImportProblems) as error:
        parse_mapping([item], FIELDS)
    assert problem_texts(error) == [
        f"'{item}': A mapping must be written as \"Column name=field\"."
    ]


def test_parse_mapping_refuses_an_unknown_field_listing_the_fields():
    with pytest.raises(ImportProblems) as error:
        parse_mapping(["Lønn=salary"], FIELDS)
    assert problem_texts(error) == [
        "'Lønn=salary': Unknown field 'salary'. The fields are: "
        "employee_number, birth_date, unit_code, unit_name, fte."
    ]


def test_parse_mapping_refuses_a_column_mapped_twice():
    with pytest.raises(ImportProblems) as error:
        parse_mapping(["Nr=employee_number", "Nr=unit_code"], FIELDS)
    assert problem_texts(error) == ["'Nr=unit_code': The column 'Nr' is mapped more than once."]


def test_two_mapped_columns_for_one_field_are_ambiguous():
    mapping = parse_mapping(["A=employee_number", "B=employee_number"], FIELDS)
    with pytest.raises(ImportProblems) as error:
        match_headers(["A", "B", "Enhetskode"], FIELDS, mapping)
    assert problem_texts(error) == [
        "The columns 'A', 'B' all give the field 'employee_number'; keep one."
    ]


def test_fields_sharing_an_alias_are_a_programming_error():
    fields = [Field("a", ("Enhet",)), Field("b", ("enhet",))]
    with pytest.raises(ValueError, match="both accept"):
        match_headers(["Enhet"], fields)
