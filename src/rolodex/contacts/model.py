"""The canonical contact (DESIGN.md) and the rules a contact's data must follow.

`contactData` is validated field by field (types, lengths, list sizes) and then stored
as the client sent it, with JSON nulls removed: in this API `null` means absent. Any
field not named here is refused with a 400 rather than silently dropped, so a client
can never believe it stored something that was thrown away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, overload

import orjson
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from rolodex.errors import InvalidInput
from rolodex.problems import sentence

# Documented in docs/limits.md.
MAX_TEXT = 1024
MAX_NOTES = 65_536
MAX_LIST = 100
MAX_ITEMS = 200
# What a page counts for a contact beyond its stored data and metadata (its id, etag,
# times and tags as shown): `Contact.stored_size`.
PAGE_ROW_OVERHEAD = 256


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold U+0000; refusing it everywhere keeps both stores alike.
    if "\x00" in value:
        raise ValueError("may not contain the NUL character")
    return value


Text = Annotated[str, StringConstraints(max_length=MAX_TEXT), AfterValidator(_no_nul)]
Notes = Annotated[str, StringConstraints(max_length=MAX_NOTES), AfterValidator(_no_nul)]


class _Part(BaseModel):
    # strict: a number is not a string and "true" is not a boolean; forbid: no silent drops.
    model_config = ConfigDict(extra="forbid", strict=True)


class Name(_Part):
    givenName: Text | None = None
    middleName: Text | None = None
    familyName: Text | None = None
    prefix: Text | None = None
    suffix: Text | None = None


class Labeled(_Part):
    """The `{type, value}` pair most repeated fields use (emails, phones, ims, items...)."""

    type: Text | None = None
    value: Text | None = None


def email_problem(value: str) -> str | None:
    """Why `value` cannot be an email address, or None when it may be one.

    The one rule every way in shares (the APIs, imports and the web form,
    docs/api-notes.md): an `@` with text on either side. Anything subtler (a domain
    that does not exist, an odd local part) is left to the person; an empty value is
    an entry without an address, not a bad one.
    """
    local, at, domain = value.partition("@")
    if value and not (local.strip() and at and domain.strip()):
        return "an email address needs an @ with text either side"
    return None


def phone_problem(value: str) -> str | None:
    """Why `value` cannot be a phone number, or None when it may be one.

    The shared rule (docs/api-notes.md): at least one digit. People write numbers every
    way (`+1 (415) 555-0100 ext. 12`, `1-800-FLOWERS`), so nothing else is refused.
    """
    if value and not any(ch.isdigit() for ch in value):
        return "a phone number needs at least one digit"
    return None


def _email(value: str | None) -> str | None:
    problem = email_problem(value) if value is not None else None
    if problem:
        raise PydanticCustomError("email", problem)
    return value


def _phone(value: str | None) -> str | None:
    problem = phone_problem(value) if value is not None else None
    if problem:
        raise PydanticCustomError("phone", problem)
    return value


# The JSON Schema of a value (the OpenAPI documents) says the same rule as a pattern.
_EMAIL_PATTERN = r"^$|^[^@]*[^@\s][^@]*@[\s\S]*\S[\s\S]*$"
_PHONE_PATTERN = r"^$|[0-9]"


EMAIL_RULE = [AfterValidator(_email), Field(json_schema_extra={"pattern": _EMAIL_PATTERN})]
PHONE_RULE = [AfterValidator(_phone), Field(json_schema_extra={"pattern": _PHONE_PATTERN})]
"""The rules as annotations, for the other dialects' own email and phone fields."""


class Email(Labeled):
    value: Annotated[
        Text | None, AfterValidator(_email), Field(json_schema_extra={"pattern": _EMAIL_PATTERN})
    ] = None


class Phone(Labeled):
    value: Annotated[
        Text | None, AfterValidator(_phone), Field(json_schema_extra={"pattern": _PHONE_PATTERN})
    ] = None


class PartialDate(_Part):
    """A date whose parts may each be unknown (a birthday without a year, say)."""

    month: Annotated[int, Field(ge=1, le=12)] | None = None
    day: Annotated[int, Field(ge=1, le=31)] | None = None
    year: Annotated[int, Field(ge=1, le=9999)] | None = None


class LabeledDate(PartialDate):
    type: Text | None = None


class Address(_Part):
    type: Text | None = None
    street: Text | None = None
    city: Text | None = None
    region: Text | None = None
    postalCode: Text | None = None
    country: Text | None = None
    extendedAddress: Text | None = None
    poBox: Text | None = None
    formatted: Text | None = None


class Organization(_Part):
    name: Text | None = None
    department: Text | None = None
    title: Text | None = None
    location: Text | None = None
    description: Text | None = None
    startDate: PartialDate | None = None
    endDate: PartialDate | None = None


class Url(_Part):
    type: Text | None = None
    value: Text | None = None
    username: Text | None = None
    userId: Text | None = None


LabeledList = Annotated[list[Labeled], Field(max_length=MAX_LIST)]


class ContactData(_Part):
    name: Name | None = None
    displayName: Text | None = None
    emails: Annotated[list[Email], Field(max_length=MAX_LIST)] | None = None
    phoneNumbers: Annotated[list[Phone], Field(max_length=MAX_LIST)] | None = None
    addresses: Annotated[list[Address], Field(max_length=MAX_LIST)] | None = None
    organizations: Annotated[list[Organization], Field(max_length=MAX_LIST)] | None = None
    urls: Annotated[list[Url], Field(max_length=MAX_LIST)] | None = None
    ims: LabeledList | None = None
    relatedPeople: LabeledList | None = None
    dates: Annotated[list[LabeledDate], Field(max_length=MAX_LIST)] | None = None
    birthday: PartialDate | None = None
    notes: Notes | None = None
    items: Annotated[list[Labeled], Field(max_length=MAX_ITEMS)] | None = None
    photos: LabeledList | None = None


def validation_problems(exc: ValidationError, prefix: str) -> list[dict[str, str]]:
    """Pydantic's errors as `{field, problem}` pairs, with dotted paths from the request root.

    The problem is a sentence in Rolodex's words (`rolodex.problems`), never pydantic's.
    """
    problems = []
    for error in exc.errors(include_url=False):
        path = ".".join(str(part) for part in (prefix, *error["loc"]) if part != "")
        problems.append({"field": path, "problem": sentence(error)})
    return problems


def invalid_from(exc: ValidationError, prefix: str) -> InvalidInput:
    problems = validation_problems(exc, prefix)
    first = problems[0]
    return InvalidInput(
        f"{first['field']}: {first['problem']}", field=first["field"], details=problems
    )


def clean_contact_data(raw: object, *, field_name: str = "contact.contactData") -> dict[str, Any]:
    """Validate `contactData` and return it as it will be stored: nulls removed, nothing else changed."""
    if raw is None:
        return {}
    try:
        model = ContactData.model_validate(raw)
    except ValidationError as exc:
        raise invalid_from(exc, field_name) from None
    return model.model_dump(exclude_none=True)


class StoredJSON:
    """A JSON object field that may hold the stored text until someone reads it.

    The hot reads (contacts/repository/quick.py) hand over `contactData` as the text the
    store holds, and a page of contacts that is only rendered back to JSON never pays
    for parsing it: on this project's machine, parsing a contact's data cost more than
    the rest of reading it (docs/benchmarks.md). The first read of the attribute parses
    and keeps the object, so every other user sees a plain dict.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = "_" + name

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> StoredJSON: ...
    @overload
    def __get__(self, obj: object, objtype: type | None = None) -> dict[str, Any]: ...
    def __get__(self, obj: object | None, objtype: type | None = None) -> Any:
        if obj is None:
            # For dataclasses: the field has no default.
            raise AttributeError(self._slot)
        value = obj.__dict__[self._slot]
        if isinstance(value, str):
            value = obj.__dict__[self._slot] = orjson.loads(value)
        return value

    def __set__(self, obj: object, value: dict[str, Any] | str) -> None:
        obj.__dict__[self._slot] = value


@dataclass
class Contact:
    """One stored contact: its identity, versions, data and metadata.

    `data` and `meta` may be given as the stored JSON text; each is parsed on its first
    read (StoredJSON).
    """

    pk: int
    contact_id: str
    owner_id: str
    etag: str
    created_at: int
    updated_at: int
    deleted_at: int | None
    data: StoredJSON = StoredJSON()
    meta: StoredJSON = StoredJSON()
    tag_ids: list[str] = field(default_factory=list)

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    def stored_size(self) -> int:
        """What a page counts for this contact (docs/limits.md, Pages).

        Its data and metadata as stored (JSON), a byte a character when all of it is
        ASCII and otherwise four (the most UTF-8 takes: never less than the real size,
        and no encoding to count it), plus PAGE_ROW_OVERHEAD for the rest of what an API
        shows. `ContactRepository.scroll_page` (repository/quick.py) counts the same, inline.
        """
        data, meta = self.__dict__["_data"], self.__dict__["_meta"]
        if not isinstance(data, str):
            data = orjson.dumps(data).decode()
        if not isinstance(meta, str):
            meta = orjson.dumps(meta).decode()
        size = len(data) + len(meta)
        return (size if data.isascii() and meta.isascii() else 4 * size) + PAGE_ROW_OVERHEAD

    def data_for_json(self) -> dict[str, Any] | orjson.Fragment:
        """`data` for `orjson.dumps`, without parsing it if it was never read."""
        value = self.__dict__["_data"]
        return orjson.Fragment(value) if isinstance(value, str) else value
