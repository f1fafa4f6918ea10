"""Answer presets: the one list the fast tests, the generated-project gates and CI draw from."""

from typing import Any

BASE_ANSWERS: dict[str, Any] = {
    "license": "MIT",
    "project_name": "Product Service",
    "author_name": "Platform Team",
    "author_email": "platform@example.com",
}

EXAMPLE_FIELDS = "title:str, due:date?, done:bool=false, weight:float?, ref:uuid, body:text?"

PRESETS: dict[str, dict[str, Any]] = {
    # The questionnaire's own defaults.
    "default": {},
    # The field spec the documentation uses as its example.
    "example": {
        "resource_name": "task",
        "resource_fields": EXAMPLE_FIELDS,
        "license": "BSD-3-Clause",
        "ci_provider": "gitlab",
    },
    # Odd but valid answers: quotes, a colon, '#', backslashes, Jinja and GitHub expressions kept as text,
    # non-ASCII, a multi-word resource, every modifier.
    "odd": {
        "project_name": 'Zürich "Orders": #1 {{ 7*7 }} \\ Service',
        "project_description": "Orders: it's the 'best' # service, C:\\temp {% raw %} ${{ secrets.TOKEN }}",
        "author_name": 'Zoë O\'Brien \\ "Ops"',
        "license": "Apache-2.0",
        "resource_name": "order_item",
        "resource_fields": (
            "sku:str(32)!, unit_price:decimal(10,2)=9.99, placed_at:datetime?, code:uuid?!,"
            ' active:bool=true, quantity:int=1, note:text?, label:str(40)?="a, b # {{ 7*7 }}",'
            ' type:str(20)=standard, path:str(60)="C:\\temp\\x"'
        ),
    },
    # Every type with a default, and names at their length limits (the generated code must still
    # be formatted and typed): resource 20 characters, plural 24, field names 32.
    "limits": {
        "project_slug": "a" * 40,
        "license": "Proprietary",
        "ci_provider": "none",
        "deployment": "none",
        "resource_name": "inventory_line_entry",
        "resource_plural": "inventory_line_entries",
        "resource_fields": (
            'a_field_name_of_32_characters_ab:decimal(38,10)!=1.5, b:int?=2000000000, c:str(10000)?="q, r",'
            " d:datetime?=2024-01-01T00:00:00+00:00, e:uuid=00000000-0000-0000-0000-000000000001,"
            " f:date=2024-02-03, g:float=1.5, h:bool=true, i:text=long text default of 32 chars"
        ),
    },
}


def answers(preset: str, **overrides: Any) -> dict[str, Any]:
    """The full answers of `preset`, with `overrides` on top."""
    return {**BASE_ANSWERS, **PRESETS[preset], **overrides}
