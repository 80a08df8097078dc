"""`jaga ledger ...` as an operator runs it, on a database of its own."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from sqlalchemy import text

from jaga.db import create_engine_for, session_factory
from jaga.ledger import (
    TileReader,
    leaf_hash,
    open_note,
    parse_vkey,
    subtree_hash,
    verify_inclusion,
)
from jaga.sequencer import load_keys
from tests.cli_helpers import jaga
from tests.factories.registry import facility
from tests.sequencer.helpers import expected_leaves, fill_events


def _admin_facility(url: str, admin_token: str) -> str:
    from jaga.access import TokenHasher, authenticate

    engine = create_engine_for(url)
    sessions = session_factory(engine)
    with sessions() as session:
        admin = authenticate(session, TokenHasher(), admin_token)
    ref = facility(sessions, admin)
    engine.dispose()
    return ref


def test_init_integrate_checkpoint_prove_and_export(
    throwaway_url: str, tmp_path: Path, tokens: dict[str, str]
) -> None:
    url, data = throwaway_url, tmp_path / "data"
    created = jaga(url, "ledger", "init", data_dir=data)
    assert created.exit_code == 0, created.output
    vkey_text = (data / "keys" / "ledger.vkey").read_text().strip()
    assert vkey_text in created.output
    assert oct((data / "keys" / "ledger.key").stat().st_mode & 0o777) == "0o600"
    again = jaga(url, "ledger", "init", data_dir=data)
    assert again.exit_code == 6 and "never overwritten" in again.output
    assert jaga(url, "ledger", "vkey", data_dir=data).output.strip() == vkey_text

    fill_events(url, 700)
    done = jaga(url, "ledger", "integrate", "--batch", "300", data_dir=data)
    assert done.exit_code == 0, done.output
    leaves = expected_leaves(url)
    assert f"log size {len(leaves)} (+{len(leaves)} in" in done.output

    note = jaga(url, "ledger", "checkpoint", data_dir=data).output
    verifier = parse_vkey(vkey_text)
    opened, _ = open_note(note, [verifier])
    size = int(opened.text.split("\n")[1])
    root = base64.b64decode(opened.text.split("\n")[2])
    assert size == len(leaves)

    proved = json.loads(jaga(url, "ledger", "prove", "500", data_dir=data).output)
    verify_inclusion(499, size, leaves[499], [base64.b64decode(h) for h in proved["proof"]], root)
    assert proved["checkpoint"] == note

    static = tmp_path / "static"
    exported = jaga(url, "ledger", "export-tiles", str(static), data_dir=data)
    assert exported.exit_code == 0, exported.output
    assert (static / "checkpoint").read_text() == note
    reader = TileReader(size, lambda tile: (static / tile.path()).read_bytes())
    assert subtree_hash(reader, 0, size) == root
    assert reader.node(0, 0) == leaves[0] == leaf_hash(b"" + _first_entry(static))


def _first_entry(static: Path) -> bytes:
    from jaga.ledger import decode_bundle

    return decode_bundle((static / "tile/entries/000").read_bytes())[0]


def test_audit_exits_non_zero_and_names_a_row_edited_in_sql(
    throwaway_url: str, tmp_path: Path, tokens: dict[str, str]
) -> None:
    url, data = throwaway_url, tmp_path / "data"
    jaga(url, "ledger", "init", data_dir=data)
    ref = _admin_facility(url, tokens["admin"])
    assert jaga(url, "ledger", "integrate", data_dir=data).exit_code == 0
    clean = jaga(url, "ledger", "audit", data_dir=data)
    assert clean.exit_code == 0, clean.output
    assert "every row, event and tile agrees" in clean.output

    engine = create_engine_for(url)
    with engine.begin() as connection:
        row_id = connection.execute(text("SELECT id FROM facilities WHERE ref = :r"), {"r": ref}).scalar_one()
        connection.execute(
            text("UPDATE facilities SET licence_number = 'FORGED' WHERE id = :i"), {"i": row_id}
        )
    engine.dispose()
    tampered = jaga(url, "ledger", "audit", data_dir=data)
    assert tampered.exit_code == 1
    assert f"facilities#{row_id} differs from its last event: changed behind jaga's back" in tampered.output
    assert "1 problems found" in tampered.output
    # An auditor checks with the published key alone, no private key needed.
    vkey = (data / "keys" / "ledger.vkey").read_text().strip()
    (data / "keys" / "ledger.key").unlink()
    with_vkey = jaga(url, "ledger", "audit", "--vkey", vkey, data_dir=data)
    assert with_vkey.exit_code == 1 and f"facilities#{row_id}" in with_vkey.output
    bad_key = jaga(url, "ledger", "audit", "--vkey", "nonsense", data_dir=data)
    assert bad_key.exit_code == 3 and "--vkey" in bad_key.output


def test_each_audit_keeps_its_outcome_and_counts_with_who_ran_it(
    throwaway_url: str, tmp_path: Path, tokens: dict[str, str]
) -> None:
    url, data = throwaway_url, tmp_path / "data"
    jaga(url, "ledger", "init", data_dir=data)
    ref = _admin_facility(url, tokens["admin"])
    jaga(url, "ledger", "integrate", data_dir=data)
    assert jaga(url, "ledger", "audit", "--by", "nightly timer", data_dir=data).exit_code == 0
    engine = create_engine_for(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE facilities SET name = 'Klinik Lain' WHERE ref = :r"), {"r": ref})
    assert jaga(url, "ledger", "audit", data_dir=data).exit_code == 1
    refused = jaga(url, "ledger", "audit", "--by", "  ", data_dir=data)
    assert refused.exit_code == 3 and "--by" in refused.output
    with engine.connect() as connection:
        kept = connection.execute(
            text(
                "SELECT run_by, clean, log_size, events_checked, rows_checked, problems "
                "FROM ledger_audits ORDER BY id"
            )
        ).all()
    engine.dispose()
    assert len(kept) == 2  # the refused run audited nothing
    (by, clean, size, events, rows, problems), failed = kept
    assert (by, bool(clean), problems) == ("nightly timer", True, 0) and size == events > 0 and rows > 0
    assert (bool(failed.clean), failed.problems) == (False, 1) and failed.run_by  # the OS account


def test_key_rotation_signs_with_both_keys_then_retires_the_old_one(
    throwaway_url: str, tmp_path: Path
) -> None:
    url, data = throwaway_url, tmp_path / "data"
    jaga(url, "ledger", "init", data_dir=data)
    old = load_keys(data / "keys").signer.verifier()
    fill_events(url, 10)
    jaga(url, "ledger", "integrate", data_dir=data)
    started = jaga(url, "ledger", "init", "--rotate", data_dir=data)
    assert started.exit_code == 0, started.output
    new = parse_vkey((data / "keys" / "ledger.next.vkey").read_text().strip())
    fill_events(url, 10)
    jaga(url, "ledger", "integrate", data_dir=data)
    _, good = open_note(jaga(url, "ledger", "checkpoint", data_dir=data).output, [old, new])
    assert {v.key_id for v in good} == {old.key_id, new.key_id}  # both keys sign during the overlap

    promoted = jaga(url, "ledger", "promote", data_dir=data)
    assert promoted.exit_code == 0, promoted.output
    fill_events(url, 10)
    jaga(url, "ledger", "integrate", data_dir=data)
    _, good = open_note(jaga(url, "ledger", "checkpoint", data_dir=data).output, [old, new])
    assert [v.key_id for v in good] == [new.key_id]
    published = jaga(url, "ledger", "vkey", data_dir=data).output.split()
    assert published == [new.vkey(), old.vkey()]  # the retired key stays published for old certificates
    assert not any("PRIVATE" in p.read_text() for p in (data / "keys" / "retired").iterdir())
    assert jaga(url, "ledger", "promote", data_dir=data).exit_code == 6


def test_commands_without_a_key_say_how_to_make_one(throwaway_url: str, tmp_path: Path) -> None:
    result = jaga(throwaway_url, "ledger", "integrate", data_dir=tmp_path / "none")
    assert result.exit_code == 7
    assert "run `jaga ledger init` first" in result.output
