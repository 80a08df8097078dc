"""Which checkpoints a pack's events are proven to: the latest, and the latest one whose cosignatures the
witnesses the server trusts verifiably made (keys or policy), judged rather than taken by their shape.
"""

from __future__ import annotations

import contextlib
import itertools
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from jaga.errors import NotFound, WitnessKeyInvalid
from jaga.evidence.format import is_cosigned
from jaga.evidence.trust import Verdict, WitnessTrust
from jaga.ledger import LedgerError, parse_note, parse_vkey
from jaga.sequencer.models import LedgerCheckpoint, LedgerState
from jaga.sequencer.witnessing import load_policies

MAX_WARNINGS = 5  # checkpoints passed over are named up to this many; the rest are alike


@dataclass(frozen=True)
class PackOptions:
    """What the server trusts (`WitnessTrust`, from its configuration) and whether to refuse a pack whose
    events are not all proven to a checkpoint that trust verifies (QuorumNotMet) rather than pack it
    with a warning."""

    trust: WitnessTrust = field(default_factory=WitnessTrust)
    require_witnessed: bool = False


@dataclass(frozen=True)
class Signed:
    size: int
    note: str
    verdict: Verdict


@dataclass(frozen=True)
class UsedCheckpoints:
    latest: Signed
    witnessed: Signed | None
    warnings: list[str]

    def used(self) -> list[Signed]:
        if self.witnessed is None or self.witnessed.size == self.latest.size:
            return [self.latest]
        return [self.witnessed, self.latest]

    def proof_size(self, seq: int) -> int:
        """Events the witnessed checkpoint holds are proven to it; later ones to the latest checkpoint."""
        if self.witnessed is not None and seq <= self.witnessed.size:
            return self.witnessed.size
        return self.latest.size


def _judged(size: int, note: str, trust: WitnessTrust, now: datetime) -> Signed:
    if not is_cosigned(note):  # no cosignature at all: nothing to verify
        return Signed(size, note, Verdict(False, (), "not cosigned"))
    return Signed(size, note, trust.judge(parse_note(note), now=now))


def choose_checkpoints(session: Session, trust: WitnessTrust, now: datetime) -> UsedCheckpoints:
    state = session.get(LedgerState, 1)
    if state is None or state.checkpoint is None or state.size == 0:
        raise NotFound("the log has no signed checkpoint yet; run `jaga ledger integrate` before packing")
    warnings: list[str] = []
    if not trust.configured:
        warnings.append(
            "the server has no witness keys or policy (JAGA_WITNESS_VKEYS, JAGA_WITNESS_POLICY): no "
            "cosignature can be verified, so the pack counts no checkpoint as witnessed"
        )
    # The state's note is the latest checkpoint with the cosignatures added since (add_cosignatures).
    latest = _judged(state.size, state.checkpoint, trust, now)
    if not trust.configured:
        return UsedCheckpoints(latest, None, warnings)
    # Newest first: the first whose cosignatures verify is the latest witnessed checkpoint. One whose
    # cosignatures do not verify is passed over, and said: the keys changed, or the row was tampered with.
    query = (
        select(LedgerCheckpoint)
        .where(LedgerCheckpoint.size < state.size)
        .order_by(LedgerCheckpoint.size.desc())
    )
    # Closed when left early: on PostgreSQL, yield_per reads through a server-side cursor.
    with contextlib.closing(session.scalars(query.execution_options(yield_per=200))) as rows:
        for signed in itertools.chain([latest], (_judged(r.size, r.note, trust, now) for r in rows)):
            if signed.verdict.witnessed:
                return UsedCheckpoints(latest, signed, warnings)
            if is_cosigned(signed.note) and len(warnings) < MAX_WARNINGS:
                warnings.append(
                    f"checkpoint {signed.size} carries cosignatures that do not meet {trust.describe()} "
                    f"({signed.verdict.detail}): not counted as witnessed"
                )
    return UsedCheckpoints(latest, None, warnings)


def server_trust(witness_vkeys: list[str], witness_policy: Path | None) -> WitnessTrust:
    """What the server trusts, from its configuration's plain values (JAGA_WITNESS_VKEYS and
    JAGA_WITNESS_POLICY); an unreadable key or policy raises (fail closed), never means "none"."""
    keys = []
    for number, text in enumerate(witness_vkeys, start=1):
        try:
            keys.append(parse_vkey(text))
        except LedgerError as exc:
            raise WitnessKeyInvalid(f"witness key {number} (JAGA_WITNESS_VKEYS): {exc}") from exc
    policy = None if witness_policy is None else load_policies(witness_policy)
    return WitnessTrust(tuple(keys), policy)
