"""Offline verification of the QR payload: everything holds for a genuine certificate, and each kind of
forgery or damage is named."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.certificates import services
from jaga.certificates.documents import LogAccess, payload_of
from jaga.certificates.payload import PREFIX, CertificateProof, decode, encode
from jaga.certificates.verify import verify_payload
from jaga.db import UnitOfWork
from jaga.ledger import Checkpoint, Cosigner, Ed25519Signer
from jaga.registry.services.reads import Purpose
from jaga.sequencer import LedgerCheckpoint, LedgerKeys, add_cosignatures, integrate
from tests.certificates.conftest import ORIGIN, REASON


def _issued(sessions: sessionmaker[Session], actors: dict[str, Actor], birth_ref: str, log: LogAccess) -> str:
    with UnitOfWork(sessions) as uow:
        view = services.issue(
            uow, actors["registrar"], kind="birth", subject_ref=birth_ref, purpose=Purpose(REASON, "test")
        )
    return payload_of(sessions, view.ref, log)


def _checks(result: object) -> dict[str, bool | None]:
    return {c.name: c.ok for c in result.checks}  # type: ignore[attr-defined]


def test_a_genuine_certificate_verifies_offline_with_the_log_key_alone(
    sessions: sessionmaker[Session],
    actors: dict[str, Actor],
    birth_ref: str,
    log: LogAccess,
    log_keys: LedgerKeys,
) -> None:
    payload = _issued(sessions, actors, birth_ref, log)
    assert payload.startswith(PREFIX)
    result = verify_payload(payload, [log_keys.signer.verifier()])
    assert result.ok, result.checks
    assert _checks(result) == {
        "format": True,
        "log signature": True,
        "inclusion": True,
        "witnesses": None,
        "record": True,
    }
    assert result.content is not None and result.content["child_name"] == "Putri Ayu Lestari"
    assert result.record is not None and result.record["status"] == "valid"


def _tampered(original: str, **changes: object) -> str:
    return encode(replace(decode(original), **changes))  # type: ignore[arg-type]


def test_every_alteration_breaks_the_log_signature(
    sessions: sessionmaker[Session],
    actors: dict[str, Actor],
    birth_ref: str,
    log: LogAccess,
    log_keys: LedgerKeys,
) -> None:
    payload = _issued(sessions, actors, birth_ref, log)
    proof = decode(payload)
    record = json.loads(proof.payload)
    content = json.loads(record["content"])
    content["mother_name"] = "Nyonya Pembeli"  # a buyer registered as the mother
    record["content"] = json.dumps(content, sort_keys=True, separators=(",", ":"))
    forged_payload = json.dumps(record, sort_keys=True, separators=(",", ":")).encode()
    trusted = [log_keys.signer.verifier()]
    for forged in (
        _tampered(payload, payload=forged_payload),
        _tampered(payload, salt=bytes(16)),
        _tampered(payload, meta=bytes(32)),
        _tampered(payload, proof=(bytes(32), *proof.proof[1:])),
    ):
        result = verify_payload(forged, trusted)
        assert not result.ok
        assert _checks(result).get("log signature") is False, result.checks
        assert "altered" in next(c.detail for c in result.checks if c.name == "log signature")
    short = verify_payload(_tampered(payload, proof=proof.proof[:-1]), trusted)
    assert _checks(short)["inclusion"] is False
    # Another entry of the same log: either the proof no longer fits or it leads to an unsigned root.
    moved = verify_payload(_tampered(payload, index=proof.index - 1), trusted)
    assert not moved.ok
    assert False in (_checks(moved).get("inclusion"), _checks(moved).get("log signature"))


def test_another_registry_key_or_origin_is_not_trusted(
    sessions: sessionmaker[Session], actors: dict[str, Actor], birth_ref: str, log: LogAccess
) -> None:
    payload = _issued(sessions, actors, birth_ref, log)
    impostor = Ed25519Signer.generate(ORIGIN).verifier()
    result = verify_payload(payload, [impostor])
    assert _checks(result)["log signature"] is False
    assert "not signed by a trusted log key" in result.checks[1].detail


def test_witness_cosignatures_travel_in_the_payload(
    sessions: sessionmaker[Session],
    actors: dict[str, Actor],
    birth_ref: str,
    log: LogAccess,
    log_keys: LedgerKeys,
) -> None:
    with UnitOfWork(sessions) as uow:
        view = services.issue(
            uow, actors["registrar"], kind="birth", subject_ref=birth_ref, purpose=Purpose(REASON, "test")
        )
    done = integrate(sessions, log_keys, origin=ORIGIN)
    witness = Cosigner.generate("witness.example/w1")
    note = Checkpoint(ORIGIN, done.size, done.root).sign(log_keys.signer)
    cosigned = note.with_signature(witness.cosign(note.text, 1_767_225_600))
    with sessions() as session, session.begin():
        add_cosignatures(session, cosigned.format(), [log_keys.signer.verifier()], [witness.verifier()])
    with sessions() as session:
        assert session.get(LedgerCheckpoint, done.size) is not None
    payload = payload_of(sessions, view.ref, log)
    trusted = [log_keys.signer.verifier()]
    result = verify_payload(payload, trusted, [witness.verifier()])
    assert result.ok and _checks(result)["witnesses"] is True
    assert "witness.example/w1 on 2026-01-01" in result.checks[3].detail
    other = Cosigner.generate("witness.example/w2").verifier()
    strict = verify_payload(payload, trusted, [witness.verifier(), other], min_witnesses=2)
    assert not strict.ok and "at least 2 required" in strict.checks[3].detail


def test_damaged_payloads_are_named_not_crashed_on() -> None:
    key = Ed25519Signer.generate(ORIGIN).verifier()
    assert verify_payload("hello", [key]).checks[0].detail.startswith("not a jaga certificate payload")
    assert "damaged" in verify_payload(PREFIX + "%%%%", [key]).checks[0].detail


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_behind_the_prefix_give_a_verdict_not_an_exception(body: bytes) -> None:
    import zlib

    import base45

    key = Ed25519Signer.generate(ORIGIN).verifier()
    text = PREFIX + base45.b45encode(zlib.compress(body)).decode()
    result = verify_payload(text, [key])
    assert not result.ok


def test_the_payload_round_trips() -> None:
    proof = CertificateProof(
        origin=ORIGIN,
        size=987_654_321,
        index=123_456_789,
        salt=bytes(range(16)),
        meta=bytes(range(32)),
        proof=tuple(bytes([i]) * 32 for i in range(30)),
        signatures=((0x01020304, bytes(64)), (0xA0B0C0D0, bytes(72))),
        payload=b'{"kind":"birth"}',
    )
    assert decode(encode(proof)) == proof
    with pytest.raises(Exception, match="outside the tree"):
        decode(encode(replace(proof, index=proof.size)))
