"""Pydantic schemas: the API's bodies and responses, and the importers' rows (the same classes)."""
