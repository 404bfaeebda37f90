"""`evne remind [--today DATE] [--dry-run]`: the daily round of notices (docs/operations.md,
"Reminders"). Safe to run as often as wanted: each notice is sent once."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from evne.core.imports.values import InvalidValue, parse_date
from evne.plans.assignments import update_all
from evne.plans.notices import remind_all

KIND_NAMES = {
    "assigned": "new assignments",
    "due_soon": "due soon",
    "overdue": "overdue",
    "expiring": "expiring competences",
    "expiring_digest": "expiring competences, to leaders",
    "activity": "annual cycle",
}


class Command(BaseCommand):
    help = (
        "Bring learning-plan assignments up to date, then email what is due: new assignments, "
        "due dates coming and passed, expiring competences (to the person and their leaders) "
        "and annual-cycle activities. Each notice is sent once, however often this runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as on this date, dd.mm.yyyy or yyyy-mm-dd.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be sent, without sending or recording anything.",
        )

    def handle(self, *args, today, dry_run, **options):
        try:
            on = parse_date((today or "").strip()) or timezone.localdate()
        except InvalidValue as error:
            raise CommandError(
                _("--today %(value)s: %(message)s") % {"value": today, "message": error.message}
            ) from None
        if not dry_run:
            update_all(on)
        tallies = remind_all(on, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        for kind, tally in tallies.items():
            self.stdout.write(
                f"{KIND_NAMES[kind]}: {tally.sent} {verb}, {tally.without_address} without an "
                f"email address, {tally.failed} failed"
            )
        total = sum(tally.sent for tally in tallies.values())
        failed = sum(tally.failed for tally in tallies.values())
        self.stdout.write(f"{on:%d.%m.%Y}: {total} emails {verb}, {failed} failed.")
