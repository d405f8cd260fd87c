"""Strong sign-in before exports and breach queries: the accounts app's decorator once it is installed."""

from __future__ import annotations

try:
    from accounts.reauth import reauth_required
except ImportError:  # strong sign-in not installed yet: the pages stay behind the normal sign-in
    def reauth_required(view):
        return view

__all__ = ["reauth_required"]
