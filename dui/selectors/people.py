"""Professionals looked up outside any ESSMS scope: the login, before an ESSMS is chosen."""

from dui.models import User


def user_for_rpps(rpps: str) -> User | None:
    """The active professional account carrying this RPPS (unique when set), partner systems excluded."""
    if not rpps:
        return None
    return User.objects.filter(rpps=rpps, is_active=True, is_partner_system=False).first()
