"""Every router of the portal, in the order `jaga.app` includes them (one line per part of the portal)."""

from __future__ import annotations

from fastapi import APIRouter

from jaga.portal.guide import router as guide_router
from jaga.portal.home import router as home_router
from jaga.portal.lapor import router as lapor_router
from jaga.portal.lembaga import router as lembaga_router
from jaga.portal.verify import router as verify_router

ROUTERS: list[APIRouter] = [
    home_router,
    verify_router,
    lembaga_router,
    guide_router,
    lapor_router,
]
