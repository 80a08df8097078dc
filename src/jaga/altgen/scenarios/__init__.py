"""An independent scenario generator for judging the flags: a world of births, registrations, care and
adoption records with planted rings and benign look-alikes of its own shapes, written from DOMAIN.md and
the seed cases, never from `jaga.synth` (the import-linter contract on `jaga.altgen` says so).

`build(shape, seed)` makes the world; `write(world, out, ...)` writes the import files, `manifest.json`
and `truth/` (for evaluation only: detectors never read it).
"""

from jaga.altgen.scenarios.generator import Shape, build, files_in_order, write

__all__ = ["Shape", "build", "files_in_order", "write"]
