"""Answer presets: the one list the fast tests, the generated-project gates and CI draw from."""

from typing import Any

BASE_ANSWERS: dict[str, Any] = {
    "license": "MIT",
    "project_name": "Product Service",
    "author_name": "Platform Team",
    "author_email": "platform@example.com",
}

# The questionnaire's default resource (copier.yml), and the spec the documentation uses as its example.
DEFAULT_FIELDS = "name:str(120), description:text?, price:decimal(12,2){ge=0}, stock:int{ge=0}=0"
EXAMPLE_FIELDS = "title:str, due:date?, done:bool=false, weight:float?, ref:uuid, body:text?"

DOMAIN_RESOURCES = [
    {
        "name": "customer",
        "fields": "name:str(120), email:email!, tier:enum(basic|gold|platinum)=basic, vip:bool=false, ref:uuid?!",
    },
    {"name": "category", "plural": "categories", "fields": "name:str(60)!, parent:ref(category){on_delete=set_null}?"},
    {
        "name": "product",
        "fields": (
            'code:str(3){pattern="^[A-Z]{3}$"}!, name:str(120){min_length=3}, price:decimal(12,2){ge=0,index},'
            " rating:int{ge=1,le=5}?, category:ref{on_delete=restrict}, released:date{ge=2000-01-01}?"
        ),
    },
    {
        "name": "order",
        "owned": True,
        "fields": (
            "customer:ref{on_delete=cascade}, status:enum(draft|placed|shipped){index}=draft,"
            " placed_at:datetime{ge=2020-01-01T00:00:00+00:00}?, total:decimal(12,2){ge=0}=0, weight:float{gt=0}?,"
            " note:text?"
        ),
    },
    {
        "name": "order_line",
        "fields": (
            "order:ref{on_delete=cascade}, product:ref, quantity:int{gt=0,le=1000}=1,"
            " discount:decimal(5,2){ge=0,lt=100}=0"
        ),
    },
]

PRESETS: dict[str, dict[str, Any]] = {
    # The questionnaire's own defaults.
    "default": {},
    # The field spec the documentation uses as its example.
    "example": {
        "resources": [{"name": "task", "fields": EXAMPLE_FIELDS, "owned": True}],
        "license": "BSD-3-Clause",
        "ci_provider": "gitlab",
        "auth": "api_key",
        "tracing": "otlp",
    },
    # Odd but valid answers: quotes, a colon, '#', backslashes, Jinja and GitHub expressions kept as text,
    # non-ASCII, a multi-word resource, every modifier.
    "odd": {
        "project_name": 'Zürich "Orders": #1 {{ 7*7 }} \\ Service',
        "project_description": "Orders: it's the 'best' # service, C:\\temp {% raw %} ${{ secrets.TOKEN }}",
        "author_name": 'Zoë O\'Brien \\ "Ops"',
        "license": "Apache-2.0",
        "infrastructure": "aws",
        "aws_account_id": "123456789012",
        "resources": [
            {
                "name": "order_item",
                "owned": True,  # owned rows under the default auth, local
                "fields": (
                    "sku:str(32)!, unit_price:decimal(10,2)=9.99, placed_at:datetime?, code:uuid?!,"
                    ' active:bool=true, quantity:int=1, note:text?, label:str(40)?="a, b # {{ 7*7 }}",'
                    ' type:str(20)=standard, path:str(60)="C:\\temp\\x"'
                ),
            }
        ],
    },
    # Every type with a default, and names at their length limits (the generated code must still
    # be formatted and typed): resource 20 characters, plural 24, field names 32.
    "limits": {
        "project_slug": "a" * 40,
        "license": "Proprietary",
        "ci_provider": "none",
        "deployment": "none",
        "auth": "none",
        "resources": [
            {
                "name": "inventory_line_entry",
                "plural": "inventory_line_entries",
                "fields": (
                    'a_field_name_of_32_characters_ab:decimal(38,10)!=1.5, b:int?=2000000000, c:str(10000)?="q, r",'
                    " d:datetime?=2024-01-01T00:00:00+00:00, e:uuid=00000000-0000-0000-0000-000000000001,"
                    " f:date=2024-02-03, g:float=1.5, h:bool=true, i:text=long text default of 32 chars"
                ),
            }
        ],
    },
    # A domain of five resources: a chain of refs, a self-reference, every on_delete, type and rule.
    "domain": {
        "project_name": "Shop Service",
        "ci_provider": "gitlab",
        "resources": DOMAIN_RESOURCES,
        "auth": "oidc",
        "infrastructure": "aws",
        "aws_account_id": "210987654321",
    },
}


def answers(preset: str, **overrides: Any) -> dict[str, Any]:
    """The full answers of `preset`, with `overrides` on top."""
    return {**BASE_ANSWERS, **PRESETS[preset], **overrides}
