"""Pure name handling: no ORM, no web, no other jaga package.

For now the registry's stored `name_normalised` form; Indonesian spelling variants and phonetic keys for
linkage build on it.
"""

from jaga.names.normalise import basic_form

__all__ = ["basic_form"]
