"""The registry: people, births, facilities, attendants, officials, institutions, relinquishments,
placements, adoption cases with their legal workflow, and missing-child reports.

The core (models, schemas, services, workflow) knows nothing of HTTP or the command line; `api` and `cli`
modules are the adapters.
"""
