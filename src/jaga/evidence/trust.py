"""Which witnesses vouch for a checkpoint: judged by trusted witness keys, or by a C2SP tlog-policy (with
jaga's validity windows, `jaga.ledger.policy`). Pure (the standard library and `jaga.ledger`): the
registry judges with what the server is configured with when it packs, a court with what it trusts when it
verifies, and both say the same things in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jaga.ledger import LedgerError, Note
from jaga.ledger.note import Verifier
from jaga.ledger.policy import Judgement, PolicySet


@dataclass(frozen=True)
class Verdict:
    witnessed: bool | None  # None: nothing to judge by (no key, no policy)
    witnesses: tuple[str, ...]  # the witnesses whose cosignature verifies
    detail: str


def _window(judgement: Judgement) -> str:
    policy = judgement.policy
    start = policy.valid_from.isoformat() if policy.valid_from else "always"
    end = policy.valid_until.isoformat() if policy.valid_until else "open-ended"
    return f"in force from {start} until {end}"


@dataclass(frozen=True)
class WitnessTrust:
    """Witness keys (a cosignature by any one of them suffices) or a policy (its quorum must be met; it
    wins over keys when both are given, as it says more)."""

    keys: tuple[Verifier, ...] = ()
    policy: PolicySet | None = None

    @property
    def configured(self) -> bool:
        return bool(self.keys) or self.policy is not None

    def describe(self) -> str:
        if self.policy is not None:
            return "the witness policy (" + ", ".join(p.source for p in self.policy.policies) + ")"
        if self.keys:
            return "the witness keys " + ", ".join(k.name for k in self.keys)
        return "no witness key or policy"

    def judge(self, note: Note, *, now: datetime) -> Verdict:
        """Whether `note`'s cosignatures meet this trust. With a policy, the one in force when the
        checkpoint was cosigned judges it (so a pack made under a replaced policy still verifies)."""
        if self.policy is not None:
            try:
                judgement = self.policy.judge(note, now=now)
            except LedgerError as exc:  # no policy was in force then: it cannot count
                return Verdict(False, (), str(exc))
            names = tuple(sorted(judgement.cosigners))
            return Verdict(judgement.met, names, f"{judgement.describe()}, {_window(judgement)}")
        if self.keys:
            valid = tuple(
                sorted(
                    {
                        key.name
                        for key in self.keys
                        for s in note.signatures
                        if (s.name, s.key_id) == (key.name, key.key_id) and key.verify(note.text, s.signature)
                    }
                )
            )
            if valid:
                return Verdict(True, valid, f"cosigned by witness {', '.join(valid)}")
            return Verdict(False, (), "no given witness key's cosignature verifies")
        return Verdict(None, (), "no witness key or policy to judge its cosignatures by")
