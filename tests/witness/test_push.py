"""The log's side of tlog-witness through real servers: `jaga ledger integrate` pushes each new checkpoint
to the witnesses of the policy, retries a 409 from the size the witness returns, and publishes the
checkpoint with the cosignatures; `jaga ledger witness-push` fails when the quorum is not met."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from jaga.ledger import CosignatureVerifier, open_note, parse_vkey
from jaga.ledger.witness_protocol import AddCheckpoint
from jaga.witness import Witness
from tests.cli_helpers import jaga
from tests.sequencer.helpers import fill_events
from tests.witness.servers import WitnessServer


class Setting:
    def __init__(self, tmp_path: Path) -> None:
        self.url = f"sqlite:///{tmp_path / 'log.db'}"
        self.data = tmp_path / "data"
        assert jaga(self.url, "db", "upgrade").exit_code == 0
        assert jaga(self.url, "ledger", "init", data_dir=self.data).exit_code == 0
        self.log_vkey = (self.data / "keys" / "ledger.vkey").read_text().strip()
        self.servers: dict[str, WitnessServer] = {}
        self.keys: dict[str, CosignatureVerifier] = {}
        for name in ("w1", "w2"):
            folder = tmp_path / name
            witness = Witness.create(folder, f"witness.test/{name}")
            self.keys[name] = witness.cosigner.verifier()
            self.servers[name] = WitnessServer(folder, [self.log_vkey]).start()
        self.policy = tmp_path / "witnesses.policy"
        self.policy.write_text(
            f"log {self.log_vkey}\n"
            + "".join(f"witness {n} {self.keys[n].vkey()} {s.url}\n" for n, s in self.servers.items())
            + "group both all w1 w2\nquorum both\n"
        )

    def run(self, *args: str) -> tuple[int, str]:
        result = jaga(self.url, *args, data_dir=self.data)
        return result.exit_code, result.output

    def checkpoint(self) -> str:
        code, output = self.run("ledger", "checkpoint")
        assert code == 0, output
        return output


@pytest.fixture
def setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Setting]:
    made = Setting(tmp_path)
    monkeypatch.setenv("JAGA_WITNESS_POLICY", str(made.policy))
    yield made
    for server in made.servers.values():
        server.stop()


def _cosigners(setting: Setting, note: str) -> set[str]:
    log = parse_vkey(setting.log_vkey)
    _, good = open_note(note, [log, *setting.keys.values()])
    return {key.name for key in good if key is not log}


def test_integrate_pushes_and_publishes_the_cosignatures(setting: Setting) -> None:
    fill_events(setting.url, 300)
    code, output = setting.run("ledger", "integrate")
    assert code == 0, output
    assert "✓ witness w1: cosigned size 300 (from size 0)" in output
    assert "quorum: 2 of group both (w1, w2): met" in output
    assert _cosigners(setting, setting.checkpoint()) == {"witness.test/w1", "witness.test/w2"}

    # Growth: the log proves consistency from the size each witness cosigned.
    fill_events(setting.url, 200)
    code, output = setting.run("ledger", "integrate")
    assert code == 0, output
    assert "✓ witness w2: cosigned size 500 (from size 300)" in output
    assert _cosigners(setting, setting.checkpoint()) == {"witness.test/w1", "witness.test/w2"}


def test_a_409_is_retried_from_the_size_the_witness_returns(setting: Setting) -> None:
    fill_events(setting.url, 300)
    assert setting.run("ledger", "integrate")[0] == 0
    fill_events(setting.url, 100)
    assert setting.run("ledger", "integrate", "--no-push")[0] == 0
    # Someone else (a monitor) brings w1 to size 400; the log's records still say w1 is at 300.
    code, proof = setting.run("ledger", "prove", "1", "--old-size", "300")
    assert code == 0, proof
    hashes = tuple(base64.b64decode(h) for h in json.loads(proof)["proof"])
    direct = setting.servers["w1"].post(AddCheckpoint(300, hashes, setting.checkpoint()).body())
    assert direct.status_code == 200, direct.text

    fill_events(setting.url, 100)
    code, output = setting.run("ledger", "integrate")
    assert code == 0, output
    assert "✓ witness w1: cosigned size 500 (from size 400)" in output  # after the 409 said 400
    assert "✓ witness w2: cosigned size 500 (from size 300)" in output
    assert _cosigners(setting, setting.checkpoint()) == {"witness.test/w1", "witness.test/w2"}


def test_a_missing_witness_fails_the_quorum_but_not_the_log(setting: Setting) -> None:
    fill_events(setting.url, 50)
    assert setting.run("ledger", "integrate")[0] == 0
    setting.servers["w2"].stop()
    fill_events(setting.url, 50)
    code, output = setting.run("ledger", "integrate")
    assert code == 0, output  # the log goes on
    assert "✗ witness w2: cannot reach" in output
    assert "NOT met" in output
    assert _cosigners(setting, setting.checkpoint()) == {"witness.test/w1"}
    code, output = setting.run("ledger", "witness-push")
    assert code == 6, output  # QuorumNotMet (a conflict): the caller must not treat it as done
    assert "witness-quorum-not-met" in output or "NOT met" in output
    setting.servers["w2"].start()
    code, output = setting.run("ledger", "witness-push")
    assert code == 0, output
    assert "✓ witness w2: cosigned size 100 (from size 50)" in output


def test_witness_push_without_a_policy_says_how_to_set_one(
    setting: Setting, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JAGA_WITNESS_POLICY")
    fill_events(setting.url, 5)
    assert setting.run("ledger", "integrate")[0] == 0
    code, output = setting.run("ledger", "witness-push")
    assert code == 3, output
    assert "JAGA_WITNESS_POLICY" in output
    # A broken policy (being edited, say) does not stop the log: integrate says so and goes on.
    broken = setting.policy.with_name("broken.policy")
    broken.write_text("quorum w9\n")
    monkeypatch.setenv("JAGA_WITNESS_POLICY", str(broken))
    fill_events(setting.url, 5)
    code, output = setting.run("ledger", "integrate")
    assert code == 0, output
    assert "log size 10" in output and "witnesses not asked: witness policy: broken.policy line 1" in output
    assert setting.run("ledger", "witness-push")[0] == 3  # but the explicit push fails on it
