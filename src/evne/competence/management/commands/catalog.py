"""`evne catalog load-starter`: load the starter catalog (see docs/competence.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from evne.competence.starter import load_starter
from evne.core.imports.problems import ImportProblems


class Command(BaseCommand):
    help = "Work with the competence catalog: load-starter loads the starter catalog."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        commands.add_parser(
            "load-starter",
            help="Create the standard scale and import the starter catalog (safe to repeat).",
        )

    def handle(self, *args, subcommand, **options):
        try:
            batch = load_starter()
        except ImportProblems as problems:
            raise CommandError(problems.format()) from None
        if not any(number for actions in batch.counts.values() for number in actions.values()):
            self.stdout.write(_("The starter catalog is already loaded; nothing was changed."))
            return
        self.stdout.write(
            _("Loaded the starter catalog as import batch %(id)d:") % {"id": batch.pk}
        )
        for noun, actions in batch.counts.items():
            line = ", ".join(f"{action} {number}" for action, number in actions.items())
            self.stdout.write(f"  {noun}: {line}")
