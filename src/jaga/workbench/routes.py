"""Every router of the workbench, in the order `jaga.app` includes them."""

from __future__ import annotations

from fastapi import APIRouter

from jaga.workbench.adoption import router as adoption_router
from jaga.workbench.audit import router as audit_router
from jaga.workbench.certificate_pdf import router as certificate_router
from jaga.workbench.flags import router as flags_router
from jaga.workbench.imports import router as imports_router
from jaga.workbench.ledger import router as ledger_router
from jaga.workbench.login import router as login_router
from jaga.workbench.nik_check import router as nik_router
from jaga.workbench.people import router as people_router
from jaga.workbench.queue import router as queue_router
from jaga.workbench.records import router as records_router
from jaga.workbench.review import router as review_router
from jaga.workbench.search import router as search_router
from jaga.workbench.tips import router as tips_router

ROUTERS: list[APIRouter] = [
    login_router,
    queue_router,
    people_router,
    flags_router,
    review_router,
    audit_router,
    adoption_router,
    search_router,
    ledger_router,
    imports_router,
    records_router,
    nik_router,
    certificate_router,
    tips_router,
]
