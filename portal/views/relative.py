"""Pages of the portal itself (relative or person): thin, every read through portal.selectors."""

from dataclasses import replace
from functools import wraps

import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dui.actor import Actor, actor_of
from dui.errors import NotFound
from dui.models import Channel
from dui.views.service_errors import show_service_error
from portal import selectors, services
from portal.forms import AcceptForm, CodeForm, MessageForm, PortalLoginForm

PENDING_KEY = "portal_pending_user"
PENDING_BACKEND_KEY = "portal_pending_backend"
PENDING_TRIES_KEY = "portal_pending_tries"
MAX_CODE_TRIES = 5
SETUP_KEY = "portal_totp_setup"


def portal_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "portal_account", None) is None:
            return redirect("portal-login")
        try:
            return view(request, *args, **kwargs)
        except (NotFound, Http404):  # another person's page, a closed section: the portal's own 404
            return render(request, "portal/not_found.html", status=404)

    return wrapper


def _actor(request) -> Actor:
    """The portal's reads and writes are logged on the portal channel."""
    return replace(actor_of(request), channel=Channel.PORTAL)


@require_GET
@portal_required
def home(request):
    actor = _actor(request)
    pages = [selectors.person_page(actor, access=access) for access in request.portal_accesses]
    context = {"pages": pages, "account": request.portal_account, "several": len(pages) > 1}
    return render(request, "portal/home.html", context)


@require_GET
@portal_required
def person(request, access_pk):
    actor = _actor(request)
    access = selectors.access_for_portal(actor, access_pk)
    page = selectors.person_page(actor, access=access)
    return render(request, "portal/home.html", {"pages": [page], "account": request.portal_account, "back": True})


@require_GET
@portal_required
def document(request, access_pk, document_pk):
    actor = _actor(request)
    access = selectors.access_for_portal(actor, access_pk)
    version = selectors.shared_document_for_portal(actor, access=access, pk=document_pk)
    return FileResponse(version.file.open("rb"), as_attachment=True, filename=version.original_name,
                        content_type=version.mime_type)  # fmt: skip


@require_http_methods(["GET", "POST"])
@portal_required
def thread(request, access_pk):
    actor = _actor(request)
    access = selectors.access_for_portal(actor, access_pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_from_relative(actor, access=access, body=form.cleaned_data["body"])
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, "Message envoyé à l'équipe.")
            return redirect("portal-thread", access_pk=access.pk)
    rows = selectors.thread(actor, access=access)
    services.thread_mark_read(access=access, by_team=False)
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/thread.html", {"access": access, "rows": rows, "form": form}, status=status)


@require_POST
@portal_required
def register(request, access_pk, session_pk):
    actor = _actor(request)
    access = selectors.access_for_portal(actor, access_pk)
    session = selectors.session_for_portal(access=access, pk=session_pk)
    try:
        services.register_to_session(actor, access=access, session=session)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Inscription enregistrée : {session.activity.name}, le {session.starts_at:%d/%m}.")
    return redirect("portal-person", access_pk=access.pk)


@require_http_methods(["GET", "POST"])
@portal_required
def security(request):
    """Turn on the second factor: a new secret shown as a QR code, confirmed by one code."""
    account = request.portal_account
    actor = _actor(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_enable(actor, account=account, secret=request.session.get(SETUP_KEY, ""),
                                 code=form.cleaned_data["code"])  # fmt: skip
        except ValidationError as error:
            show_service_error(form, error)
        else:
            request.session.pop(SETUP_KEY, None)
            messages.success(request, "Double authentification activée : le code vous sera demandé à chaque connexion.")
            return redirect("portal-home")
    context = {"form": form, "account": account}
    if not account.totp_enabled:
        if request.method == "GET" or SETUP_KEY not in request.session:
            request.session[SETUP_KEY] = services.totp_new_secret()
        secret = request.session[SETUP_KEY]
        qr = segno.make(services.totp_uri(account, secret), error="m")
        # segno writes the SVG itself (no user input in it).
        context |= {"secret": secret, "qr": mark_safe(qr.svg_inline(scale=5, title="QR code à scanner"))}  # noqa: S308
    return render(request, "portal/security.html", context, status=400 if form.errors else 200)


class PortalLoginView(auth_views.LoginView):
    """Password first; with a second factor, the session is opened only once the code is right."""

    template_name = "portal/login.html"
    form_class = PortalLoginForm

    def form_valid(self, form):
        user = form.get_user()
        account = selectors.account_of(user)
        if account.totp_enabled:
            self.request.session[PENDING_KEY] = user.pk
            self.request.session[PENDING_BACKEND_KEY] = user.backend
            self.request.session[PENDING_TRIES_KEY] = 0
            return redirect("portal-login-code")
        login(self.request, user)
        return redirect("portal-home")


@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request):
    pending = request.session.get(PENDING_KEY)
    if pending is None:
        return redirect("portal-login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = selectors.pending_account(pending)
        user = account.user if account else None
        if account and services.totp_check(account.totp_secret, form.cleaned_data["code"]):
            backend = request.session.get(PENDING_BACKEND_KEY)
            login(request, user, backend=backend)  # a new session: the pending keys go with the old one
            return redirect("portal-home")
        tries = request.session.get(PENDING_TRIES_KEY, 0) + 1
        request.session[PENDING_TRIES_KEY] = tries
        if tries >= MAX_CODE_TRIES:
            request.session.flush()
            messages.error(request, "Trop de codes incorrects : reconnectez-vous.")
            return redirect("portal-login")
        form.add_error("code", services.WRONG_CODE)
    return render(request, "portal/login_code.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def portal_logout(request):
    logout(request)
    return redirect("portal-login")


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request, token):
    """The invitation link: choose an identifier and a password; refused links write nothing."""
    try:
        invitation = services.invitation_by_token(token)
    except ValidationError as error:
        return render(request, "portal/invitation_refused.html", {"reason": error.messages[0]}, status=404)
    account = getattr(request, "portal_account", None)
    if account is not None:  # already a portal account: add this person to it
        if request.method == "POST":
            try:
                services.invitation_attach(_actor(request), token=token, account=account)
            except ValidationError as error:
                return render(request, "portal/invitation_refused.html", {"reason": error.messages[0]}, status=404)
            messages.success(request, f"{invitation.usager} est ajouté(e) à votre compte.")
            return redirect("portal-home")
        return render(request, "portal/accept_attach.html", {"invitation": invitation, "account": account})
    form = AcceptForm(request.POST or None, initial={"username": invitation.email})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invitation_accept(
                _actor(request), token=token, username=data["username"], password=data["password"],
                password_again=data["password_again"],
            )  # fmt: skip
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return render(request, "portal/invitation_refused.html", {"reason": error.messages[0]}, status=404)
            show_service_error(form, error)
        else:
            messages.success(request, "Votre compte est créé : connectez-vous avec l'identifiant choisi.")
            return redirect("portal-login")
    return render(
        request, "portal/accept.html", {"form": form, "invitation": invitation}, status=400 if form.errors else 200
    )
