"""The verified caller, and the scopes each role grants."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ADMIN = "admin"
# Each role's scopes; `*` stands for every resource or every action: `*:read`, `orders:*`, `*`.
DEFAULT_ROLE_SCOPES: dict[str, list[str]] = {
    "viewer": ["*:read"],
    "editor": ["*:read", "*:write"],
    ADMIN: ["*"],
}


@dataclass(frozen=True, slots=True)
class Principal:
    """The subject of a verified token, its roles, and every scope it holds."""

    subject: str
    roles: frozenset[str]
    scopes: frozenset[str]  # the token's own scopes, taken literally, and its roles' patterns

    @property
    def is_admin(self) -> bool:
        """Whether the caller holds the admin role."""
        return ADMIN in self.roles

    def allows(self, scope: str) -> bool:
        """Whether one of the held scopes covers `scope` (`products:write`)."""
        resource, _, action = scope.partition(":")
        return not self.scopes.isdisjoint((scope, f"{resource}:*", f"*:{action}", "*"))


def principal(
    subject: str, roles: Iterable[str], token_scopes: Iterable[str], role_scopes: Mapping[str, list[str]]
) -> Principal:
    """The principal of a token; a wildcard in the token's own scopes grants nothing."""
    held = {scope for scope in token_scopes if "*" not in scope}
    roles = frozenset(roles)
    held.update(scope for role in roles for scope in role_scopes.get(role, ()))
    return Principal(subject=subject, roles=roles, scopes=frozenset(held))
