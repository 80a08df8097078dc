"""Every error jaga raises on purpose lives in `jaga.errors`, and each edge shows it the way its shared
class says: one HTTP status and one exit code per kind of failure, so the exit-code table is true."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import jaga
from jaga.errors import SHARED, JagaError, exit_code_table, exit_codes

README = Path(__file__).resolve().parents[1] / "README.md"


def _every_jaga_error() -> set[type[JagaError]]:
    """Import every jaga module, then collect every subclass of JagaError, however deep."""
    for module in pkgutil.walk_packages(jaga.__path__, "jaga."):
        if ".migrations" in module.name or module.name == "jaga.__main__":
            continue
        importlib.import_module(module.name)
    found: set[type[JagaError]] = set()
    todo = [JagaError]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def test_every_error_class_lives_in_jaga_errors() -> None:
    elsewhere = sorted(
        f"{c.__module__}.{c.__name__}" for c in _every_jaga_error() if c.__module__ != "jaga.errors"
    )
    assert elsewhere == [], "move these into src/jaga/errors.py"


def test_every_error_answers_with_its_shared_class_status_and_exit_code() -> None:
    errors = _every_jaga_error()
    assert len(errors) > 25
    for cls in errors:
        bases = [base for base in SHARED if issubclass(cls, base)]
        assert len(bases) == 1, (
            f"{cls.__name__} must descend from exactly one of {[b.__name__ for b in SHARED]}"
        )
        base = bases[0]
        assert (cls.status, cls.exit_code) == (base.status, base.exit_code), (
            f"{cls.__name__} answers {cls.status}/exit {cls.exit_code}, its kind {base.__name__} "
            f"{base.status}/exit {base.exit_code}: the exit-code table would lie"
        )


def test_problem_slugs_are_unique() -> None:
    slugs: dict[str, str] = {}
    for cls in sorted(_every_jaga_error(), key=lambda c: c.__name__):
        if cls.problem in slugs and cls.problem not in {b.problem for b in SHARED}:
            raise AssertionError(f"{cls.__name__} and {slugs[cls.problem]} share the slug {cls.problem!r}")
        slugs.setdefault(cls.problem, cls.__name__)


def test_the_exit_code_table_is_generated_from_the_classes() -> None:
    codes = exit_codes()
    assert codes[70].startswith("a bug")
    assert {cls.exit_code for cls in SHARED} | {0, 2, 70} == set(codes)
    for code, meaning in codes.items():
        assert f"{code:>2}  {meaning}" in exit_code_table()


def test_the_readme_shows_the_generated_exit_code_table() -> None:
    text = README.read_text(encoding="utf-8")
    for code, meaning in exit_codes().items():
        assert f"| {code} | {meaning} |" in text, f"README's exit-code table is stale at {code}"
