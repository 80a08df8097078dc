"""Schemathesis auth hook for the short pass of tests/app/test_schemathesis.py: each generated request
carries the next role's token in turn (JAGA_FUZZ_TOKENS, a JSON list), so one quick run speaks as every
role. Loaded by the schemathesis process from SCHEMATHESIS_HOOKS (this file's path), never by pytest."""

from __future__ import annotations

import itertools
import json
import os
from typing import Any

import schemathesis

_TOKENS = itertools.cycle(json.loads(os.environ["JAGA_FUZZ_TOKENS"]))


@schemathesis.auth(refresh_interval=None, retry_on=[])
class EveryRole:
    def get(self, case: Any, context: Any) -> str:
        return next(_TOKENS)

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
