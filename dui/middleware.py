"""Resolve the active membership once per request and attach it to the user."""

from dui.models import Membership

SESSION_KEY = "active_membership_id"


def resolve_membership(user, wanted_id) -> Membership | None:
    """The wanted active membership of the user, else their first active one, else None."""
    memberships = Membership.objects.active().filter(user=user).select_related("essms__og").order_by("pk")
    chosen = None
    if wanted_id is not None:
        chosen = memberships.filter(pk=wanted_id).first()
    return chosen or memberships.first()


class ActiveMembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            membership = resolve_membership(user, request.session.get(SESSION_KEY))
            user.membership = membership
            if membership is None:
                request.session.pop(SESSION_KEY, None)
            elif request.session.get(SESSION_KEY) != membership.pk:
                request.session[SESSION_KEY] = membership.pk
        return self.get_response(request)
