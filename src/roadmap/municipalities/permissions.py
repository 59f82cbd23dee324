"""Who may do what in a municipality. Every app's permissions build on these."""

from __future__ import annotations

from .models import Membership, Municipality, Role


def roles_in(user, municipality: Municipality) -> frozenset[str]:
    """The user's roles in a municipality, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = user.__dict__.setdefault("_municipal_roles", {})
    if municipality.pk not in cache:
        cache[municipality.pk] = frozenset(
            Membership.objects.filter(user=user, municipality=municipality).values_list(
                "role", flat=True
            )
        )
    return cache[municipality.pk]


def is_member(user, municipality: Municipality) -> bool:
    return bool(roles_in(user, municipality))


def has_role(user, municipality: Municipality, *roles: str) -> bool:
    """Administrators hold every role in their own municipality."""
    held = roles_in(user, municipality)
    return Role.ADMINISTRATOR in held or bool(held.intersection(roles))


def can_administer(user, municipality: Municipality) -> bool:
    return has_role(user, municipality, Role.ADMINISTRATOR)


def roles_everywhere(user) -> list[tuple[Municipality, frozenset[str]]]:
    """Every municipality where the user holds a role, by name, with those roles: one query,
    which also answers `roles_in` for each of them for the rest of the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    held: dict[int, tuple[Municipality, set[str]]] = {}
    for membership in Membership.objects.filter(user=user).select_related("municipality"):
        entry = held.setdefault(membership.municipality_id, (membership.municipality, set()))
        entry[1].add(membership.role)
    cache = user.__dict__.setdefault("_municipal_roles", {})
    found = []
    for pk, (municipality, roles) in held.items():
        cache[pk] = frozenset(roles)
        found.append((municipality, cache[pk]))
    return sorted(found, key=lambda entry: entry[0].name)
