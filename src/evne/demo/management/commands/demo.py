"""`evne demo`: build the synthetic demo municipality and print the demo logins."""

import datetime
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import ProtectedError

from evne.demo.data import MUNICIPALITY
from evne.demo.generator import (
    MIN_EMPLOYEES,
    build_municipality,
    clear_organisation_data,
    has_organisation_data,
)
from evne.demo.logins import describe_logins


class Command(BaseCommand):
    help = (
        f"Build {MUNICIPALITY}, an entirely synthetic municipality with units, people, "
        "employments, competence requirements, staffing targets and records (on the starter "
        "catalog, loaded first) and one demo login per role, into an empty database. The same "
        "seed and reference date always give the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--employees",
            type=int,
            default=settings.EVNE_DEMO_EMPLOYEES,
            help="Number of people (default: EVNE_DEMO_EMPLOYEES, now %(default)s).",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed (default: %(default)s)."
        )
        parser.add_argument(
            "--reference-date",
            type=datetime.date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="The day the data is built around: ages, start and end dates count from it "
            "(default: today).",
        )
        existing = parser.add_mutually_exclusive_group()
        existing.add_argument(
            "--if-empty",
            action="store_true",
            help="If the database already has units or people, build nothing and only print "
            "the demo logins.",
        )
        existing.add_argument(
            "--replace",
            action="store_true",
            help="Delete all units, people and employments, their competence records, "
            "requirements and staffing targets, and the demo logins first; the competence "
            "catalog stays (demo databases only; the deletions are not audited).",
        )

    def handle(self, *args, employees, seed, reference_date, if_empty, replace, **options):
        if employees < MIN_EMPLOYEES:
            raise CommandError(f"--employees must be at least {MIN_EMPLOYEES}.")
        if has_organisation_data() and not replace:
            if not if_empty:
                raise CommandError(
                    "The database already has organisation data (units or people). "
                    "Use --if-empty to keep it and only print the demo logins, "
                    "or --replace to delete it and build the demo municipality again."
                )
            self.stdout.write("The database already has organisation data: nothing was built.")
            self.print_logins()
            return

        started = time.perf_counter()
        try:
            with transaction.atomic():
                if replace:
                    clear_organisation_data()
                summary = build_municipality(employees, seed, reference_date)
        except ProtectedError as error:
            raise CommandError(
                "The existing organisation data cannot be deleted because other records "
                f"refer to it ({error.args[0]})"
            ) from error
        # A bulk load leaves the query planner without statistics until the database gathers
        # them on its own; the coverage queries join large tables and need them at once.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Built {MUNICIPALITY} in {elapsed:.1f} s: {summary.people} people, "
                f"{summary.employments} employments, {summary.units} units, "
                f"{summary.job_roles} job roles (seed {seed})."
            )
        )
        competence = summary.competence
        records = competence.records
        self.stdout.write(
            f"Competence: {competence.requirements} requirements, "
            f"{competence.staffing_targets} staffing targets, {competence.record_total} records "
            f"({records['verified']} verified, {records['pending']} pending verification, "
            f"{records['rejected']} rejected)."
        )
        for username in summary.skipped_logins:
            self.stdout.write(
                self.style.WARNING(
                    f"An account named {username!r} already existed and was left unchanged."
                )
            )
        self.print_logins()

    def print_logins(self):
        rows = describe_logins()
        if not rows:
            self.stdout.write("There are no demo logins in this database.")
            return
        self.stdout.write("")
        self.stdout.write("Demo logins (demo data only, never use these accounts in production):")
        table = [("role", "username", "password", "sees"), *rows]
        widths = [max(len(row[column]) for row in table) for column in range(3)]
        for row in table:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))
