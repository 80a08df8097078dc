"""Tips' fixtures: cheap argon2 for receipts (the suite submits many tips; tests/access checks the
production parameters of the same hasher)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from tests.conftest import FAST_HASHER


@pytest.fixture
def hasher() -> PasswordHasher:
    return FAST_HASHER
