"""Two kinds of accounts that never meet: portal accounts stay under /portail/, professionals out of it.

Runs after ActiveMembershipMiddleware: a user with a membership is a professional (no query
added to their requests); a user without one is looked up as a portal account. The portal
account's accesses are re-read at every request, so a consent withdrawn or an access revoked
ends the session at the next click, whatever the session holds.
"""

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import render

PORTAL_PREFIX = "/portail/"


def _allowed_for_portal(path: str) -> bool:
    return path.startswith(PORTAL_PREFIX) or path.startswith(settings.STATIC_URL)


class PortalSeparationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from dui.views.errors import page_not_found
        from portal import selectors

        request.portal_account = None
        user = request.user
        path = request.path_info
        if not user.is_authenticated:
            return self.get_response(request)
        account = None if getattr(user, "current_memberships", None) else selectors.account_of(user)
        if account is None:
            if path.startswith(PORTAL_PREFIX):
                return page_not_found(request)  # a professional never sees a portal page
            return self.get_response(request)
        if not _allowed_for_portal(path):
            return render(request, "portal/not_found.html", status=404)
        if path.startswith(settings.STATIC_URL):
            return self.get_response(request)
        request.portal_account = account
        request.portal_accesses = list(selectors.accesses_in_force(account))
        if not request.portal_accesses:
            logout(request)
            return render(request, "portal/ended.html", status=404)
        return self.get_response(request)
