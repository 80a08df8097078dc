"""Every router of the portal, in the order `jaga.app` includes them (one line per part of the portal)."""

from __future__ import annotations

from fastapi import APIRouter

from jaga.portal.home import router as home_router
from jaga.portal.verify import router as verify_router

ROUTERS: list[APIRouter] = [
    home_router,
    verify_router,
]
