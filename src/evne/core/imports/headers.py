"""Match a file's column headers to an importer's fields.

Exports name their columns in many ways: "Fødselsdato", "Fodselsdato", "FOEDSELSDATO",
"fødsels-dato". Headers and aliases are compared after `normalise`, so a documented alias covers
its spellings; an explicit mapping (`--map "Column name=field"`) settles the rest.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from evne.core.imports.problems import ImportProblems, Problem, lazy_message

# Norwegian letters and their ASCII spellings (æ = ae, ø = oe or o, å = aa or a); ä and ö come
# from Swedish and German systems.
LETTERS = str.maketrans({"æ": "ae", "ä": "ae", "ø": "o", "ö": "o", "å": "a"})
NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Field:
    """A field an importer reads; `aliases` are the column names it accepts (the field name is
    accepted too), the first being the documented one."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    max_length: int | None = None  # what the database column holds

    @property
    def names(self) -> tuple[str, ...]:
        return (*self.aliases, self.name)


def normalise(text: str) -> str:
    """Casefolded, Norwegian letters spelt in ASCII one way, no spaces or punctuation:
    "Fødsels-dato ", "FOEDSELSDATO" and "Fodselsdato" all give "fodselsdato"."""
    text = unicodedata.normalize("NFC", text).casefold().translate(LETTERS)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = NOT_LETTER_OR_DIGIT.sub("", text)
    return text.replace("oe", "o").replace("aa", "a")


def parse_mapping(items: Sequence[str], fields: Sequence[Field]) -> dict[str, str]:
    """Turn `--map "Column name=field"` items into {column name: field name}.

    The field may be given by its name or any alias ("Lønnsnr=Ansattnummer").
    """
    by_name = _names_to_fields(fields)
    mapping: dict[str, str] = {}
    problems = []
    for item in items:
        column, equals, target = item.rpartition("=")
        column, target = column.strip(), target.strip()
        if not equals or not column or not target:
            problems.append(
                Problem(
                    value=item,
                    message=_('A mapping must be written as "Column name=field".'),
                )
            )
            continue
        field = by_name.get(normalise(target))
        if field is None:
            problems.append(
                Problem(
                    value=item,
                    message=lazy_message(
                        _("Unknown field '%(field)s'. The fields are: %(fields)s."),
                        field=target,
                        fields=", ".join(f.name for f in fields),
                    ),
                )
            )
            continue
        if column in mapping:
            problems.append(
                Problem(
                    value=item,
                    message=lazy_message(
                        _("The column '%(column)s' is mapped more than once."), column=column
                    ),
                )
            )
            continue
        mapping[column] = field.name
    if problems:
        raise ImportProblems(problems)
    return mapping


def match_headers(
    headers: Sequence[str], fields: Sequence[Field], mapping: dict[str, str] | None = None
) -> dict[str, int]:
    """Return {field name: column index} for the fields found, or raise ImportProblems.

    A mapped column wins over aliases. Problems: a required field without a column, two columns
    for one field, a mapped column that is not in the file. Other columns are ignored (see
    `unknown_columns`).
    """
    normalised = [normalise(header) for header in headers]
    by_name = _names_to_fields(fields)
    candidates: dict[str, list[int]] = {field.name: [] for field in fields}
    problems: list[Problem] = []

    mapped: set[str] = set()
    for column, field_name in (mapping or {}).items():
        if field_name not in candidates:
            raise ValueError(f"the mapping names {field_name!r}, which is not one of the fields")
        wanted = normalise(column)
        indexes = [i for i, header in enumerate(normalised) if header and header == wanted]
        if not indexes:
            problems.append(
                Problem(
                    column=column,
                    message=_("The mapping names this column, but the file has no such column."),
                )
            )
        candidates[field_name].extend(indexes)
        mapped.add(field_name)

    taken = {index for indexes in candidates.values() for index in indexes}
    for index, header in enumerate(normalised):
        field = by_name.get(header)
        if field is not None and field.name not in mapped and index not in taken:
            candidates[field.name].append(index)

    columns = {}
    for field in fields:
        indexes = candidates[field.name]
        if len(indexes) == 1:
            columns[field.name] = indexes[0]
        elif len(indexes) > 1:
            problems.append(
                Problem(
                    message=lazy_message(
                        _("The columns %(columns)s all give the field '%(field)s'; keep one."),
                        columns=", ".join(f"'{headers[i]}'" for i in indexes),
                        field=field.name,
                    ),
                )
            )
        elif field.required and field.name not in mapped:
            problems.append(
                Problem(
                    message=lazy_message(
                        _("A column for '%(field)s' is required. Accepted names: %(aliases)s."),
                        field=field.name,
                        aliases=", ".join(field.names),
                    )
                )
            )
    if problems:
        raise ImportProblems(problems)
    return columns


def unknown_columns(headers: Sequence[str], columns: dict[str, int]) -> list[str]:
    """The named columns no field uses, for the preview to show as ignored."""
    used = set(columns.values())
    return [header for index, header in enumerate(headers) if header and index not in used]


def _names_to_fields(fields: Sequence[Field]) -> dict[str, Field]:
    """Every normalised name and alias to its field; two fields may not share a name."""
    by_name: dict[str, Field] = {}
    for field in fields:
        for name in field.names:
            key = normalise(name)
            other = by_name.setdefault(key, field)
            if other is not field:
                raise ValueError(f"{other.name} and {field.name} both accept the column {name!r}")
    return by_name
