"""`jaga field` end to end through the command line, on real databases that commit: a node is made,
enrolled, records offline, exports a batch, the server imports it (twice), the node is acknowledged;
and the refusals exit with their classes' codes."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from jaga.field import sign_event
from jaga.field.batch import parse_batch, render_batch
from jaga.field.chain import SignedEvent, parse_time
from jaga.ledger.note import Ed25519Signer
from tests.cli_helpers import jaga
from tests.conftest import PreparedDatabase
from tests.field.conftest import COURIER, OFFICER, birth_row, mother_row


def _outbox(url: str, node: Path) -> list[dict[str, object]]:
    result = jaga(url, "field", "outbox", "--dir", str(node), "--json")
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.output)
    return rows


def test_a_field_office_round_trip_through_the_command_line(
    database: PreparedDatabase, throwaway_url: str, tmp_path: Path
) -> None:
    url, tokens, node = throwaway_url, database.tokens, tmp_path / "node"
    made = jaga(url, "field", "init", "--server", "https://jaga.test", "--office", "PKM-TUGU",
                "--dir", str(node), "--officer", OFFICER)  # fmt: skip
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE((node / "device.key").stat().st_mode) == 0o600
    vkey = str(node / "device.vkey")

    refused = jaga(url, "field", "enrol", "--device-vkey", vkey, "--office", "PKM-TUGU",
                   "--reason", "outreach", "--region", "3374", token=tokens["facility-semarang"])  # fmt: skip
    assert refused.exit_code == 5, refused.output
    elsewhere = jaga(url, "field", "enrol", "--device-vkey", vkey, "--office", "PKM-TUGU",
                     "--reason", "outreach", "--region", "3374", token=tokens["admin-bali"])  # fmt: skip
    assert elsewhere.exit_code == 5 and "outside your scope" in elsewhere.output
    enrolled = jaga(url, "field", "enrol", "--device-vkey", vkey, "--office", "PKM-TUGU",
                    "--reason", "outreach", "--region", "3374", token=tokens["admin"])  # fmt: skip
    assert enrolled.exit_code == 0, enrolled.output

    (tmp_path / "mother.json").write_text(json.dumps(mother_row(ref="P-FIELDMOM01")))
    with (tmp_path / "births.csv").open("w") as handle:
        row = birth_row("P-FIELDMOM01")
        handle.write(",".join(row) + "\n" + ",".join(str(v) for v in row.values()) + "\n")
    bad = jaga(url, "field", "record", "people", "--dir", str(node), "--file", str(tmp_path / "births.csv"))
    assert bad.exit_code == 3
    one = jaga(url, "field", "record", "people", "--dir", str(node), "--file", str(tmp_path / "mother.json"))
    assert one.exit_code == 0 and "ref=P-FIELDMOM01" in one.output, one.output
    two = jaga(url, "field", "record", "births", "--dir", str(node), "--csv", str(tmp_path / "births.csv"))
    assert two.exit_code == 0, two.output
    assert [r["state"] for r in _outbox(url, node)] == ["pending", "pending"]

    batch = tmp_path / "batch.jaga"
    exported = jaga(url, "field", "export", "--dir", str(node), "--out", str(batch))
    assert exported.exit_code == 0 and "2 event(s)" in exported.output
    assert [r["state"] for r in _outbox(url, node)] == ["sending", "sending"]

    receipt = tmp_path / "receipt.json"
    imported = jaga(url, "field", "import", str(batch), "--receipt", str(receipt), token=tokens[COURIER])
    assert imported.exit_code == 0 and "2 applied" in imported.output, imported.output
    replayed = jaga(url, "field", "import", str(batch), token=tokens[COURIER])
    assert replayed.exit_code == 0 and "0 applied, 2 already held" in replayed.output, replayed.output
    acked = jaga(url, "field", "ack", str(receipt), "--dir", str(node))
    assert acked.exit_code == 0 and "2 sent" in acked.output
    assert [r["state"] for r in _outbox(url, node)] == ["sent", "sent"]
    nothing = jaga(url, "field", "export", "--dir", str(node), "--out", str(tmp_path / "empty.jaga"))
    assert "nothing to send" in nothing.output

    parsed = parse_batch(batch.read_bytes())
    first = parsed.events[0]
    tampered = tmp_path / "tampered.jaga"
    altered = SignedEvent(first.envelope.replace("Siti Aminah", "Siti Aminaa"), first.signature)
    tampered.write_text(render_batch(parsed.device, [altered, parsed.events[1]]))
    refused_batch = jaga(url, "field", "import", str(tampered), token=tokens[COURIER])
    assert refused_batch.exit_code == 1 and "signature does not verify" in refused_batch.output
    assert "Aminah" not in refused_batch.output

    fields = first.fields()
    forged = sign_event(
        Ed25519Signer.generate(parsed.device),  # the device's name, another key
        event_id=fields["id"], device=fields["device"], seq=1, officer=OFFICER, kind=fields["kind"],
        created_at=parse_time(fields["created_at"]), prev=fields["prev"], payload=fields["payload"],
    )  # fmt: skip
    (tmp_path / "forged.jaga").write_text(render_batch(parsed.device, [forged]))
    refused_forgery = jaga(url, "field", "import", str(tmp_path / "forged.jaga"), token=tokens[COURIER])
    assert refused_forgery.exit_code == 1 and "enrolled key" in refused_forgery.output

    revoked = jaga(
        url, "field", "revoke", parsed.device, "--reason", "lost on the ferry", token=tokens["admin"]
    )
    assert revoked.exit_code == 0, revoked.output
    after = jaga(url, "field", "import", str(batch), token=tokens[COURIER])
    assert after.exit_code == 5 and "revoked" in after.output


def test_a_refused_batch_leaves_the_outbox_refused_with_the_reason(
    database: PreparedDatabase, throwaway_url: str, tmp_path: Path
) -> None:
    url, tokens, node = throwaway_url, database.tokens, tmp_path / "node"
    jaga(url, "field", "init", "--server", "https://jaga.test", "--office", "PKM", "--dir", str(node))
    jaga(url, "field", "enrol", "--device-vkey", str(node / "device.vkey"), "--office", "PKM",
         "--reason", "outreach", "--region", "3374", token=tokens["admin"])  # fmt: skip
    (tmp_path / "birth.json").write_text(json.dumps(birth_row("P-NOTHERE001")))
    missing_officer = jaga(
        url, "field", "record", "births", "--dir", str(node), "--file", str(tmp_path / "birth.json")
    )
    assert missing_officer.exit_code == 3 and "--officer" in missing_officer.output
    jaga(url, "field", "record", "births", "--dir", str(node), "--file", str(tmp_path / "birth.json"),
         "--officer", OFFICER)  # fmt: skip
    batch, receipt = tmp_path / "b.jaga", tmp_path / "r.json"
    jaga(url, "field", "export", "--dir", str(node), "--out", str(batch))
    result = jaga(url, "field", "import", str(batch), "--receipt", str(receipt), token=tokens[COURIER])
    assert result.exit_code == 3 and "nothing was written" in result.output, result.output
    assert jaga(url, "field", "ack", str(receipt), "--dir", str(node)).exit_code == 0
    (item,) = _outbox(url, node)
    assert item["state"] == "refused" and "mother_ref" in str(item["last_error"])
