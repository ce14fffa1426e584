from dui import selectors
from dui.actor import actor_of


def active_membership(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = getattr(user, "membership", None)
    return {
        "active_membership": membership,
        "other_memberships": selectors.switchable_memberships(actor_of(request)),
    }
