"""Internal messages and notes de service: inbox, sent messages, compose, read, approve."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dui.actor import actor_of
from dui.errors import NotFound
from dui.permissions import active_membership
from dui.views.service_errors import show_service_error
from transmissions.forms_messages import MessageForm
from transmissions.models import MessageKind
from transmissions.selectors import messages as selectors
from transmissions.services import messages as services

PAGE_SIZE = 30


def _require_membership(request):
    actor = actor_of(request)
    if active_membership(actor) is None:
        raise NotFound
    return actor


@login_required
def message_inbox(request):
    actor = _require_membership(request)
    page = Paginator(selectors.inbox_for_user(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": list(page.object_list),
        "unread": selectors.unread_messages_count(actor),
        "active_tab": "inbox",
    }
    return render(request, "transmissions/messages/inbox.html", context)


@login_required
def message_sent(request):
    actor = _require_membership(request)
    page = Paginator(selectors.sent_by_user(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for message in rows:
        message.audience_label = selectors.audience_label(message)
    context = {
        "page": page,
        "rows": rows,
        "unread": selectors.unread_messages_count(actor),
        "active_tab": "sent",
    }
    return render(request, "transmissions/messages/sent.html", context)


@login_required
def message_compose(request):
    actor = _require_membership(request)
    form = MessageForm(
        request.POST or None,
        users=selectors.recipient_choices(actor),
        metiers=selectors.metier_choices(actor),
    )
    if request.method == "POST" and form.is_valid():
        try:
            message = services.message_send(actor, **form.service_kwargs())
        except (PermissionDenied, ValidationError) as error:
            show_service_error(form, error)
        else:
            count = message.recipient_count
            sent = "Note de service envoyée" if message.kind == MessageKind.NOTE_DE_SERVICE else "Message envoyé"
            flash.success(request, f"{sent} à {count} destinataire{'s' if count > 1 else ''}.")
            return redirect("message-detail", pk=message.pk)
    context = {
        "form": form,
        "may_send_note": services.may_send_note_de_service(actor),
        "unread": selectors.unread_messages_count(actor),
        "active_tab": "compose",
    }
    return render(request, "transmissions/messages/compose.html", context)


@login_required
def message_detail(request, pk: int):
    actor = actor_of(request)
    access = selectors.access_message(actor, pk, log=True)
    message = access.message
    if access.recipient is not None and access.recipient.opened_at is None:
        services.message_open(actor, message=message)
        access = selectors.access_message(actor, pk)
    context = {
        "message": message,
        "recipient": access.recipient,
        "is_sender": access.is_sender,
        "receipts": selectors.message_receipts(actor, message=message) if access.is_sender else None,
        "audience": selectors.audience_label(message),
    }
    return render(request, "transmissions/messages/detail.html", context)


@require_POST
@login_required
def message_acknowledge(request, pk: int):
    actor = actor_of(request)
    access = selectors.access_message(actor, pk)
    if access.recipient is None:
        raise NotFound
    try:
        services.message_acknowledge(actor, message=access.message)
    except PermissionDenied:
        raise NotFound from None
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
    else:
        flash.success(request, "Merci : votre approbation est enregistrée.")
    return redirect("message-detail", pk=access.message.pk)
