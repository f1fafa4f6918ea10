"""Entity tags: a row's version (its updated_at, to the microsecond) as a strong ETag, and the preconditions.

`If-Match` makes PUT, PATCH and DELETE conditional: the write happens only while the row is still
at one of the versions named (412 otherwise), so two clients that read the same version cannot
both write. `If-None-Match` on GET answers 304 while the client's copy is current.
`REQUIRE_IF_MATCH=true` refuses a write without `If-Match` with 428.
"""

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Protocol

from fastapi import Depends, Header, Response, status

from app.core.config import get_settings
from app.core.errors import PreconditionRequiredError
from app.repositories.base import Versions

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
ANY = "*"


class Versioned(Protocol):
    """A representation that carries its row's version."""

    @property
    def updated_at(self) -> datetime:
        """When the row was last written."""
        ...


def etag(version: datetime) -> str:
    """The strong entity tag of a row at `version`."""
    return f'"{(version - EPOCH) // MICROSECOND:x}"'


def _version(tag: str) -> datetime | None:
    """The version a strong tag of ours names; None for a weak or foreign tag (it matches no version)."""
    if len(tag) < 3 or not (tag.startswith('"') and tag.endswith('"')):
        return None
    try:
        return EPOCH + int(tag[1:-1], 16) * MICROSECOND
    except (ValueError, OverflowError):
        return None


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


async def if_match(
    if_match: Annotated[
        str | None,
        Header(
            description="Write only if the row is still at one of these ETags (412 otherwise); `*`: any version.",
            max_length=1024,
        ),
    ] = None,
) -> Versions | None:
    """The versions a write is conditional on; None when it is not (no header, or `*`)."""
    if if_match is None:
        if get_settings().require_if_match:
            raise PreconditionRequiredError("This write needs an If-Match header with the ETag you last read.")
        return None
    tags = _tags(if_match)
    if ANY in tags:
        return None
    return tuple(version for version in map(_version, tags) if version is not None)


async def if_none_match(
    if_none_match: Annotated[
        str | None,
        Header(description="Answer 304 without a body while the row is at one of these ETags.", max_length=1024),
    ] = None,
) -> frozenset[str]:
    """The tags the client holds (weak ones compared by their opaque part), `*` included."""
    if if_none_match is None:
        return frozenset()
    return frozenset(tag.removeprefix("W/") for tag in _tags(if_none_match))


IfMatchDep = Annotated[Versions | None, Depends(if_match)]
IfNoneMatchDep = Annotated[frozenset[str], Depends(if_none_match)]


def tag(response: Response, row: Versioned) -> None:
    """Set the ETag of `row` on `response`."""
    response.headers["ETag"] = etag(row.updated_at)


def not_modified(row: Versioned, held: frozenset[str]) -> Response | None:
    """An empty 304 carrying the row's ETag when the client holds that tag already, else None."""
    current = etag(row.updated_at)
    if current in held or ANY in held:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": current})
    return None


_ETAG_HEADER = {"ETag": {"description": "The row's version, for If-Match.", "schema": {"type": "string"}}}


def etag_responses(*status_codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries: the ETag header on each of `status_codes`, 304 described too."""
    described = {"description": "Not Modified: the row is still at the ETag sent."}
    return {code: {"headers": _ETAG_HEADER, **(described if code == 304 else {})} for code in status_codes}
