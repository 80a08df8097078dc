"""The log's side of C2SP tlog-witness: push the latest checkpoint to each configured witness with a
consistency proof, collect the cosignatures and publish the checkpoint with them.

Which size does a witness hold? The log keeps no separate table for it: the newest stored checkpoint
that carries the witness's cosignature says it (a witness cosigns only what it records), and 0 if none.
If that guess is wrong (the witness was reset, or cosigned for someone else), the witness answers 409
with its size, and the log retries once from there, as the protocol intends.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.errors import VerificationFailed, WitnessPolicyInvalid
from jaga.ledger import FormatError, LedgerError, open_checkpoint, parse_note
from jaga.ledger.note import Verifier
from jaga.ledger.policy import Policy, PolicySet, parse_policy
from jaga.ledger.witness_protocol import (
    ADD_CHECKPOINT_PATH,
    SIZE_CONTENT_TYPE,
    AddCheckpoint,
    parse_signature_lines,
    parse_size_body,
)
from jaga.sequencer.models import LedgerCheckpoint
from jaga.sequencer.services import add_cosignatures, prove_consistency, state

USER_AGENT = "jaga-log"
TIMEOUT_SECONDS = 15
SCAN_CHECKPOINTS = 1000  # how far back to look for a witness's last cosignature before guessing 0
STREAM_ROWS = 8  # checkpoints fetched at a time while looking


@dataclass(frozen=True)
class WitnessEndpoint:
    name: str  # the policy's name for it
    verifier: Verifier  # its cosignature key
    url: str  # its submission prefix


POLICY_SUFFIX = ".policy"


def load_policies(path: Path) -> PolicySet:
    """The witness policies at `path`: one tlog-policy file, or a folder of `*.policy` files (the
    current one and those it replaced, each with its validity window)."""
    files = sorted(path.glob(f"*{POLICY_SUFFIX}")) if path.is_dir() else [path]
    if not files:
        raise WitnessPolicyInvalid(f"no *{POLICY_SUFFIX} file in {path}")
    try:
        return PolicySet([parse_policy(_read(file), source=file.name) for file in files])
    except FormatError as exc:
        raise WitnessPolicyInvalid(f"witness policy: {exc}") from exc


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WitnessPolicyInvalid(f"cannot read the witness policy {file} ({type(exc).__name__})") from exc


def endpoints(policy: Policy) -> list[WitnessEndpoint]:
    """The policy's witnesses that have a URL (those without one are only for verification)."""
    return [
        WitnessEndpoint(w.name, w.verifier, w.url) for w in policy.witnesses.values() if w.url is not None
    ]


@dataclass(frozen=True)
class Reply:
    status: int
    body: str
    content_type: str


Post = Callable[[str, bytes], Reply]


def http_post(url: str, body: bytes) -> Reply:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"User-Agent": USER_AGENT, "Content-Type": "text/plain"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return Reply(response.status, response.read(65536).decode("utf-8", "replace"), "")
    except urllib.error.HTTPError as exc:
        content_type = (exc.headers.get("Content-Type") or "").split(";")[0].strip()
        return Reply(exc.code, exc.read(65536).decode("utf-8", "replace"), content_type)


@dataclass(frozen=True)
class PushResult:
    witness: str
    ok: bool
    detail: str
    old_size: int  # the size the last request was made from


def _last_cosigned_size(session: Session, witness: Verifier, size: int) -> int:
    # Streamed a few rows at a time: the witness's last cosignature is normally on the checkpoint just
    # before this one, and an ORM result is otherwise buffered whole (every one of SCAN_CHECKPOINTS rows
    # loaded for each push: 18 ms a push once the log had 1,000 checkpoints, `jaga bench witness`).
    rows = session.scalars(
        select(LedgerCheckpoint)
        .where(LedgerCheckpoint.size <= size)
        .order_by(LedgerCheckpoint.size.desc())
        .limit(SCAN_CHECKPOINTS)
        .execution_options(yield_per=STREAM_ROWS)
    )
    try:
        for row in rows:
            if any(
                (s.name, s.key_id) == (witness.name, witness.key_id) for s in parse_note(row.note).signatures
            ):
                return int(row.size)
        return 0
    finally:
        rows.close()


def _request(session: Session, note: str, old: int, size: int) -> bytes:
    proof = [] if old in (0, size) else prove_consistency(session, old, size)[1]
    return AddCheckpoint(old, tuple(proof), note).body()


def _push_one(
    sessions: sessionmaker[Session], witness: WitnessEndpoint, note: str, text: str, size: int, post: Post
) -> tuple[PushResult, str | None]:
    """Ask one witness; (result, the checkpoint note with its cosignature if it gave a valid one)."""
    url = witness.url.rstrip("/") + ADD_CHECKPOINT_PATH
    with sessions() as session:
        old = _last_cosigned_size(session, witness.verifier, size)
    for attempt in (1, 2):
        with sessions() as session:
            body = _request(session, note, old, size)
        try:
            reply = post(url, body)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            return PushResult(witness.name, False, f"cannot reach {url}: {exc}", old), None
        if reply.status == 409 and reply.content_type == SIZE_CONTENT_TYPE and attempt == 1:
            try:
                held = parse_size_body(reply.body)
            except LedgerError as exc:
                return PushResult(witness.name, False, f"409 with a malformed size: {exc}", old), None
            if held > size or held == old:
                detail = f"409: the witness holds size {held}, which the log of size {size} cannot extend"
                return PushResult(witness.name, False, detail, old), None
            old = held
            continue
        if reply.status != 200:
            detail = f"{reply.status}: {reply.body.strip()[:200]}"
            return PushResult(witness.name, False, detail, old), None
        try:
            answered = parse_signature_lines(text, reply.body)
        except LedgerError as exc:
            return PushResult(witness.name, False, f"200 with malformed signature lines: {exc}", old), None
        key = witness.verifier
        good = [
            s
            for s in answered.signatures
            if (s.name, s.key_id) == (key.name, key.key_id) and key.verify(text, s.signature)
        ]
        if not good:
            return PushResult(witness.name, False, "200 without a valid cosignature by its key", old), None
        merged = parse_note(note)
        for signature in good:
            merged = merged.with_signature(signature)
        return PushResult(witness.name, True, f"cosigned size {size} (from size {old})", old), merged.format()
    raise AssertionError("unreachable: the second attempt always returns")


@dataclass(frozen=True)
class Pushed:
    size: int
    results: list[PushResult]
    checkpoint: str  # the published checkpoint, with every cosignature collected


def push_checkpoint(
    sessions: sessionmaker[Session],
    log: list[Verifier],
    witnesses: list[WitnessEndpoint],
    *,
    post: Post = http_post,
) -> Pushed:
    """Push the log's latest checkpoint to every witness; store and publish the cosignatures collected."""
    with sessions() as session:
        note = state(session).checkpoint
    assert note is not None
    try:
        checkpoint, _ = open_checkpoint(note, log)
    except LedgerError as exc:
        raise VerificationFailed(f"the log's own checkpoint does not verify: {exc}") from exc
    results = []
    for witness in witnesses:
        result, cosigned = _push_one(sessions, witness, note, checkpoint.text(), checkpoint.size, post)
        if cosigned is not None:
            # One transaction per witness: a cosignature collected is kept even if a later witness fails.
            with sessions() as session, session.begin():
                add_cosignatures(session, cosigned, log, [witness.verifier])
        results.append(result)
    with sessions() as session:
        published = state(session).checkpoint
    assert published is not None
    return Pushed(checkpoint.size, results, published)
