"""Adoption certificates (they change a child's legal status) get a document only once their checkpoint
meets the witness quorum of JAGA_WITNESS_POLICY: fail closed, through the service and the CLI; birth
certificates are not held back; and a certificate stays provable after the policy is replaced."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor, TokenHasher, authenticate
from jaga.certificates import services
from jaga.certificates.documents import LogAccess, payload_of
from jaga.certificates.payload import decode, encode
from jaga.certificates.verify import verify_payload
from jaga.db import UnitOfWork, create_engine_for, session_factory
from jaga.errors import QuorumNotMet, WitnessPolicyInvalid
from jaga.ledger import parse_vkey
from jaga.registry.services.reads import Purpose
from jaga.sequencer import published_verifiers
from jaga.sequencer.witnessing import Reply, WitnessEndpoint, load_policies, push_checkpoint
from jaga.witness import Witness
from tests.certificates.conftest import REASON, registered_adoption, registered_birth
from tests.cli_helpers import jaga

ORIGIN = "jaga.local/ledger"


class Registry:
    def __init__(self, url: str, tmp_path: Path, tokens: dict[str, str]) -> None:
        self.url, self.tokens, self.data = url, tokens, tmp_path / "data"
        assert jaga(url, "ledger", "init", data_dir=self.data).exit_code == 0
        self.engine: Engine = create_engine_for(url)
        self.sessions: sessionmaker[Session] = session_factory(self.engine)
        with self.sessions() as session:
            self.actors: dict[str, Actor] = {
                name: authenticate(session, TokenHasher(), token) for name, token in tokens.items()
            }
        self.witness = Witness.create(tmp_path / "w1", "witness.test/w1")
        self.log_vkey = (self.data / "keys" / "ledger.vkey").read_text().strip()
        self.policy = tmp_path / "witnesses.policy"
        self.policy.write_text(
            f"log {self.log_vkey}\nwitness w1 {self.witness.cosigner.verifier().vkey()}\nquorum w1\n"
        )
        self.log = LogAccess(self.data / "keys", ORIGIN, self.policy)

    def issue(self, kind: str, subject: str) -> str:
        with UnitOfWork(self.sessions) as uow:
            view = services.issue(
                uow, self.actors["registrar"], kind=kind, subject_ref=subject, purpose=Purpose(REASON, "t")
            )
        return view.ref

    def cosign(self) -> None:
        """The log pushes its checkpoint to the witness (in this process, through the same code)."""
        logs = [parse_vkey(self.log_vkey)]
        pushed = push_checkpoint(
            self.sessions,
            published_verifiers(self.data / "keys"),
            [WitnessEndpoint("w1", self.witness.cosigner.verifier(), "http://w1.invalid")],
            post=lambda _url, body: Reply(200, self.witness.add_checkpoint(body, logs), ""),
        )
        assert all(result.ok for result in pushed.results), pushed.results


@pytest.fixture
def registry(throwaway_url: str, tmp_path: Path, tokens: dict[str, str]) -> Iterator[Registry]:
    made = Registry(throwaway_url, tmp_path, tokens)
    yield made
    made.engine.dispose()


def test_an_adoption_certificate_waits_for_the_quorum(registry: Registry) -> None:
    adoption = registry.issue("adoption", registered_adoption(registry.sessions, registry.actors))
    birth = registry.issue("birth", registered_birth(registry.sessions, registry.actors))
    with pytest.raises(QuorumNotMet, match="quorum: a cosignature by witness w1: NOT met"):
        payload_of(registry.sessions, adoption, registry.log)
    assert payload_of(registry.sessions, birth, registry.log)  # a birth certificate is not held back

    # The same through the CLI, as a registrar runs it: a clear refusal and the conflict exit code.
    env = {"JAGA_WITNESS_POLICY": str(registry.policy)}
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        refused = jaga(
            registry.url,
            "certificate",
            "payload",
            adoption,
            "--reason",
            REASON,
            token=registry.tokens["registrar"],
            data_dir=registry.data,
        )
        assert refused.exit_code == 6, refused.output
        assert "witness-push" in refused.output

        registry.cosign()
        issued = jaga(
            registry.url,
            "certificate",
            "payload",
            adoption,
            "--reason",
            REASON,
            token=registry.tokens["registrar"],
            data_dir=registry.data,
        )
        assert issued.exit_code == 0, issued.output
    by_policy = jaga(
        registry.url,
        "verify",
        issued.output.strip(),
        "--vkey",
        registry.log_vkey,
        "--policy",
        str(registry.policy),
        data_dir=registry.data.parent / "elsewhere",
    )
    assert by_policy.exit_code == 0, by_policy.output
    assert "✓ witnesses" in by_policy.output and "witness w1: met (cosigned by w1" in by_policy.output
    proof = decode(issued.output.strip())
    result = verify_payload(
        issued.output.strip(), [parse_vkey(registry.log_vkey)], [registry.witness.cosigner.verifier()]
    )
    assert result.ok, result.checks
    assert any(check.name == "witnesses" and check.ok for check in result.checks), result.checks
    assert proof.size >= 1


def test_an_unreadable_policy_fails_closed(registry: Registry) -> None:
    adoption = registry.issue("adoption", registered_adoption(registry.sessions, registry.actors))
    registry.policy.write_text("witness w1 not-a-key\nquorum w1\n")
    with pytest.raises(WitnessPolicyInvalid):
        payload_of(registry.sessions, adoption, registry.log)


def test_a_certificate_stays_provable_after_the_policy_changes(registry: Registry, tmp_path: Path) -> None:
    adoption = registry.issue("adoption", registered_adoption(registry.sessions, registry.actors))
    birth = registry.issue("birth", registered_birth(registry.sessions, registry.actors))
    assert payload_of(registry.sessions, birth, registry.log)  # integrates both events into the log
    registry.cosign()
    # A year later the policy asks for a second witness; the old policy's window is closed.
    change = datetime.now(UTC) + timedelta(seconds=5)
    later = change + timedelta(days=365)
    w2 = Witness.create(tmp_path / "w2", "witness.test/w2").cosigner.verifier().vkey()
    folder = tmp_path / "policies"
    folder.mkdir()
    w1 = registry.witness.cosigner.verifier().vkey()
    stamp = change.strftime("%Y-%m-%dT%H:%M:%SZ")
    (folder / "2026-a.policy").write_text(
        f"# valid-from 2020-01-01T00:00:00Z\n# valid-until {stamp}\nwitness w1 {w1}\nquorum w1\n"
    )
    (folder / "2026-b.policy").write_text(
        f"# valid-from {stamp}\nwitness w1 {w1}\nwitness w2 {w2}\ngroup both all w1 w2\nquorum both\n"
    )
    quorum = load_policies(folder)
    with registry.sessions() as session:
        proof = services.proof_for(session, adoption, quorum=quorum, now=later)  # judged by the old policy
        assert proof.size >= 1
    # A verifier holding both policies accepts it too (its cosignature predates the change).
    verified = verify_payload(encode(proof), [parse_vkey(registry.log_vkey)], policy=quorum)
    assert verified.ok and "2026-a.policy" in verified.checks[-2].detail, verified.checks
    # A checkpoint nobody cosigned would be judged by the new policy, and refused.
    (folder / "2026-a.policy").unlink()
    with registry.sessions() as session, pytest.raises(QuorumNotMet):
        services.proof_for(session, adoption, quorum=load_policies(folder), now=later)
