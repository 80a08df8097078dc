"""Every problem type jaga can answer with has a bilingual help page behind its `type` URL."""

from __future__ import annotations

import importlib
import pkgutil

import jaga
from jaga.errors import JagaError
from jaga.web.problem_pages import HELP
from tests.conftest import ClientFor


def _all_error_classes() -> set[type[JagaError]]:
    for module in pkgutil.walk_packages(jaga.__path__, "jaga."):
        if not module.name.endswith("__main__") and ".migrations" not in module.name:
            importlib.import_module(module.name)
    found: set[type[JagaError]] = set()
    todo = [JagaError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_error_class_has_a_help_page(client_for: ClientFor) -> None:
    problems = {cls.problem for cls in _all_error_classes()}
    assert len(problems) > 20
    assert problems - HELP.keys() == set()
    client = client_for(None)
    for slug in problems:
        page = client.get(f"/problems/{slug}")
        assert page.status_code == 200 and "lang='id'" in page.text
    assert client.get("/problems/no-such-problem").status_code == 404
