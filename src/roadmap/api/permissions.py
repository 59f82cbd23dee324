"""Who may do what through the API: for now, anyone may read what is public, and nobody writes.
Requests are read as an anonymous visitor (no session or token is looked at), so the selectors'
public scope is the whole of what the API can show."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import SAFE_METHODS, BasePermission


class PublicReadOnly(BasePermission):
    """Reads for everyone; any other method is a 405 (with Allow), not a 401 or 403, since no
    credentials would change the answer."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method not in SAFE_METHODS:
            raise MethodNotAllowed(request.method)
        return True
