"""`evne import KIND FILE`: import a file from the HR or payroll system (see docs/import.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from evne.core.imports.headers import parse_mapping
from evne.core.imports.pipeline import IMPORTERS, Options, apply_import, plan_import
from evne.core.imports.problems import ImportProblems


class Command(BaseCommand):
    help = (
        "Import a CSV or XLSX file: people (with their positions), units, the competence "
        "catalog, requirements, records, or course completions."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and show what would change."
        )
        parser.add_argument(
            "--full-sync",
            action="store_true",
            help="End the current positions that are not in the file (people files only).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Full sync even beyond the safety limit."
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar='"Column name=field"',
            help="Read a column as a field, overriding the recognised names; repeatable.",
        )
        parser.add_argument("--sheet", help="The worksheet of an XLSX file (default: the first).")

    def handle(self, *args, kind, file, dry_run, full_sync, force, map, sheet, **options):
        importer = IMPORTERS[kind]
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from None
        try:
            mapping = parse_mapping(map, importer.fields)
            import_options = Options(full_sync=full_sync, force=force)
            arguments = {"options": import_options, "mapping": mapping, "sheet": sheet}
            if dry_run:
                plan = plan_import(kind, data, file.name, **arguments)
                if plan.problems:
                    raise ImportProblems(plan.problems)
            else:
                batch = apply_import(kind, data, file.name, **arguments)
                plan = None
        except ImportProblems as problems:
            self.stderr.write(
                _("The file was not imported; nothing was changed. Problems:")
                + "\n"
                + problems.format()
            )
            raise CommandError(
                _("%(count)d problem(s) in %(file)s")
                % {"count": len(problems.problems), "file": file}
            ) from None
        counts = plan.counts if plan else batch.counts
        warnings = [warning.format() for warning in plan.warnings] if plan else batch.warnings
        title = (
            _("Dry run: nothing was written. Would change:")
            if dry_run
            else _("Imported as batch %(id)d:") % {"id": batch.pk}
        )
        self.stdout.write(title)
        for noun, actions in counts.items():
            line = ", ".join(f"{action} {number}" for action, number in actions.items())
            self.stdout.write(f"  {noun}: {line}")
        for warning in warnings:
            self.stdout.write(_("Warning: %(warning)s") % {"warning": warning})
        if plan and plan.ignored_columns:
            self.stdout.write(
                _("Ignored columns: %(columns)s") % {"columns": ", ".join(plan.ignored_columns)}
            )
