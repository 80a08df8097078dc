"""One registry per database for the evidence tests (tests/evidence/test_packs.py, test_seal.py): filled
by `jaga synth` after the whole pipeline, served with a witness the server trusts, and three packs made
on it at the points of the log's life that matter."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker

from jaga.db import create_engine_for
from jaga.ledger import Cosigner, parse_note
from jaga.sequencer import add_cosignatures, integrate, load_keys
from jaga.sequencer.models import LedgerState
from jaga.synth.scenario import Scenario
from tests.conftest import DIALECTS, PreparedDatabase, _require
from tests.served_registry import ServedRegistry, served_registry, synthesised
from tests.synthetic_registry import PIPELINE_ORIGIN

SCENARIO = Scenario(name="evidence", province="33")
REASON = "perkara 12/PID.SUS/2026/PN Smg"
CHANNEL = "api POST /api/v1/evidence/packs"
COSIGNED_AT = 1_790_000_000  # 2026-09-21: the witness's cosignature timestamps


@dataclass
class Registry(ServedRegistry):
    witness: Cosigner  # the one the server trusts (JAGA_WITNESS_VKEYS)
    unwitnessed: bytes = b""  # packed before any checkpoint was cosigned
    witnessed: bytes = b""  # packed after: proofs to the cosigned checkpoint, consistency to the latest

    @property
    def log_keys(self) -> list[Any]:
        return load_keys(self.keys).verifiers()

    def pack(self, account: str = "police") -> bytes:
        answer = self.client(account).post(
            "/api/v1/evidence/packs", json={"person_ref": self.child, "reason": REASON}
        )
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/zip"
        return answer.content

    def integrate(self) -> None:
        """The sequencer's run: pending events (the packs' own) into the log, a new checkpoint signed."""
        engine = create_engine_for(self.url)
        integrate(sessionmaker(engine, expire_on_commit=False), load_keys(self.keys), origin=PIPELINE_ORIGIN)
        engine.dispose()

    def cosign_latest(self, *, integrate_first: bool) -> int:
        """The witness cosigns the log's latest checkpoint, then the log grows past it (the packs' own
        events); with `integrate_first`, after integrating what is pending, so that the cosigned
        checkpoint holds the packs' events. Returns the cosigned size."""
        engine = create_engine_for(self.url)
        sessions = sessionmaker(engine, expire_on_commit=False)
        log = load_keys(self.keys)
        if integrate_first:
            integrate(sessions, log, origin=PIPELINE_ORIGIN)
        with sessions() as session:
            state = session.get(LedgerState, 1)
            assert state is not None and state.checkpoint is not None
            note = parse_note(state.checkpoint)
            cosigned = note.with_signature(self.witness.cosign(note.text, COSIGNED_AT)).format()
            add_cosignatures(session, cosigned, log.verifiers(), [self.witness.verifier()])
            session.commit()
            size = state.size
        integrate(sessions, log, origin=PIPELINE_ORIGIN)
        engine.dispose()
        return size


@pytest.fixture(scope="package")
def synthetic_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthesised(tmp_path_factory, SCENARIO, seed=23)


@pytest.fixture(scope="package", params=DIALECTS)
def registry(
    request: pytest.FixtureRequest,
    _databases: dict[str, PreparedDatabase | str],
    synthetic_folder: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Registry]:
    database = _require(_databases, request.param)
    witness = Cosigner.generate("witness.test/w1")
    trusted = [witness.verifier().vkey()]
    with served_registry(
        database, synthetic_folder, SCENARIO, tmp_path_factory, witness_vkeys=trusted
    ) as served:
        found = Registry(**vars(served), witness=witness)
        found.unwitnessed = found.pack()
        found.cosign_latest(integrate_first=False)
        found.witnessed = found.pack()
        yield found
