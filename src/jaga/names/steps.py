"""Ablation: each step of Indonesian name normalisation can be switched off to measure what it is worth.

Pure: standard library only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager

# The steps `parse_name` and the keys apply, by name. `jaga bench link --ablation` links with each one
# switched off in turn (docs/linkage.md "Name normalisation, step by step"); nothing else switches them.
STEPS: Mapping[str, str] = {
    "old_spelling": "pre-1972 spellings (oe, dj, tj, j ...) to today's",
    "variants": "Arabic-derived and other variant spellings (Muhammad, Moch., Achmad ...)",
    "abbreviations": "Balinese abbreviations and a first-name M. as Muhammad",
    "titles": "titles and forms of address before the name (H., Hj., Ny., dr. ...)",
    "degrees": "degrees after the name (S.Pd., M.Kes. ...)",
    "patronym": "bin / binti and the father's name after them",
    "placeholders": "newborn placeholders (By. Ny. <mother>) read as the mother's name",
    "common_tokens": "common and birth-order names left out of the distinctive names",
    "phonetic": "the Indonesian phonetic key",
    "token_order": "the sorted-token key (names in another order)",
}
_disabled: frozenset[str] = frozenset()


def step_enabled(step: str) -> bool:
    return step not in _disabled


def disabled_steps() -> frozenset[str]:
    return _disabled


@contextmanager
def without_steps(steps: Iterable[str]) -> Iterator[None]:
    """Switch normalisation steps off for the block (for ablation only). Not thread-safe: it changes module
    state and clears the caches, so it is for benchmarks, never for a server."""
    global _disabled
    chosen = frozenset(steps)
    if unknown := chosen - set(STEPS):
        raise ValueError(f"unknown name normalisation steps: {sorted(unknown)}")
    previous = _disabled
    _disabled = chosen
    _clear_caches()
    try:
        yield
    finally:
        _disabled = previous
        _clear_caches()


# The keys are cached (jaga.names.spelling); a cache filled with a step off must not answer with it on.
# The caches register here, so this module imports none of the modules that read the steps.
_caches: list[Callable[[], None]] = []


def clears_with_steps(cache_clear: Callable[[], None]) -> None:
    """Have `cache_clear` called whenever `without_steps` switches steps off or on again."""
    _caches.append(cache_clear)


def _clear_caches() -> None:
    for cache_clear in _caches:
        cache_clear()
