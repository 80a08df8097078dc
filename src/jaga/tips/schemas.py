"""What a tip, a follow-up and an officer's act may hold: Pydantic models shared by the portal's forms
and the API. Every message is an English message id that the portal translates (`lapor.po`), and none
repeats what was typed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator, model_validator
from pydantic_core import PydanticCustomError

from jaga.regions import RegionLevel, load_directory
from jaga.tips import fields
from jaga.tips.models import Platform, TipStatus

MAX_DESCRIPTION = 5000
MAX_MESSAGE = 3000
MAX_NOTE = 2000

PLATFORM_MESSAGE = "Choose where you saw the offer."
PROVINCE_MESSAGE = "Choose a province from the list, or leave it empty."
EMPTY_MESSAGE = "Fill in at least one of: link, account name, phone number or description."
DESCRIPTION_MESSAGE = "Write at most 5,000 characters."
PLACE_MESSAGE = "Write the place in at most 200 characters."
MESSAGE_EMPTY = "Write what you want to add."
MESSAGE_TOO_LONG = "Write at most 3,000 characters."


def _problem(message: str) -> PydanticCustomError:
    return PydanticCustomError("tip_field", message)


def _text(value: Any, limit: int, message: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _problem(message)
    cleaned = fields.clean_text(value)
    if cleaned is not None and len(cleaned) > limit:
        raise _problem(message)
    return cleaned


class TipIn(BaseModel):
    """A tip as the public sends it. At least one of link, account, phone or description."""

    model_config = ConfigDict(extra="forbid")

    platform: Platform
    url: str | None = None
    handle: str | None = None
    phone: str | None = None
    place: str | None = None
    province: str | None = None  # two digits, from the form's list
    price_rupiah: int | None = None
    description: str | None = None

    @field_validator("platform", mode="before")
    @classmethod
    def _platform(cls, value: Any) -> Any:
        if not isinstance(value, str) or value not in {p.value for p in Platform}:
            raise _problem(PLATFORM_MESSAGE)
        return value

    @field_validator("url", mode="before")
    @classmethod
    def _url(cls, value: Any) -> str | None:
        text = _text(value, fields.MAX_URL, fields.URL_MESSAGE)
        try:
            return fields.web_url(text) if text else None
        except ValueError as exc:
            raise _problem(str(exc)) from exc

    @field_validator("handle", mode="before")
    @classmethod
    def _handle(cls, value: Any) -> str | None:
        if isinstance(value, str) and "\n" in value.strip():
            raise _problem(fields.HANDLE_MESSAGE)
        return _text(value, fields.MAX_HANDLE, fields.HANDLE_MESSAGE)

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, value: Any) -> str | None:
        text = _text(value, 40, fields.PHONE_MESSAGE)
        try:
            return fields.phone_e164(text) if text else None
        except ValueError as exc:
            raise _problem(str(exc)) from exc

    @field_validator("place", mode="before")
    @classmethod
    def _place(cls, value: Any) -> str | None:
        return _text(value, fields.MAX_PLACE, PLACE_MESSAGE)

    @field_validator("province", mode="before")
    @classmethod
    def _province(cls, value: Any) -> str | None:
        text = _text(value, 2, PROVINCE_MESSAGE)
        if text is None:
            return None
        region = load_directory().get(text) if text.isdigit() else None
        if region is None or region.level != RegionLevel.PROVINCE:
            raise _problem(PROVINCE_MESSAGE)
        return text

    @field_validator("price_rupiah", mode="before")
    @classmethod
    def _price(cls, value: Any) -> int | None:
        if value is None or isinstance(value, bool):
            if isinstance(value, bool):
                raise _problem(fields.PRICE_MESSAGE)
            return None
        if isinstance(value, int):
            if not 0 < value <= fields.MAX_PRICE:
                raise _problem(fields.PRICE_MESSAGE)
            return value
        text = _text(value, 60, fields.PRICE_MESSAGE)
        try:
            return fields.price_rupiah(text) if text else None
        except ValueError as exc:
            raise _problem(str(exc)) from exc

    @field_validator("description", mode="before")
    @classmethod
    def _description(cls, value: Any) -> str | None:
        return _text(value, MAX_DESCRIPTION, DESCRIPTION_MESSAGE)

    @model_validator(mode="after")
    def _something(self) -> TipIn:
        if not (self.url or self.handle or self.phone or self.description):
            raise _problem(EMPTY_MESSAGE)
        return self


class AdditionIn(BaseModel):
    """What a tipster adds later, maybe answering an officer's question (its number)."""

    model_config = ConfigDict(extra="forbid")

    body: str
    reply_to: int | None = None

    @field_validator("body", mode="before")
    @classmethod
    def _body(cls, value: Any) -> str:
        text = _text(value, MAX_MESSAGE, MESSAGE_TOO_LONG)
        if not text:
            raise _problem(MESSAGE_EMPTY)
        return text


class QuestionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str

    @field_validator("question", mode="before")
    @classmethod
    def _question(cls, value: Any) -> str:
        text = _text(value, MAX_MESSAGE, MESSAGE_TOO_LONG)
        if not text:
            raise _problem("Write the question.")
        return text


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: TipStatus
    note: str | None = None

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, value: Any) -> str | None:
        return _text(value, MAX_NOTE, "Write at most 2,000 characters.")
