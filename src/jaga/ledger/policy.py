"""C2SP tlog-policy: which logs are trusted, which witnesses are known, and the quorum of cosignatures a
checkpoint needs; plus jaga's validity window, so that a policy can be replaced without making the
certificates issued under the old one unverifiable.

    log <vkey> [<url>]
    witness <name> <vkey> [<url>]
    group <name> (all | any | <k>) <name>...
    quorum <name>            (exactly one; `none` asks for no cosignature)

The validity window is written as two comment lines, so the file stays a valid tlog-policy file for
every other implementation (they ignore comments):

    # valid-from 2026-01-01T00:00:00Z
    # valid-until 2027-01-01T00:00:00Z      (optional; open-ended if absent)

A checkpoint is judged by the policy in force when its quorum was reached: the time of the newest
trusted cosignature it carries (a v1 cosignature is timestamped by the witness, see tlog-cosignature).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from jaga.ledger.cosignature import CosignatureVerifier
from jaga.ledger.errors import FormatError
from jaga.ledger.keys import parse_vkey
from jaga.ledger.note import Note, Verifier

NONE = "none"
# The spec recommends supporting at least 32 of each; a bound keeps a hostile file from costing much.
MAX_ENTRIES = 256
_WHITESPACE = re.compile(r"[ \t]+")
_WINDOW = re.compile(r"^#\s*(valid-from|valid-until)\s+(\S+)\s*$")
_THRESHOLD = re.compile(r"^[1-9][0-9]{0,3}$")


@dataclass(frozen=True)
class PolicyWitness:
    name: str
    verifier: Verifier
    url: str | None


@dataclass(frozen=True)
class Group:
    name: str
    threshold: int
    members: tuple[str, ...]


@dataclass(frozen=True)
class Policy:
    logs: tuple[Verifier, ...]
    log_urls: tuple[str | None, ...]
    witnesses: dict[str, PolicyWitness]
    groups: dict[str, Group]
    quorum: str
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    source: str = field(default="", compare=False)  # where it was read from, for messages

    def in_force(self, when: datetime) -> bool:
        if self.valid_from is not None and when < self.valid_from:
            return False
        return self.valid_until is None or when < self.valid_until

    def cosigners(self, note: Note) -> dict[str, int]:
        """The policy's witnesses whose cosignature on `note` verifies, with their timestamps."""
        found: dict[str, int] = {}
        for witness in self.witnesses.values():
            for signature in note.signatures:
                key = witness.verifier
                if (signature.name, signature.key_id) != (key.name, key.key_id):
                    continue
                if key.verify(note.text, signature.signature):
                    stamp = key.timestamp(signature.signature) if isinstance(key, CosignatureVerifier) else 0
                    found[witness.name] = stamp
        return found

    def satisfied_by(self, cosigned: Iterable[str]) -> bool:
        """Whether the witnesses named in `cosigned` meet the quorum."""
        have = set(cosigned)
        memo: dict[str, bool] = {}

        def met(name: str) -> bool:
            if name == NONE:
                return True
            if name in self.witnesses:
                return name in have
            if name not in memo:
                group = self.groups[name]
                memo[name] = sum(met(member) for member in group.members) >= group.threshold
            return memo[name]

        return met(self.quorum)

    def describe(self) -> str:
        if self.quorum == NONE:
            return "quorum none (no cosignature required)"
        if self.quorum in self.witnesses:
            return f"quorum: a cosignature by witness {self.quorum}"
        group = self.groups[self.quorum]
        return f"quorum: {group.threshold} of group {group.name} ({', '.join(group.members)})"


def _time(text: str, what: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise FormatError(f"{what} {text!r} is not an ISO 8601 time such as 2026-01-01T00:00:00Z") from exc
    if value.tzinfo is None:
        raise FormatError(f"{what} {text!r} needs a time zone (end it with Z for UTC)")
    return value.astimezone(UTC)


def parse_policy(text: str, *, source: str = "policy") -> Policy:
    """Parse a tlog-policy file (with jaga's optional validity window); FormatError names the line."""
    if any((ord(ch) < 0x20 and ch not in "\t\n") or ord(ch) == 0x7F for ch in text):
        raise FormatError(f"{source}: only tab and newline are allowed as control characters")
    logs: list[Verifier] = []
    log_urls: list[str | None] = []
    witnesses: dict[str, PolicyWitness] = {}
    groups: dict[str, Group] = {}
    used_keys: set[bytes] = set()
    quorum: str | None = None
    window: dict[str, datetime] = {}
    for number, raw in enumerate(text.split("\n"), start=1):
        where = f"{source} line {number}"
        line = raw.strip(" \t")
        match = _WINDOW.match(line)
        if match:
            if match.group(1) in window:
                raise FormatError(f"{where}: {match.group(1)} is given twice")
            window[match.group(1)] = _time(match.group(2), f"{where}: {match.group(1)}")
            continue
        if not line or line.startswith("#"):
            continue
        if len(logs) + len(witnesses) + len(groups) >= MAX_ENTRIES:
            raise FormatError(f"{where}: more than {MAX_ENTRIES} logs, witnesses and groups")
        keyword, *args = _WHITESPACE.split(line)
        if keyword == "log":
            if len(args) not in (1, 2):
                raise FormatError(f"{where}: expected `log <vkey> [<url>]`")
            verifier = _vkey(args[0], where)
            if isinstance(verifier, CosignatureVerifier):
                raise FormatError(f"{where}: a log key must be an Ed25519 note key, not a cosignature key")
            _unique_key(verifier, used_keys, where)
            logs.append(verifier)
            log_urls.append(args[1] if len(args) == 2 else None)
        elif keyword == "witness":
            if len(args) not in (2, 3):
                raise FormatError(f"{where}: expected `witness <name> <vkey> [<url>]`")
            name = args[0]
            _new_name(name, witnesses, groups, where)
            verifier = _vkey(args[1], where)
            if not isinstance(verifier, CosignatureVerifier):
                raise FormatError(f"{where}: witness {name} needs a cosignature/v1 key (type 0x04)")
            _unique_key(verifier, used_keys, where)
            witnesses[name] = PolicyWitness(name, verifier, args[2] if len(args) == 3 else None)
        elif keyword == "group":
            if len(args) < 3:
                raise FormatError(f"{where}: expected `group <name> all|any|<k> <name>...`")
            name, threshold_text, *members = args
            _new_name(name, witnesses, groups, where)
            for member in members:
                if member == NONE or (member not in witnesses and member not in groups):
                    raise FormatError(f"{where}: group member {member!r} is not defined on an earlier line")
            if len(set(members)) != len(members):
                raise FormatError(f"{where}: a name is listed twice in group {name}")
            if threshold_text == "all":
                threshold = len(members)
            elif threshold_text == "any":
                threshold = 1
            elif _THRESHOLD.match(threshold_text) and int(threshold_text) <= len(members):
                threshold = int(threshold_text)
            else:
                raise FormatError(
                    f"{where}: threshold {threshold_text!r} must be all, any or 1 to {len(members)}"
                )
            groups[name] = Group(name, threshold, tuple(members))
        elif keyword == "quorum":
            if quorum is not None:
                raise FormatError(f"{where}: a policy has exactly one quorum line")
            if len(args) != 1:
                raise FormatError(f"{where}: expected `quorum <name>`")
            if args[0] != NONE and args[0] not in witnesses and args[0] not in groups:
                raise FormatError(f"{where}: quorum {args[0]!r} is not defined on an earlier line")
            quorum = args[0]
        else:
            raise FormatError(f"{where}: unknown keyword {keyword!r} (log, witness, group, quorum)")
    if quorum is None:
        raise FormatError(f"{source}: no quorum line (write `quorum none` to require no cosignature)")
    start, end = window.get("valid-from"), window.get("valid-until")
    if start is not None and end is not None and end <= start:
        raise FormatError(f"{source}: valid-until must be later than valid-from")
    return Policy(tuple(logs), tuple(log_urls), witnesses, groups, quorum, start, end, source)


def _vkey(text: str, where: str) -> Verifier:
    try:
        return parse_vkey(text)
    except FormatError as exc:
        raise FormatError(f"{where}: {exc}") from exc


def _unique_key(verifier: Verifier, used: set[bytes], where: str) -> None:
    # Duplicates are the same public key, whatever its name or key type.
    material: bytes = verifier.public_key  # type: ignore[attr-defined]
    if material in used:
        raise FormatError(f"{where}: this public key is already listed")
    used.add(material)


def _new_name(name: str, witnesses: dict[str, PolicyWitness], groups: dict[str, Group], where: str) -> None:
    if name == NONE:
        raise FormatError(f"{where}: `none` is reserved")
    if name in witnesses or name in groups:
        raise FormatError(f"{where}: the name {name!r} is already defined")


@dataclass(frozen=True)
class Judgement:
    policy: Policy
    cosigners: dict[str, int]  # witness name -> cosignature timestamp
    met: bool

    def describe(self) -> str:
        names = ", ".join(sorted(self.cosigners)) or "none"
        verdict = "met" if self.met else "NOT met"
        return f"{self.policy.describe()}: {verdict} (cosigned by {names}; policy {self.policy.source})"


class PolicySet:
    """Every policy the log has had, each with its validity window; checkpoints are judged by the one in
    force when they were cosigned, so replacing the policy leaves older certificates verifiable."""

    def __init__(self, policies: Sequence[Policy]) -> None:
        if not policies:
            raise FormatError("no witness policy given")
        self.policies = sorted(policies, key=lambda p: p.valid_from or datetime.min.replace(tzinfo=UTC))
        for earlier, later in zip(self.policies, self.policies[1:], strict=False):
            end, start = earlier.valid_until, later.valid_from
            if end is None or start is None or end > start:
                raise FormatError(
                    f"the validity windows of {earlier.source} and {later.source} overlap; give the earlier "
                    "one a valid-until no later than the later one's valid-from"
                )

    def at(self, when: datetime) -> Policy | None:
        for policy in self.policies:
            if policy.in_force(when):
                return policy
        return None

    def judge(self, note: Note, *, now: datetime) -> Judgement:
        """Judge a checkpoint by the policy in force when its newest cosignature was made (or `now` if it
        carries none that any policy knows); FormatError if no policy was in force then."""
        stamps = [stamp for policy in self.policies for stamp in policy.cosigners(note).values() if stamp]
        when = datetime.fromtimestamp(max(stamps), UTC) if stamps else now
        if when > now:
            when = now  # a witness clock ahead of ours does not pick a future policy
        policy = self.at(when)
        if policy is None:
            raise FormatError(f"no witness policy was in force at {when.isoformat()}")
        cosigners = policy.cosigners(note)
        return Judgement(policy, cosigners, policy.satisfied_by(cosigners))
