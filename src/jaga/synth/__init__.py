"""A synthetic Indonesia with planted trafficking schemes, written in the import formats.

Ground truth goes to `<out>/truth/` and nowhere else. Detectors (linkage, flags) must never import this
package or read that folder; evaluation code reads it from disk. Heavy modules load on first use.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Scenario", "SynthSummary", "load_scenario", "synthesise"]


def __getattr__(name: str) -> Any:
    if name in ("SynthSummary", "synthesise"):
        from jaga.synth import generator

        return getattr(generator, name)
    if name in ("Scenario", "load_scenario"):
        from jaga.synth import scenario

        return getattr(scenario, name)
    raise AttributeError(name)
