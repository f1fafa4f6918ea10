"""Input types whose validation is exactly what the OpenAPI document says of them."""

from datetime import date
from typing import Annotated, Any

from pydantic import AwareDatetime, BeforeValidator


def _iso_text(value: Any) -> Any:
    """Refuse what pydantic would read as a Unix time (a number, or digits in a string): dates are ISO 8601 text."""
    if not isinstance(value, str) or value.strip().lstrip("+-").replace(".", "", 1).isdigit():
        raise ValueError("must be an ISO 8601 string, such as 2024-01-31 or 2024-01-31T12:00:00Z")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_text)]
IsoDatetime = Annotated[AwareDatetime, BeforeValidator(_iso_text)]
