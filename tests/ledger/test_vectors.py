"""RFC 9162 proof verification against the transparency-dev/merkle test vectors (../shared/vectors)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from jaga.ledger import ProofInvalid, verify_consistency, verify_inclusion

VECTORS = Path(__file__).resolve().parents[3] / "shared" / "vectors" / "transparency-dev-merkle"


ABSENT = "../shared/vectors/transparency-dev-merkle is not available here (../shared is absent)"


def _cases(kind: str) -> list[Path]:
    return sorted((VECTORS / kind).rglob("*.json")) if VECTORS.exists() else []


def _params(kind: str) -> list[object]:
    """One test per vector file; without the vectors, one test that skips saying why."""
    cases = _cases(kind)
    if not cases:
        return [pytest.param(None, id="absent", marks=pytest.mark.skip(reason=ABSENT))]
    return [pytest.param(path, id=str(path.relative_to(VECTORS))) for path in cases]


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def _proof(values: list[str] | None) -> list[bytes]:
    return [_b64(v) for v in values or []]


@pytest.mark.parametrize("path", _params("inclusion"))
def test_inclusion_vector(path: Path, asset: Callable[[str], Path]) -> None:
    case = json.loads(asset(f"vectors/transparency-dev-merkle/{path.relative_to(VECTORS)}").read_text())
    run = lambda: verify_inclusion(  # noqa: E731
        case["leafIdx"], case["treeSize"], _b64(case["leafHash"]), _proof(case["proof"]), _b64(case["root"])
    )
    if case["wantErr"]:
        with pytest.raises(ProofInvalid):
            run()
    else:
        run()


@pytest.mark.parametrize("path", _params("consistency"))
def test_consistency_vector(path: Path, asset: Callable[[str], Path]) -> None:
    case = json.loads(asset(f"vectors/transparency-dev-merkle/{path.relative_to(VECTORS)}").read_text())
    run = lambda: verify_consistency(  # noqa: E731
        case["size1"], case["size2"], _proof(case["proof"]), _b64(case["root1"]), _b64(case["root2"])
    )
    if case["wantErr"]:
        with pytest.raises(ProofInvalid):
            run()
    else:
        run()


def test_the_vectors_are_all_there(asset: Callable[[str], Path]) -> None:
    asset("vectors/transparency-dev-merkle")
    assert (len(_cases("inclusion")), len(_cases("consistency"))) == (98, 98)
