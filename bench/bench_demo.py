"""Benchmark: build the 10 000-employee demo municipality into a fresh SQLite database.

Run with `DEBUG=true EVNE_SECURE=false .venv/bin/python bench/bench_demo.py`. Not a test: it
prints its figures and the target.
"""

import os
import tempfile
import time
from pathlib import Path

EMPLOYEES = 10_000
TARGET_SECONDS = 60


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="evne-bench-") as directory:
        os.environ.setdefault("DEBUG", "true")
        os.environ.setdefault("EVNE_SECURE", "false")
        os.environ["EVNE_VAR_DIR"] = directory
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evne.settings")

        import django

        django.setup()
        from django.core.management import call_command

        from evne.demo.generator import build_municipality

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        summary = build_municipality(EMPLOYEES, seed=1)
        elapsed = time.perf_counter() - started

    print(
        f"demo municipality, SQLite: {summary.people} people, {summary.employments} employments, "
        f"{summary.units} units in {elapsed:.1f} s (target: < {TARGET_SECONDS} s)"
    )


if __name__ == "__main__":
    main()
