"""Internal messages and notes de service: inbox, sent messages, compose, read, approve."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dui import audit
from dui.models import AccessAction
from dui.permissions import active_membership
from transmissions.forms_messages import MessageForm
from transmissions.models import MessageKind
from transmissions.selectors import messages as selectors
from transmissions.services import messages as services

PAGE_SIZE = 30


def _require_membership(request) -> None:
    if active_membership(request.user) is None:
        raise Http404


def errors_to_form(form, error: ValidationError, field_of: dict[str, str] | None = None) -> None:
    field_of = field_of or {}
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            field = field_of.get(field, field)
            for message in messages_:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@login_required
def message_inbox(request):
    _require_membership(request)
    page = Paginator(selectors.inbox_for_user(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": list(page.object_list),
        "unread": selectors.unread_messages_count(request.user),
        "active_tab": "inbox",
    }
    return render(request, "transmissions/messages/inbox.html", context)


@login_required
def message_sent(request):
    _require_membership(request)
    page = Paginator(selectors.sent_by_user(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for message in rows:
        message.audience_label = selectors.audience_label(message)
    context = {
        "page": page,
        "rows": rows,
        "unread": selectors.unread_messages_count(request.user),
        "active_tab": "sent",
    }
    return render(request, "transmissions/messages/sent.html", context)


@login_required
def message_compose(request):
    _require_membership(request)
    form = MessageForm(
        request.POST or None,
        users=selectors.recipient_choices(request.user),
        metiers=selectors.metier_choices(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            message = services.message_send(
                acting_user=request.user,
                channel=audit.channel_of(request),
                ip=audit.client_ip(request),
                **form.service_kwargs(),
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            errors_to_form(form, error, {"recipients": "__all__"})
        else:
            count = message.recipient_count
            sent = "Note de service envoyée" if message.kind == MessageKind.NOTE_DE_SERVICE else "Message envoyé"
            flash.success(request, f"{sent} à {count} destinataire{'s' if count > 1 else ''}.")
            return redirect("message-detail", pk=message.pk)
    context = {
        "form": form,
        "may_send_note": services.may_send_note_de_service(request.user),
        "unread": selectors.unread_messages_count(request.user),
        "active_tab": "compose",
    }
    return render(request, "transmissions/messages/compose.html", context)


@login_required
def message_detail(request, pk: int):
    access = selectors.access_message(user=request.user, pk=pk)
    message = access.message
    if access.recipient is not None and access.recipient.opened_at is None:
        services.message_open(
            acting_user=request.user, message=message, channel=audit.channel_of(request), ip=audit.client_ip(request)
        )
        access = selectors.access_message(user=request.user, pk=pk)
    audit.log_access(
        request.user, AccessAction.READ, message, channel=audit.channel_of(request), ip=audit.client_ip(request)
    )
    context = {
        "message": message,
        "recipient": access.recipient,
        "is_sender": access.is_sender,
        "receipts": selectors.message_receipts(user=request.user, message=message) if access.is_sender else None,
        "audience": selectors.audience_label(message),
    }
    return render(request, "transmissions/messages/detail.html", context)


@require_POST
@login_required
def message_acknowledge(request, pk: int):
    access = selectors.access_message(user=request.user, pk=pk)
    if access.recipient is None:
        raise Http404
    try:
        services.message_acknowledge(
            acting_user=request.user,
            message=access.message,
            channel=audit.channel_of(request),
            ip=audit.client_ip(request),
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
    else:
        flash.success(request, "Merci : votre approbation est enregistrée.")
    return redirect("message-detail", pk=access.message.pk)
