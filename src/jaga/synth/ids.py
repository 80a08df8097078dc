"""Opaque, deterministic references and unique numbers for synthetic records.

References must not leak identity or scheme membership: a mother's clinic record and her civil-registry
record get unrelated refs, and nothing in a ref says which scheme planted it. They are keyed hashes of
(seed, purpose, counter), so a run is reproducible and the refs look random.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict


class RefMaker:
    def __init__(self, seed: int) -> None:
        self._key = hashlib.sha256(f"jaga-synth-{seed}".encode()).digest()
        self._counters: dict[str, int] = defaultdict(int)

    def ref(self, prefix: str) -> str:
        """`P-3F9A0B1C2D4E5F`-style (56 bits, hex): the prefix says the record kind only."""
        number = self._counters[prefix]
        self._counters[prefix] = number + 1
        digest = hashlib.blake2b(f"{prefix}:{number}".encode(), key=self._key, digest_size=7).digest()
        return prefix + "-" + digest.hex().upper()

    def serial(self, scope: str) -> int:
        """1, 2, 3 ... within a scope (e.g. a district's NIK serials, a regency's akta numbers)."""
        self._counters["#" + scope] += 1
        return self._counters["#" + scope]


def nik(district: str, born: object, sex: str, serial: int) -> str:
    """A structurally valid NIK for a district, date of birth, sex and serial (1-9999)."""
    day = born.day + (40 if sex == "F" else 0)  # type: ignore[attr-defined]
    return f"{district}{day:02d}{born.month:02d}{born.year % 100:02d}{(serial - 1) % 9999 + 1:04d}"  # type: ignore[attr-defined]
