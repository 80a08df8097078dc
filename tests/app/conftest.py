"""The web application's tests use `client_for` from tests/conftest.py."""

from tests.conftest import ClientFor

__all__ = ["ClientFor"]
