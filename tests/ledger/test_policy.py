"""C2SP tlog-policy: the spec's example, its rules for names, groups and thresholds, and jaga's validity
windows (a certificate cosigned under an old policy is judged by that policy)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jaga.ledger import Checkpoint, Cosigner, Ed25519Signer, FormatError
from jaga.ledger.note import Note
from jaga.ledger.policy import PolicySet, parse_policy

LOG = Ed25519Signer.generate("log.test/policy")
W = {name: Cosigner.generate(f"witness.test/{name}") for name in ("X1", "X2", "X3", "Y1", "Y2", "Y3")}


def _example() -> str:
    """The spec's example with real keys."""
    lines = [f"log {LOG.verifier().vkey()}", ""]
    for name in ("X1", "X2", "X3"):
        lines.append(f"witness {name} {W[name].verifier().vkey()}")
    lines += ["group X-witnesses 2 X1 X2 X3", ""]
    for name in ("Y1", "Y2", "Y3"):
        lines.append(f"witness {name} {W[name].verifier().vkey()} https://{name.lower()}.test/")
    lines += [
        "group Y-witnesses any Y1 Y2 Y3",
        "",
        "group X-and-Y all X-witnesses Y-witnesses",
        "quorum X-and-Y",
    ]
    return "\n".join(lines) + "\n"


def _cosigned(*names: str, at: int = 1_700_000_000) -> Note:
    note = Checkpoint("log.test/policy", 5, bytes(32)).sign(LOG)
    for name in names:
        note = note.with_signature(W[name].cosign(note.text, at))
    return note


@pytest.mark.parametrize(
    ("names", "met"),
    [
        ((), False),
        (("X1", "X2", "Y3"), True),
        (("X1", "X2"), False),
        (("X1", "Y1", "Y2", "Y3"), False),
        (("X1", "X2", "X3", "Y1", "Y2", "Y3"), True),
    ],
)
def test_the_spec_example_quorum(names: tuple[str, ...], met: bool) -> None:
    policy = parse_policy(_example())
    assert policy.witnesses["Y1"].url == "https://y1.test/"
    assert policy.witnesses["X1"].url is None
    assert policy.satisfied_by(policy.cosigners(_cosigned(*names))) is met


def test_a_cosignature_that_does_not_verify_does_not_count() -> None:
    policy = parse_policy(_example())
    note = _cosigned("X1", "X2", "Y1")
    forged = Note(
        note.text,
        tuple(s if s.name != W["Y1"].name else type(s)(s.name, s.key_id, bytes(72)) for s in note.signatures),
    )
    assert not policy.satisfied_by(policy.cosigners(forged))


def test_quorum_none() -> None:
    policy = parse_policy(f"log {LOG.verifier().vkey()}\nquorum none\n")
    assert policy.satisfied_by(set())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no quorum line"),
        ("quorum X1\n", "not defined on an earlier line"),
        ("quorum none\nquorum none\n", "exactly one quorum"),
        ("witness none {X1}\nquorum none\n", "reserved"),
        ("witness X1 {X1}\nwitness X1 {X2}\nquorum X1\n", "already defined"),
        ("witness X1 {X1}\nwitness X2 {X1}\nquorum X1\n", "already listed"),
        ("witness X1 {X1}\ngroup G 2 X1\nquorum G\n", "threshold"),
        ("witness X1 {X1}\ngroup G 0 X1\nquorum G\n", "threshold"),
        ("witness X1 {X1}\ngroup G any X1 X1\nquorum G\n", "listed twice"),
        ("group G any X1\nwitness X1 {X1}\nquorum G\n", "not defined on an earlier line"),
        ("witness X1 {X1}\ngroup G any none\nquorum G\n", "not defined"),
        ("witness X1 {LOG}\nquorum X1\n", "cosignature/v1 key"),
        ("log {X1}\nquorum none\n", "Ed25519 note key"),
        ("monitor X\nquorum none\n", "unknown keyword"),
        ("quorum none\n# valid-from 2027-01-01T00:00:00Z\n# valid-until 2026-01-01T00:00:00Z\n", "later"),
        ("quorum none\n# valid-from 2027-01-01\n", "time zone"),
        ("quorum none\x0b\n", "control characters"),
    ],
)
def test_malformed_policies_name_the_problem(text: str, message: str) -> None:
    keys = {name: W[name].verifier().vkey() for name in ("X1", "X2")} | {"LOG": LOG.verifier().vkey()}
    with pytest.raises(FormatError, match=message):
        parse_policy(text.format(**keys))


def test_comments_whitespace_and_tabs_are_allowed() -> None:
    text = f"  # a comment\n\tlog\t{LOG.verifier().vkey()}  \n\nwitness  X1 {W['X1'].verifier().vkey()}\nquorum X1\n"
    assert parse_policy(text).quorum == "X1"


def test_old_certificates_are_judged_by_the_policy_in_force_when_they_were_cosigned() -> None:
    x1, y1 = W["X1"].verifier().vkey(), W["Y1"].verifier().vkey()
    old = parse_policy(
        f"# valid-from 2020-01-01T00:00:00Z\n# valid-until 2026-01-01T00:00:00Z\nwitness X1 {x1}\nquorum X1\n",
        source="2020.policy",
    )
    new = parse_policy(
        f"# valid-from 2026-01-01T00:00:00Z\nwitness X1 {x1}\nwitness Y1 {y1}\ngroup both all X1 Y1\nquorum both\n",
        source="2026.policy",
    )
    policies = PolicySet([new, old])
    now = datetime(2027, 6, 1, tzinfo=UTC)
    in_2025 = int(datetime(2025, 3, 1, tzinfo=UTC).timestamp())
    in_2026 = int(datetime(2026, 3, 1, tzinfo=UTC).timestamp())
    # Cosigned by X1 alone in 2025: the old policy asked for X1 alone, and still verifies after the change.
    judged = policies.judge(_cosigned("X1", at=in_2025), now=now)
    assert (judged.policy.source, judged.met) == ("2020.policy", True)
    # The same cosignature made in 2026 falls under the new policy, which wants X1 and Y1.
    judged = policies.judge(_cosigned("X1", at=in_2026), now=now)
    assert (judged.policy.source, judged.met) == ("2026.policy", False)
    assert policies.judge(_cosigned("X1", "Y1", at=in_2026), now=now).met
    # No cosignature at all: judged by today's policy.
    assert policies.judge(_cosigned(), now=now).policy.source == "2026.policy"
    # Before any policy: refused, not waved through.
    with pytest.raises(FormatError, match="no witness policy was in force"):
        policies.judge(_cosigned("X1", at=int(datetime(2019, 1, 1, tzinfo=UTC).timestamp())), now=now)


def test_overlapping_windows_are_refused() -> None:
    a = parse_policy("# valid-from 2020-01-01T00:00:00Z\nquorum none\n", source="a")
    b = parse_policy("# valid-from 2021-01-01T00:00:00Z\nquorum none\n", source="b")
    with pytest.raises(FormatError, match="overlap"):
        PolicySet([a, b])
