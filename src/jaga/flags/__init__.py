"""Suspicious-pattern flags: detectors over the registry (record rules, statistics, networks), the flag
store with its review trail, and the evaluation against synthetic ground truth (`evaluate` only).

Detectors never import `jaga.synth` nor open ground-truth files; only `jaga.flags.evaluate` reads them.
"""
