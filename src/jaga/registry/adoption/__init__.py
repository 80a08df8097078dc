"""Adoption cases: the legal workflow (pure), services, API and CLI."""
