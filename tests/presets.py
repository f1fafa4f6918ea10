"""Answer presets: the one list the fast tests, the generated-project gates and CI draw from."""

from typing import Any

BASE_ANSWERS: dict[str, Any] = {
    "project_name": "Product Service",
    "author_name": "Platform Team",
    "author_email": "platform@example.com",
}

EXAMPLE_FIELDS = "title:str, due:date?, done:bool=false, weight:float?, ref:uuid, body:text?"

PRESETS: dict[str, dict[str, Any]] = {
    # The questionnaire's own defaults.
    "default": {},
    # The field spec the documentation uses as its example.
    "example": {"resource_name": "task", "resource_fields": EXAMPLE_FIELDS},
    # Odd but valid answers: quotes, a colon, '#', non-ASCII, a multi-word resource, every modifier.
    "odd": {
        "project_name": 'Zürich "Orders": #1 Service',
        "description": "Orders: it's the 'best' # service",
        "author_name": "Zoë O'Brien",
        "license": "Apache-2.0",
        "resource_name": "order_item",
        "resource_fields": (
            "sku:str(32)!, unit_price:decimal(10,2)=9.99, placed_at:datetime?, code:uuid?!,"
            " active:bool=true, quantity:int=1, note:text?, label:str(40)?=\"a, b\""
        ),
    },
}


def answers(preset: str, **overrides: Any) -> dict[str, Any]:
    """The full answers of `preset`, with `overrides` on top."""
    return {**BASE_ANSWERS, **PRESETS[preset], **overrides}
