from __future__ import annotations

from pathlib import Path

import pytest

from jaga.sequencer import LedgerKeys, init_keys

ORIGIN = "test.jaga.local/ledger"


@pytest.fixture
def keys(tmp_path: Path) -> LedgerKeys:
    return init_keys(tmp_path / "keys", ORIGIN)
