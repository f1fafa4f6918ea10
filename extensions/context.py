"""Names nobody edits, computed from the answers and added to the rendering context."""

from __future__ import annotations

from typing import Any

from copier_template_extensions import ContextHook

from .resources import ResourceSpecError, parse_resources


class ContextUpdater(ContextHook):
    """Adds `parsed_resources`, the list every per-resource template iterates over, and the field types used."""

    def hook(self, context: dict[str, Any]) -> None:
        """Resolve the `resources` answer once it is known and valid."""
        if "resources" not in context:
            return
        try:
            resources = parse_resources(context["resources"])
        except ResourceSpecError:
            return  # the questionnaire's validator reports the error in one line
        context["parsed_resources"] = resources
        context["field_types"] = {field.type for resource in resources for field in resource.fields}
