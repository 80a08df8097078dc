"""The offline verifier alone (no database): packs built here from an in-memory log, then altered."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaga.db.canonical import canonical_bytes
from jaga.evidence import verify_pack
from jaga.evidence.verify import canonical_json, event_header, event_leaf, sha256_hex
from jaga.ledger import (
    Checkpoint,
    Cosigner,
    Ed25519Signer,
    EventEntry,
    MemoryTree,
    consistency_proof,
    inclusion_proof,
    meta_hash,
)
from jaga.ledger.policy import PolicySet, parse_policy

ORIGIN = "jaga.test/evidence"
LOG = Ed25519Signer.generate(ORIGIN)
WITNESS = Cosigner.generate("witness.test/w1")


def _event(seq: int) -> dict[str, Any]:
    return {
        "seq": seq,
        "event_id": f"{seq:032x}",
        "kind": "person.recorded",
        "aggregate": "people",
        "aggregate_id": seq,
        "recorded_at": "2026-01-02T03:04:05.000000Z",
        "actor": None,
        "salt": f"{seq:02x}" * 16,
        "payload": {"id": seq, "full_name": f"Anak {seq}", "note": "line\nbreak ✓"},
    }


def build(events: int = 9, witnessed_at: int = 6, grown_to: int = 12) -> bytes:
    """A pack of `events` events, proven to a cosigned checkpoint at `witnessed_at`, the log grown to
    `grown_to` with a consistency proof between the two."""
    tree, older, stated = MemoryTree(), MemoryTree(), []
    for seq in range(1, grown_to + 1):
        event = _event(seq)
        committed, _ = event_leaf(event)
        event["commitment"] = committed.hex()
        salt = bytes.fromhex(event["salt"])
        entry = EventEntry(seq, event["kind"], committed, meta_hash(salt, event_header(event))).encode()
        tree.append(entry)
        if seq <= witnessed_at:
            older.append(entry)
        stated.append(event)
    first = Checkpoint(ORIGIN, witnessed_at, older.root()).sign(LOG)
    first = first.with_signature(WITNESS.cosign(first.text, 1_790_000_000))
    latest = Checkpoint(ORIGIN, grown_to, tree.root()).sign(LOG)
    chosen = stated[:events]
    sizes = {e["seq"]: witnessed_at if e["seq"] <= witnessed_at else grown_to for e in chosen}
    files = {
        "timeline.json": canonical_json({"events": chosen}),
        "proofs.json": canonical_json(
            {
                "inclusion": [
                    {
                        "seq": seq,
                        "tree_size": size,
                        "hashes": [h.hex() for h in inclusion_proof(tree, seq - 1, size)],
                    }
                    for seq, size in sizes.items()
                ],
                "consistency": [
                    {
                        "old_size": witnessed_at,
                        "new_size": grown_to,
                        "hashes": [h.hex() for h in consistency_proof(tree, witnessed_at, grown_to)],
                    }
                ],
            }
        ),
        f"checkpoints/{witnessed_at}.txt": first.format().encode(),
        f"checkpoints/{grown_to}.txt": latest.format().encode(),
    }
    manifest = {
        "format": "jaga-evidence/v1",
        "origin": ORIGIN,
        "subject": {"kind": "person", "ref": "P-1"},
        "files": [{"name": n, "sha256": sha256_hex(d)} for n, d in files.items()],
        "checkpoints": [
            {"size": witnessed_at, "file": f"checkpoints/{witnessed_at}.txt", "witnessed": True},
            {"size": grown_to, "file": f"checkpoints/{grown_to}.txt", "witnessed": False},
        ],
        "events": [e["seq"] for e in chosen],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", canonical_json(manifest))
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_built_pack_verifies_with_the_witness_and_its_consistency() -> None:
    report = verify_pack(build(), [LOG.verifier()], [WITNESS.verifier()])
    assert report.ok, report.failures
    names = [c.name for c in report.checks]
    assert "consistency 6 → 12" in names and "event 9 (people#9)" in names
    assert report.events == 9


def test_a_pack_under_another_log_key_is_refused_everywhere() -> None:
    other = Ed25519Signer.generate(ORIGIN).verifier()
    report = verify_pack(build(), [other])
    assert (
        "checkpoint 6: checkpoints/6.txt is not a checkpoint signed by the given log key"
        in report.failures[0]
    )
    assert any(f.startswith("event 1 (people#1)") for f in report.failures)


def test_a_duplicated_file_name_in_the_zip_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, pytest.warns(UserWarning, match="Duplicate name"):
        archive.writestr("manifest.json", b"{}")
        archive.writestr("manifest.json", b"{}")
    report = verify_pack(buffer.getvalue(), [LOG.verifier()])
    assert report.failures == ["pack: the zip holds manifest.json more than once"]


def test_an_extra_file_is_named() -> None:
    pack = build()
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    files["note-from-someone.txt"] = b"trust me"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    report = verify_pack(buffer.getvalue(), [LOG.verifier()])
    assert report.failures == ["note-from-someone.txt: in the pack but not listed in manifest.json (added)"]


_json_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**60), 2**60) | _json_text,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(_values)
def test_the_verifiers_canonical_json_is_the_registrys(value: Any) -> None:
    # the verifier recomputes commitments without jaga.db: its bytes must be the registry's, exactly
    assert canonical_json(value) == canonical_bytes(value)
    assert json.loads(canonical_json(value)) == value


@pytest.mark.parametrize(
    "manifest",
    [
        {"format": "jaga-evidence/v1", "files": "not a list"},
        {"format": "jaga-evidence/v1", "files": [{"name": "x"}]},
        {"format": "jaga-evidence/v1", "files": [], "checkpoints": [{"size": "big"}]},
        {"format": "jaga-evidence/v1", "files": [], "checkpoints": None},
    ],
)
def test_a_malformed_manifest_fails_a_check_and_never_crashes(manifest: dict[str, Any]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
    report = verify_pack(buffer.getvalue(), [LOG.verifier()])
    assert not report.ok and report.failures[-1].startswith(
        ("pack: malformed", "proofs.json", "timeline.json")
    )


def _policy(window: str) -> PolicySet:
    text = f"{window}\nwitness w1 {WITNESS.verifier().vkey()}\nquorum w1\n"
    return PolicySet([parse_policy(text, source="test.policy")])


def test_a_policy_fails_only_the_checkpoints_events_are_proven_to() -> None:
    now = datetime(2027, 1, 1, tzinfo=UTC)
    policy = _policy("# valid-from 2026-01-01T00:00:00Z")
    # events 7 to 9 are proven to checkpoint 12, which no witness cosigned: the quorum is not met there
    report = verify_pack(build(), [LOG.verifier()], policy=policy, now=now)
    assert report.failures == [
        "checkpoint 12: quorum: a cosignature by witness w1: NOT met (cosigned by none; policy test.policy), "
        "in force from 2026-01-01T00:00:00+00:00 until open-ended"
    ]
    # with every event in the cosigned checkpoint 6, checkpoint 12 only extends it: said, not failed
    report = verify_pack(build(events=6), [LOG.verifier()], policy=policy, now=now)
    assert report.ok, report.failures
    checks = {c.name: c for c in report.checks}
    assert checks["checkpoint 6"].ok and "met (cosigned by w1" in checks["checkpoint 6"].detail
    assert checks["checkpoint 12"].ok is None and "no event is proven to it" in checks["checkpoint 12"].detail


def test_a_policy_not_in_force_when_the_checkpoint_was_cosigned_does_not_vouch_for_it() -> None:
    expired = _policy("# valid-until 2026-06-01T00:00:00Z")  # the cosignature is of 2026-09-21
    report = verify_pack(
        build(events=6), [LOG.verifier()], policy=expired, now=datetime(2027, 1, 1, tzinfo=UTC)
    )
    assert report.failures == ["checkpoint 6: no witness policy was in force at 2026-09-21T14:13:20+00:00"]
