"""Documents of a dossier and the GDPR export: thin views over the selectors and services.

A document is viewed or downloaded only through `document_download`, which asks the decision
function and writes an access-log row for each access.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dui import audit, gdpr, selectors
from dui.catalogue import WRITE
from dui.forms_documents import DocumentFilterForm, DocumentUploadForm, DocumentVersionForm
from dui.models import AccessAction
from dui.permissions import can
from dui.selectors import documents as document_selectors
from dui.services.common import ARCHIVED_MESSAGE
from dui.services.documents import document_add_version, document_upload, format_mo, max_bytes


def add_errors(form, error: ValidationError | PermissionDenied, default_field: str | None = None) -> None:
    """Put a service error on the form: field errors on their field, others on top."""
    if isinstance(error, PermissionDenied):
        form.add_error(default_field, str(error) or "Action non autorisée.")
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages_ in error.message_dict.items():
        target = field if field in form.fields else None
        target = None if field == NON_FIELD_ERRORS else target
        for message in messages_:
            form.add_error(target, message)


def _upload_context(request, usager, form=None):
    classes = document_selectors.writable_document_classes(request.user)
    if form is None and classes and not usager.is_archived:
        form = DocumentUploadForm(classes=classes, auto_id="upload_%s")
    return {"upload_form": form if classes and not usager.is_archived else None, "max_mo": format_mo(max_bytes())}


@require_GET
@login_required
def usager_documents(request, pk: int):
    usager = selectors.access_usager(request.user, pk=pk)
    documents = document_selectors.documents_for_usager(user=request.user, usager=usager)
    present = list(
        documents.order_by("document_class__position")
        .values_list("document_class__code", "document_class__label")
        .distinct()
    )
    filter_form = DocumentFilterForm(request.GET or None, classes=present)
    chosen = filter_form.cleaned_data.get("classe") if filter_form.is_valid() else ""
    if chosen:
        documents = documents.filter(document_class__code=chosen)
    documents = list(documents)
    audit.log_reads(
        request.user,
        documents,
        channel=audit.channel_of(request),
        detail="liste des documents",
        ip=audit.client_ip(request),
    )
    context = {
        "usager": usager,
        "groups": document_selectors.grouped_by_tier(documents, lambda d: d.document_class.tier),
        "document_total": len(documents),
        "filter_form": filter_form,
        "chosen_class": chosen,
        **_upload_context(request, usager),
    }
    return render(request, "dui/documents/list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def document_upload_view(request, pk: int):
    usager = selectors.access_usager(request.user, pk=pk)
    classes = document_selectors.writable_document_classes(request.user)
    if not classes:
        raise PermissionDenied("Votre métier ne permet pas d'ajouter de document.")
    if usager.is_archived:
        messages.error(request, ARCHIVED_MESSAGE)
        return redirect("usager-documents", pk=usager.pk)
    form = DocumentUploadForm(request.POST or None, request.FILES or None, classes=classes, auto_id="upload_%s")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = document_upload(
                acting_user=request.user,
                usager=usager,
                document_class_code=data["document_class"],
                title=data["title"],
                document_date=data["document_date"],
                source=data["source"],
                file=data["upload"],
                channel=audit.channel_of(request),
                ip=audit.client_ip(request),
            )
        except (ValidationError, PermissionDenied) as error:
            add_errors(form, error, default_field="document_class")
        else:
            messages.success(request, f"Document « {document.title} » ajouté au dossier.")
            return redirect("usager-documents", pk=usager.pk)
    status = 400 if request.method == "POST" else 200
    context = {"usager": usager, "upload_form": form, "max_mo": format_mo(max_bytes())}
    return render(request, "dui/documents/upload.html", context, status=status)


def _detail_context(request, usager, document, version_form=None):
    versions = list(document_selectors.versions_of(document))
    may_write = not usager.is_archived and can(request.user, WRITE, document)
    if may_write and version_form is None:
        version_form = DocumentVersionForm(auto_id="version_%s")
    return {
        "usager": usager,
        "document": document,
        "versions": versions,
        "current": versions[0] if versions else None,
        "version_form": version_form if may_write else None,
        "max_mo": format_mo(max_bytes()),
    }


@require_GET
@login_required
def document_detail(request, pk: int, doc_pk: int):
    usager = selectors.access_usager(request.user, pk=pk)
    document = document_selectors.access_document(user=request.user, usager=usager, pk=doc_pk)
    audit.log_access(
        request.user, AccessAction.READ, document, channel=audit.channel_of(request), ip=audit.client_ip(request)
    )
    return render(request, "dui/documents/detail.html", _detail_context(request, usager, document))


@require_POST
@login_required
def document_add_version_view(request, pk: int, doc_pk: int):
    usager = selectors.access_usager(request.user, pk=pk)
    document = document_selectors.access_document(user=request.user, usager=usager, pk=doc_pk)
    form = DocumentVersionForm(request.POST, request.FILES, auto_id="version_%s")
    if form.is_valid():
        try:
            version = document_add_version(
                acting_user=request.user,
                document=document,
                file=form.cleaned_data["upload"],
                channel=audit.channel_of(request),
                ip=audit.client_ip(request),
            )
        except (ValidationError, PermissionDenied) as error:
            add_errors(form, error, default_field="file")
        else:
            messages.success(request, f"Version {version.number} ajoutée à « {document.title} ».")
            return redirect("document-detail", pk=usager.pk, doc_pk=document.pk)
    context = _detail_context(request, usager, document, version_form=form)
    if context["version_form"] is None:
        # Read-only for this métier or archived: say why instead of showing the form.
        messages.error(request, "Vous ne pouvez pas ajouter de version à ce document.")
    return render(request, "dui/documents/detail.html", context, status=400)


@require_GET
@login_required
def document_download(request, pk: int, doc_pk: int):
    usager = selectors.access_usager(request.user, pk=pk)
    document = document_selectors.access_document(user=request.user, usager=usager, pk=doc_pk)
    version = document_selectors.document_version(document, request.GET.get("version"))
    attachment = request.GET.get("telecharger") == "1"
    audit.log_access(
        request.user,
        AccessAction.READ,
        document,
        channel=audit.channel_of(request),
        detail=f"version {version.number} {'téléchargée' if attachment else 'consultée'}",
        ip=audit.client_ip(request),
    )
    return file_response(version, attachment=attachment)


def file_response(version, *, attachment: bool = False) -> FileResponse:
    """Stream one stored version with its sniffed type; never let the browser guess."""
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=attachment,
        filename=version.original_name,
        content_type=version.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def usager_export(request, pk: int):
    usager = selectors.access_usager(request.user, pk=pk)
    gdpr.require_export_right(request.user, usager)
    if request.method == "GET":
        return render(request, "dui/documents/export.html", {"usager": usager})
    content = gdpr.dossier_export(
        acting_user=request.user, usager=usager, channel=audit.channel_of(request), ip=audit.client_ip(request)
    )
    response = HttpResponse(content, content_type="application/zip")
    filename = f"dossier-{usager.pk}-{timezone.localdate():%Y%m%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
