"""`evne coverage --unit CODE`: a unit's coverage, one row per competence of its whole subtree,
as CSV, JSON or XLSX (docs/integration.md, "Coverage")."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from evne.analysis.rows import (
    OUT_OF_RANGE,
    coverage_records,
    coverage_rows,
    coverage_table,
    in_range,
)
from evne.core.exports import export_bytes
from evne.core.imports.values import InvalidValue, parse_date
from evne.organization.models import OrgUnit

FORMATS = ("csv", "json", "xlsx")


class Command(BaseCommand):
    help = (
        "Coverage of a unit and every unit below it, one row per competence: applicable "
        "requirements, each status, and the share covered."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="The unit's code.")
        parser.add_argument(
            "--on", help="The reference date, dd.mm.yyyy or yyyy-mm-dd (default: today)."
        )
        parser.add_argument(
            "--format",
            help="csv, json or xlsx (default: from the name given to --output, else csv).",
        )
        parser.add_argument(
            "--include-desired",
            action="store_true",
            help="Add the desired requirements as rows of their own, with a requirement column.",
        )
        parser.add_argument(
            "--output", type=Path, help="Write to this file instead of standard output."
        )

    def handle(self, *args, unit, on, format, include_desired, output, **options):
        file_format = self.file_format(format, output)
        found = OrgUnit.objects.filter(code=unit).first()
        if found is None:
            raise CommandError(_("No unit has the code %(code)s.") % {"code": unit})
        try:
            reference_date = parse_date((on or "").strip()) or timezone.localdate()
        except InvalidValue as error:
            raise CommandError(
                _("--on %(value)s: %(message)s") % {"value": on, "message": error.message}
            ) from None
        if not in_range(reference_date):
            raise CommandError(
                _("--on %(value)s: %(message)s") % {"value": on, "message": OUT_OF_RANGE}
            )
        rows = coverage_rows(found, on=reference_date, include_desired=include_desired)
        if file_format == "json":
            document = {
                "unit": found.code,
                "on": reference_date.isoformat(),
                "rows": coverage_records(rows, include_requirement=include_desired),
            }
            data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
        else:
            table = coverage_table(rows, include_requirement=include_desired)
            data = export_bytes([table], file_format)
        if output is None:
            self.stdout.write(data.decode(), ending="")
            return
        try:
            output.write_bytes(data)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": output, "error": error.strerror}
            ) from None
        self.stdout.write(_("Written: %(file)s") % {"file": output})

    def file_format(self, given: str | None, output: Path | None) -> str:
        if given is None:
            suffix = output.suffix.lower().removeprefix(".") if output else ""
            given = suffix if suffix in FORMATS else "csv"
        file_format = given.lower()
        if file_format not in FORMATS:
            raise CommandError(
                _("Unknown format %(format)s: choose csv, json or xlsx.") % {"format": given}
            )
        if file_format == "xlsx" and output is None:
            raise CommandError(_("An XLSX file needs --output FILE."))
        return file_format
