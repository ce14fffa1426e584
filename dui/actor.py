"""Who acts: built once per request, task or token call and handed to services and selectors.

Services never look at a request: the actor carries the user, the membership resolved for this
call (its ESSMS and métier), the channel the access log records and the client address.
"""

from dataclasses import dataclass
from typing import Any

from dui.models import Channel, Membership


@dataclass(frozen=True, eq=False)
class Actor:
    user: Any
    channel: str = Channel.WEB
    ip: str | None = None
    token_name: str = ""

    @property
    def membership(self) -> Membership | None:
        user = self.user
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return None
        return getattr(user, "membership", None)

    @property
    def essms_id(self) -> int | None:
        membership = self.membership
        return membership.essms_id if membership else None

    @property
    def metier(self) -> str:
        membership = self.membership
        return membership.metier if membership else ""

    def can(self, action: str, obj) -> bool:
        from dui.permissions import can

        return can(self, action, obj)

    def require(self, action: str, obj) -> None:
        from dui.permissions import require

        require(self, action, obj)

    @classmethod
    def for_task(cls, user, membership: Membership | None = None, *, channel: str = Channel.TASK) -> "Actor":
        """A background task acts for a user in one membership, resolved explicitly (no request)."""
        if membership is not None:
            user.membership = membership
        return cls(user=user, channel=channel)


def actor_of(request) -> "Actor":
    """The request's actor, built on first use (after DRF authentication for the API) and kept."""
    raw = getattr(request, "_request", request)
    actor = getattr(raw, "actor", None)
    user = getattr(request, "user", None)
    if actor is None or actor.user is not user:
        auth = getattr(request, "auth", None)
        actor = Actor(
            user=user,
            channel=getattr(raw, "audit_channel", Channel.WEB),
            ip=raw.META.get("REMOTE_ADDR") or None,
            token_name=getattr(auth, "name", "") or "",
        )
        raw.actor = actor
    return actor


def user_of(subject):
    """The user behind an Actor (or the user itself): the rights and the log read the user."""
    return subject.user if isinstance(subject, Actor) else subject
