"""Public references: their form, and no repeats across threads or a forked process."""

from __future__ import annotations

import os
import re
import threading

import pytest

from jaga.registry import new_ref

REF = re.compile(r"^B-[0-9A-HJKMNP-TV-Z]{10}$")  # Crockford base32: no I, L, O, U


def test_refs_have_their_form_and_do_not_repeat() -> None:
    refs = [new_ref("B") for _ in range(5000)]  # more than one draw of random numbers
    assert all(REF.match(ref) for ref in refs)
    assert len(set(refs)) == len(refs)


def test_threads_draw_their_own_numbers() -> None:
    made: dict[str, list[str]] = {}

    def make(name: str) -> None:
        made[name] = [new_ref("B") for _ in range(600)]

    threads = [threading.Thread(target=make, args=(f"t{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [ref for refs in made.values() for ref in refs]
    assert len(set(everything)) == len(everything) == 1800


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_does_not_reuse_its_parents_numbers() -> None:
    new_ref("B")  # the parent now holds unused numbers, which the child must not hand out again
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.write(writing, " ".join(new_ref("B") for _ in range(20)).encode())
        finally:
            os._exit(0)
    os.close(writing)
    with os.fdopen(reading) as pipe:
        child = pipe.read().split()
    os.waitpid(pid, 0)
    parent = [new_ref("B") for _ in range(20)]
    assert len(child) == 20
    assert not set(child) & set(parent)
