"""The kit every router uses: problem details (RFC 9457), the unit-of-work dependency, pagination.

Imports only `jaga.db`, `jaga.errors` and the web framework.
"""
