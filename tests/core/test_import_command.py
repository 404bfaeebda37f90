"""`evne import`, run as an operator or a nightly job would: a real process, real files."""

import os
import subprocess
import sys
from pathlib import Path

from tests.organization.importing import ROWS, csv_bytes

EVNE = str(Path(sys.executable).with_name("evne"))


def run(*args, var_dir):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "true",
        "EVNE_SECURE": "false",
        "EVNE_VAR_DIR": str(var_dir),
    }
    return subprocess.run(  # noqa: S603 - our own command
        [EVNE, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_import_command_dry_run_applies_and_reports(tmp_path):
    assert run("migrate", "--noinput", var_dir=tmp_path).returncode == 0
    people = tmp_path / "lønnsdata.csv"
    people.write_bytes(csv_bytes(ROWS))

    dry = run("import", "people", str(people), "--dry-run", var_dir=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "Prøvekjøring: ingenting er lagret" in dry.stdout  # Bokmål, the default language
    assert "people: create 5" in dry.stdout
    applied = run("import", "people", str(people), var_dir=tmp_path)
    assert applied.returncode == 0, applied.stderr
    assert "people: create 5" in applied.stdout  # the dry run wrote nothing
    assert "Advarsel: rad 7, Overordnet enhet '300'" in applied.stdout  # the unnamed parent
    again = run("import", "people", str(people), var_dir=tmp_path)
    assert "people: create 0, update 0" in again.stdout


def test_import_command_exits_non_zero_with_every_problem_on_stderr(tmp_path):
    assert run("migrate", "--noinput", var_dir=tmp_path).returncode == 0
    rows = [row.copy() for row in ROWS]
    rows[0][11] = "150"
    rows[1][13] = "i går"
    broken = tmp_path / "broken.csv"
    broken.write_bytes(csv_bytes(rows))
    result = run("import", "people", str(broken), var_dir=tmp_path)
    assert result.returncode != 0
    assert "rad 2, Stillingsprosent '150': Prosenten må være mellom 0 og 100." in result.stderr
    assert "rad 3, Startdato 'i går'" in result.stderr
    assert "ingenting er endret" in result.stderr


def test_a_column_mapping_reads_an_unusual_header(tmp_path):
    assert run("migrate", "--noinput", var_dir=tmp_path).returncode == 0
    from tests.organization.importing import HEADERS

    headers = ["Lønnsnr" if header == "Ansattnr" else header for header in HEADERS]
    people = tmp_path / "people.csv"
    people.write_bytes(csv_bytes(ROWS, headers=headers))
    refused = run("import", "people", str(people), "--dry-run", var_dir=tmp_path)
    assert refused.returncode != 0
    mapped = run(
        "import", "people", str(people), "--dry-run", "--map", "Lønnsnr=Ansattnummer",
        var_dir=tmp_path,
    )  # fmt: skip
    assert mapped.returncode == 0, mapped.stderr
