"""Anonymous tips about babies for sale ("Lapor"): submitted on the public portal with a receipt code,
followed up by their tipster, read and handled by police and social workers of the region they name
(the national desk for tips that name none), matched against the registry.

The core (models, schemas, services, matching, receipts, screenshots) knows nothing of HTTP or the
command line; `api` and `cli` are the adapters and are not imported here.
"""

from jaga.tips.models import MessageKind, Platform, Tip, TipMatch, TipMessage, TipScreenshot, TipStatus
from jaga.tips.schemas import AdditionIn, QuestionIn, StatusIn, TipIn
from jaga.tips.screenshots import MAX_BYTES, CleanImage, clean_screenshot
from jaga.tips.services import (
    Submitted,
    TipFilter,
    TipPage,
    add_information,
    ask_question,
    change_status,
    count_tips,
    follow_tip,
    get_screenshot,
    get_tip,
    list_tips,
    submit_tip,
)

__all__ = [
    "MAX_BYTES",
    "AdditionIn",
    "CleanImage",
    "MessageKind",
    "Platform",
    "QuestionIn",
    "StatusIn",
    "Submitted",
    "Tip",
    "TipFilter",
    "TipIn",
    "TipMatch",
    "TipMessage",
    "TipPage",
    "TipScreenshot",
    "TipStatus",
    "add_information",
    "ask_question",
    "change_status",
    "clean_screenshot",
    "count_tips",
    "follow_tip",
    "get_screenshot",
    "get_tip",
    "list_tips",
    "submit_tip",
]
