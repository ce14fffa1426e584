"""Resolve the active membership once per request and attach it to the user; keep an active
session alive without writing it at every request."""

import time

from dui.models import Membership

SESSION_KEY = "active_membership_id"


def current_memberships(user) -> list[Membership]:
    """The user's memberships in force now (a handful at most), with their ESSMS and OG."""
    return list(Membership.objects.active().filter(user=user).select_related("essms__og").order_by("pk"))


def resolve_membership(user, wanted_id, memberships: list[Membership] | None = None) -> Membership | None:
    """The wanted active membership of the user, else their first active one, else None."""
    memberships = current_memberships(user) if memberships is None else memberships
    chosen = next((m for m in memberships if m.pk == wanted_id), None) if wanted_id is not None else None
    return chosen or next(iter(memberships), None)


class ActiveMembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            # Read once per request: the header's establishment switcher lists the others.
            user.current_memberships = current_memberships(user)
            membership = resolve_membership(user, request.session.get(SESSION_KEY), user.current_memberships)
            user.membership = membership
            if membership is None:
                request.session.pop(SESSION_KEY, None)
            elif request.session.get(SESSION_KEY) != membership.pk:
                request.session[SESSION_KEY] = membership.pk
        return self.get_response(request)


SEEN_KEY = "seen_at"
SESSION_REFRESH_SECONDS = 60


class SessionActivityMiddleware:
    """The idle timeout counts from the last request, to the minute: the session (and so its expiry
    date) is written when its last write is a minute old or more, not at every page of a busy ward."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key:
            now = int(time.time())
            if now - session.get(SEEN_KEY, 0) >= SESSION_REFRESH_SECONDS:
                session[SEEN_KEY] = now  # saved, so its expiry pushed back, at the end of the request
        return self.get_response(request)


def record_login(sender, request, user, **kwargs):
    """A login records the activity and the establishment in the session it saves anyway: the
    pages that follow have nothing to write (user_logged_in receiver)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session[SEEN_KEY] = int(time.time())
    membership = resolve_membership(user, session.get(SESSION_KEY))
    if membership is not None:
        session[SESSION_KEY] = membership.pk


class ApiNoStoreMiddleware:
    """API answers carry personal data: no shared or browser cache may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            response["Cache-Control"] = "private, no-store"
        return response


class DomainErrorMiddleware:
    """A service's or selector's domain error raised under a page becomes that page's answer:
    NotFound the 404 page, RightRefused the page that names the missing right (dui.errors)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from dui.errors import NotFound, RightRefused
        from dui.views.errors import page_not_found, right_refused

        if isinstance(exception, RightRefused):
            return right_refused(request, exception)
        if isinstance(exception, NotFound):
            return page_not_found(request, exception)
        return None
