"""A certificate's printable document: make sure its event is in the log, then prove it and render it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from jaga.certificates.payload import VERIFY_PATH, encode, qr_segments, verify_link
from jaga.certificates.pdf import render
from jaga.certificates.services import CertificateView, pending_seq, proof_for
from jaga.errors import NotYetInLog, SigningKeyMissing
from jaga.ledger.policy import PolicySet
from jaga.sequencer import integrate, load_keys
from jaga.sequencer.witnessing import load_policies


@dataclass(frozen=True)
class LogAccess:
    """What it takes to integrate on demand (the key folder and the log's name) and the witness policy
    whose quorum adoption certificates need (JAGA_WITNESS_POLICY; None: no witness requirement)."""

    key_dir: Path
    origin: str
    witness_policy: Path | None = None

    def quorum(self) -> PolicySet | None:
        # Read on each use: the policy file changes rarely, and a fresh read means a replaced policy
        # applies without a restart. An unreadable policy raises (fail closed), never means "none".
        return None if self.witness_policy is None else load_policies(self.witness_policy)


def ensure_in_log(sessions: sessionmaker[Session], ref: str, log: LogAccess) -> None:
    """Integrate pending events now if the certificate's event is not in the log yet (and this process
    holds the log key); otherwise leave it to the sequencer and say so."""
    with sessions() as session:
        seq = pending_seq(session, ref)
    if seq is None:
        return
    try:
        keys = load_keys(log.key_dir)
    except SigningKeyMissing as exc:
        raise NotYetInLog(
            f"certificate {ref} (event seq {seq}) is not in the log yet and this server holds no log key; "
            "the sequencer (`jaga ledger integrate --follow`) adds it within seconds"
        ) from exc
    integrate(sessions, keys, origin=log.origin)


def payload_of(sessions: sessionmaker[Session], ref: str, log: LogAccess) -> str:
    ensure_in_log(sessions, ref, log)
    with sessions() as session:
        return encode(proof_for(session, ref, quorum=log.quorum()))


def link_of(sessions: sessionmaker[Session], ref: str, log: LogAccess, *, base_url: str) -> str:
    """The certificate's verify link, `{base_url}/v#JG1U:...`, as its QR code holds it."""
    ensure_in_log(sessions, ref, log)
    with sessions() as session:
        return verify_link(base_url, proof_for(session, ref, quorum=log.quorum()))


def status_address(base_url: str, ref: str) -> str:
    """The short address printed for people without a camera phone: the online status alone."""
    return f"{base_url.rstrip('/')}/c/{ref}"


def pdf_of(sessions: sessionmaker[Session], view: CertificateView, log: LogAccess, *, base_url: str) -> bytes:
    ensure_in_log(sessions, view.ref, log)
    with sessions() as session:
        proof = proof_for(session, view.ref, quorum=log.quorum())
    return render(
        kind=view.kind,
        ref=view.ref,
        issued_at=view.issued_at,
        content=view.content,
        proof=proof,
        qr_content=qr_segments(base_url, proof),
        portal_url=f"{base_url.rstrip('/')}{VERIFY_PATH}",
        status_url=status_address(base_url, view.ref),
    )
