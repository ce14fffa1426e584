"""Documents of a dossier and the GDPR export: thin views over the selectors and services.

A document is viewed or downloaded only through `document_download`, which asks the decision
function and writes an access-log row for each access.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dui import gdpr, selectors
from dui.actor import actor_of
from dui.catalogue import WRITE
from dui.errors import RightRefused
from dui.forms_documents import DocumentFilterForm, DocumentUploadForm, DocumentVersionForm
from dui.providers import document_statuses
from dui.selectors import documents as document_selectors
from dui.services.common import ARCHIVED_MESSAGE
from dui.services.documents import document_add_version, document_upload, format_mo, max_bytes
from dui.views.service_errors import show_service_error


def _upload_context(actor, usager, form=None):
    classes = document_selectors.writable_document_classes(actor)
    if form is None and classes and not usager.is_archived:
        form = DocumentUploadForm(classes=classes, auto_id="upload_%s")
    return {"upload_form": form if classes and not usager.is_archived else None, "max_mo": format_mo(max_bytes())}


@require_GET
@login_required
def usager_documents(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    present = document_selectors.document_classes_present(actor, usager=usager)
    filter_form = DocumentFilterForm(request.GET or None, classes=present)
    chosen = filter_form.cleaned_data.get("classe") if filter_form.is_valid() else ""
    documents = document_selectors.documents_page(actor, usager=usager, document_class_code=chosen)
    context = {
        "usager": usager,
        "groups": document_selectors.grouped_by_tier(documents, lambda d: d.document_class.tier),
        "document_total": len(documents),
        "filter_form": filter_form,
        "chosen_class": chosen,
        **_upload_context(actor, usager),
    }
    return render(request, "dui/documents/list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def document_upload_view(request, pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    classes = document_selectors.writable_document_classes(actor)
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
                actor,
                usager=usager,
                document_class_code=data["document_class"],
                title=data["title"],
                document_date=data["document_date"],
                source=data["source"],
                file=data["upload"],
            )
        except (PermissionDenied, RightRefused) as error:
            show_service_error(form, error, default_field="document_class")
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, f"Document « {document.title} » ajouté au dossier.")
            return redirect("usager-documents", pk=usager.pk)
    status = 400 if request.method == "POST" else 200
    context = {"usager": usager, "upload_form": form, "max_mo": format_mo(max_bytes())}
    return render(request, "dui/documents/upload.html", context, status=status)


def _detail_context(actor, usager, document, version_form=None):
    versions = list(document_selectors.versions_of(document))
    may_write = not usager.is_archived and actor.can(WRITE, document)
    if may_write and version_form is None:
        version_form = DocumentVersionForm(auto_id="version_%s")
    return {
        "usager": usager,
        "document": document,
        "versions": versions,
        "current": versions[0] if versions else None,
        "version_form": version_form if may_write else None,
        "max_mo": format_mo(max_bytes()),
        "statuses": document_statuses(actor, document),
    }


@require_GET
@login_required
def document_detail(request, pk: int, doc_pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    document = document_selectors.document_page(actor, usager=usager, pk=doc_pk)
    return render(request, "dui/documents/detail.html", _detail_context(actor, usager, document))


@require_POST
@login_required
def document_add_version_view(request, pk: int, doc_pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    document = document_selectors.access_document(actor, usager=usager, pk=doc_pk)
    form = DocumentVersionForm(request.POST, request.FILES, auto_id="version_%s")
    if form.is_valid():
        try:
            version = document_add_version(actor, document=document, file=form.cleaned_data["upload"])
        except (PermissionDenied, RightRefused) as error:
            show_service_error(form, error, default_field="file")
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, f"Version {version.number} ajoutée à « {document.title} ».")
            return redirect("document-detail", pk=usager.pk, doc_pk=document.pk)
    context = _detail_context(actor, usager, document, version_form=form)
    if context["version_form"] is None:
        # Read-only for this métier or archived: say why instead of showing the form.
        messages.error(request, "Vous ne pouvez pas ajouter de version à ce document.")
    return render(request, "dui/documents/detail.html", context, status=400)


@require_GET
@login_required
def document_download(request, pk: int, doc_pk: int):
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    document = document_selectors.access_document(actor, usager=usager, pk=doc_pk)
    attachment = request.GET.get("telecharger") == "1"
    version = document_selectors.version_delivered(actor, document, request.GET.get("version"), attachment=attachment)
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
    actor = actor_of(request)
    usager = selectors.access_usager(actor, pk)
    gdpr.require_export_right(actor, usager)
    if request.method == "GET":
        return render(request, "dui/documents/export.html", {"usager": usager})
    content = gdpr.dossier_export(actor, usager=usager)
    response = HttpResponse(content, content_type="application/zip")
    filename = f"dossier-{usager.pk}-{timezone.localdate():%Y%m%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
