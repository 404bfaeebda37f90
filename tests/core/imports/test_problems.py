from django.utils import translation
from django.utils.translation import gettext_lazy as _

from evne.core.imports.problems import ImportProblems, Problem, lazy_message


def test_problem_formats_row_column_value_and_message():
    problem = Problem(
        row=7, column="Stillingsprosent", value="120", message=_("FTE must be between 0 and 100.")
    )
    with translation.override("en"):
        assert problem.format() == "row 7, Stillingsprosent '120': FTE must be between 0 and 100."


def test_problem_without_place_is_only_its_message():
    assert Problem(message="The file is empty.").format() == "The file is empty."


def test_problem_without_value_names_the_column():
    with translation.override("en"):
        assert Problem(row=3, column="Kjønn", message="Bad.").format() == "row 3, Kjønn: Bad."


def test_long_values_are_shortened_when_shown():
    text = Problem(row=2, column="Navn", value="x" * 500, message="Bad.").format()
    assert len(text) < 100
    assert text.endswith("…': Bad.")


def test_import_problems_carries_every_problem_one_line_each():
    problems = [Problem(row=2, message="One."), Problem(row=3, message="Two.")]
    error = ImportProblems(problems)
    assert error.problems == problems
    with translation.override("en"):
        assert str(error) == "row 2: One.\nrow 3: Two."


def test_lazy_message_is_interpolated_when_shown():
    message = lazy_message(_("The file is larger than %(limit)d MB."), limit=50)
    with translation.override("en"):
        assert str(message) == "The file is larger than 50 MB."
    with translation.override("nb"):
        assert str(message) == "Filen er større enn 50 MB."
