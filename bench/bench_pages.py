"""Page timings and query counts on the 10 000-employee demo municipality.

    DEBUG=true .venv/bin/python bench/bench_pages.py [--employees N]

Builds the demo into a throwaway SQLite file (or BENCH_DATABASE_URL), then renders the busiest
pages as the demo's HR user and leader, and prints the median time and the query count of each
against its target. Not a test: it prints figures, it does not fail on them.
"""

import argparse
import os
import statistics
import tempfile
import time

workdir = tempfile.mkdtemp(prefix="evne-bench-")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("EVNE_SECURE", "false")
os.environ["EVNE_VAR_DIR"] = workdir
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evne.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from evne.accounts.models import User  # noqa: E402
from evne.demo.generator import build_municipality  # noqa: E402
from evne.organization.models import OrgUnit  # noqa: E402

TARGET_MS = 300
# Includes the session write of every request (BEGIN, UPDATE, COMMIT on SQLite).
TARGET_QUERIES = 18
ROUNDS = 7


def measure(client, url):
    timings = []
    for _ in range(ROUNDS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=10_000)
    options = parser.parse_args()

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    build_municipality(options.employees, seed=1)
    print(f"demo with {options.employees} employees built in {time.perf_counter() - start:.1f} s")

    root = OrgUnit.objects.get(parent=None)
    biggest = OrgUnit.objects.annotate(staff=Count("employments")).order_by("-staff").first()
    hr = Client()
    hr.force_login(User.objects.get(username="hr"), "django.contrib.auth.backends.ModelBackend")
    person = biggest.employments.first().person
    cases = [
        ("tree, whole municipality (HR)", hr, reverse("unit_tree")),
        ("tree search (HR)", hr, reverse("unit_tree") + "?q=sykehjem"),
        ("root unit page (HR)", hr, reverse("unit", args=[root.pk])),
        (f"largest unit, {biggest.staff} positions (HR)", hr, reverse("unit", args=[biggest.pk])),
        ("person page (HR)", hr, reverse("person", args=[person.pk])),
    ]
    print(f"target: each page < {TARGET_MS} ms median and <= {TARGET_QUERIES} queries")
    for name, client, url in cases:
        milliseconds, queries = measure(client, url)
        verdict = "ok" if milliseconds < TARGET_MS and queries <= TARGET_QUERIES else "OVER"
        print(f"{name:45} {milliseconds:7.1f} ms  {queries:3d} queries  {verdict}")


if __name__ == "__main__":
    main()
