"""`jaga tips list|show|ask|status` on a database of its own (the commands commit), acting as accounts."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy.orm import sessionmaker

from jaga.db import UnitOfWork, create_engine_for
from jaga.tips import TipIn, submit_tip
from tests.cli_helpers import jaga
from tests.conftest import FAST_HASHER, PreparedDatabase


def _submit(url: str) -> tuple[str, str]:
    engine = create_engine_for(url)
    tip = TipIn.model_validate(
        {
            "platform": "whatsapp",
            "phone": "0812 3456 7890",
            "place": "Kota Semarang",
            "description": "[b]bayi[/b]",
        }
    )
    with UnitOfWork(sessionmaker(engine)) as uow:
        done = submit_tip(uow, FAST_HASHER, tip)
    engine.dispose()
    return done.ref, done.receipt


def test_list_show_ask_and_status_from_the_command_line(
    throwaway_url: str, database: PreparedDatabase
) -> None:
    ref, receipt = _submit(throwaway_url)
    police = database.tokens["police"]
    listed = jaga(throwaway_url, "tips", "list", "--reason", "LP/1/2026", "--format", "json", token=police)
    assert listed.exit_code == 0, listed.output
    [item] = json.loads(listed.stdout)
    assert (item["ref"], item["phone"], item["region_code"], item["status"]) == (
        ref,
        "+6281234567890",
        "33.74",
        "received",
    )
    as_csv = jaga(throwaway_url, "tips", "list", "--reason", "LP/1/2026", "--format", "csv", token=police)
    [row] = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert row["ref"] == ref and row["desk"] == "regional"

    asked = jaga(throwaway_url, "tips", "ask", ref, "--question", "Kapan Anda melihatnya?", token=police)
    assert asked.exit_code == 0, asked.output
    moved = jaga(
        throwaway_url, "tips", "status", ref, "--status", "referred", "--note", "Unit PPA", token=police
    )
    assert moved.exit_code == 0 and "is now referred" in moved.output
    shown = jaga(throwaway_url, "tips", "show", ref, "--reason", "LP/1/2026", token=police)
    assert shown.exit_code == 0, shown.output
    assert "[b]bayi[/b]" in shown.stdout  # tip text is printed as written, never as markup
    assert "officer asks: Kapan Anda melihatnya?" in shown.stdout and "-> referred" in shown.stdout
    assert receipt not in shown.stdout
    as_json = json.loads(
        jaga(throwaway_url, "tips", "show", ref, "--reason", "LP/1", "--format", "json", token=police).stdout
    )
    assert as_json["history"][0]["status"] == "referred"


def test_refusals_exit_with_their_codes(throwaway_url: str, database: PreparedDatabase) -> None:
    ref, _ = _submit(throwaway_url)
    no_reason = jaga(throwaway_url, "tips", "list", "--reason", " ", token=database.tokens["police"])
    assert no_reason.exit_code == 3 and "reason" in no_reason.output
    registrar = jaga(
        throwaway_url, "tips", "list", "--reason", "LP/1/2026", token=database.tokens["registrar"]
    )
    assert registrar.exit_code == 5
    bali = jaga(
        throwaway_url, "tips", "show", ref, "--reason", "LP/1/2026", token=database.tokens["police-bali"]
    )
    assert bali.exit_code == 5 and "outside your scope" in bali.output
    missing = jaga(
        throwaway_url, "tips", "show", "T-NOPE", "--reason", "LP/1/2026", token=database.tokens["police"]
    )
    assert missing.exit_code == 4
    closing = jaga(
        throwaway_url, "tips", "status", ref, "--status", "closed", token=database.tokens["police"]
    )
    assert closing.exit_code == 3 and "needs a note" in closing.output
