"""`jaga flags run|list|show|review` on a database of its own (the commands commit)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest
from rich.console import Console
from sqlalchemy.orm import sessionmaker

from jaga.db import create_engine_for
from tests.cli_helpers import jaga
from tests.conftest import PreparedDatabase
from tests.factories.flags import Rows


def _seed(url: str) -> None:
    engine = create_engine_for(url)
    with sessionmaker(engine)() as session:
        rows = Rows(session)
        rows.birth(rows.mother(date(1970, 1, 1)), date(2024, 6, 1))
        session.commit()
    engine.dispose()


def test_run_list_show_and_review_from_the_command_line(
    throwaway_url: str, database: PreparedDatabase
) -> None:
    _seed(throwaway_url)
    ran = jaga(throwaway_url, "flags", "run", "--today", "2026-03-01")
    assert ran.exit_code == 0, ran.output
    assert "mother_age_implausible" in ran.output and "1 new" in ran.output

    police = database.tokens["police"]
    listed = jaga(throwaway_url, "flags", "list", "--reason", "LP/1/2026", "--format", "json", token=police)
    assert listed.exit_code == 0, listed.output
    [item] = json.loads(listed.stdout)
    assert item["kind"] == "mother_age_implausible"

    as_csv = jaga(throwaway_url, "flags", "list", "--reason", "LP/1/2026", "--format", "csv", token=police)
    [row] = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert row["id"] == str(item["id"]) and row["status"] == "open"

    reviewed = jaga(
        throwaway_url,
        "flags",
        "review",
        str(item["id"]),
        "--status",
        "dismissed",
        "--note",
        "KTP checked",
        token=police,
    )
    assert reviewed.exit_code == 0 and "is now dismissed" in reviewed.output
    shown = jaga(throwaway_url, "flags", "show", str(item["id"]), "--reason", "LP/1/2026", token=police)
    assert shown.exit_code == 0
    assert "open -> dismissed" in shown.output and "KTP checked" in shown.output


def test_the_command_line_refuses_what_it_must(throwaway_url: str, database: PreparedDatabase) -> None:
    assert jaga(throwaway_url, "flags", "run", "--today", "1 March").exit_code == 3
    assert jaga(throwaway_url, "flags", "list", "--reason", "LP/1").exit_code == 5  # no token
    registrar = database.tokens["registrar"]
    assert jaga(throwaway_url, "flags", "list", "--reason", "LP/1", token=registrar).exit_code == 5
    police = database.tokens["police"]
    missing = jaga(throwaway_url, "flags", "show", "424242", "--reason", "LP/1", token=police)
    assert missing.exit_code == 4


def test_flags_list_never_cuts_the_ids_a_reader_acts_on(
    throwaway_url: str, database: PreparedDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(throwaway_url)
    assert jaga(throwaway_url, "flags", "run", "--today", "2026-03-01").exit_code == 0
    police = database.tokens["police"]
    [item] = json.loads(
        jaga(throwaway_url, "flags", "list", "--reason", "LP/1/2026", "--format", "json", token=police).stdout
    )
    # Piped (not a terminal): one line per flag, nothing wrapped at 80 columns.
    piped = jaga(throwaway_url, "flags", "list", "--reason", "LP/1/2026", token=police)
    [row] = [line for line in piped.stdout.splitlines() if item["subject_ref"] in line]
    assert item["explanation_en"] in row and re.search(rf"│\s+{item['id']}\s+│\s+{item['score']:.2f}", row)
    # An 80-column terminal wraps the explanation, never the id or the subject's ref.
    terminal = Console(file=io.StringIO(), width=80, force_terminal=True, color_system=None)
    monkeypatch.setattr("jaga.flags.cli.console", terminal)
    assert jaga(throwaway_url, "flags", "list", "--reason", "LP/1/2026", token=police).exit_code == 0
    shown = terminal.file.getvalue()  # type: ignore[attr-defined]
    assert max(len(line) for line in shown.splitlines()) <= 80
    assert re.search(rf"│\s+{item['id']}\s+│", shown) and item["subject_ref"] in shown and "…" not in shown
