"""`evne export KIND FILE`: write what Evne holds in the format `evne import KIND` reads."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from evne.core.exports import FORMATS, export_bytes
from evne.core.imports.pipeline import IMPORTERS
from evne.core.visibility import ADMINISTRATOR


class Command(BaseCommand):
    help = "Export the catalog, requirements or records as CSV or XLSX, ready to import again."

    def add_arguments(self, parser):
        parser.add_argument(
            "kind", choices=sorted(kind for kind, cls in IMPORTERS.items() if cls.exportable)
        )
        parser.add_argument("file", type=Path, help="Where to write: a .csv or .xlsx file.")

    def handle(self, *args, kind, file, **options):
        file_format = file.suffix.lower().removeprefix(".")
        if file_format not in FORMATS:
            raise CommandError(_("The file name must end in .csv or .xlsx."))
        table = IMPORTERS[kind].export_table(ADMINISTRATOR)
        try:
            file.write_bytes(export_bytes([table], file_format))
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from None
        self.stdout.write(_("Written: %(file)s") % {"file": file})
