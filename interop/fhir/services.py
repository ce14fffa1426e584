"""Writes received through /fhir/: each one goes through the same dui/soins service as the screens and
the REST API (sniffing, size limit, class, habilitations, audit) — never a second write path."""

import base64
import binascii
import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from dui.models import Document, Usager
from dui.selectors import access_usager
from dui.services.documents import document_upload, max_bytes, too_large_message
from soins.models import Evaluation
from soins.services.evaluations import evaluation_record


def _usager(actor, usager_id) -> Usager:
    return access_usager(actor, usager_id)


def document_file(data: str, title: str) -> ContentFile:
    """The attachment's bytes, refused before decoding when the base64 text alone exceeds the size limit."""
    limit = max_bytes()
    if len(data) > (limit // 3 + 1) * 4 + 4:
        raise ValidationError({"file": too_large_message()})
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"file": "Pièce jointe illisible : contenu base64 attendu (attachment.data)."}) from None
    return ContentFile(raw, name=(title or "document")[:100])


def document_reference_create(
    actor, *, usager_id, class_code: str, title: str, document_date: datetime.date, data: str, source: str = ""
) -> Document:
    usager = _usager(actor, usager_id)
    return document_upload(
        actor,
        usager=usager,
        document_class_code=class_code,
        title=title,
        document_date=document_date,
        source=source,
        file=document_file(data, title),
    )


def observation_record(
    actor, *, usager_id, grid: str, answers: dict, evaluated_at: datetime.datetime | None, comment: str = ""
) -> Evaluation:
    usager = _usager(actor, usager_id)
    return evaluation_record(
        actor, usager=usager, grid=grid, answers=answers, evaluated_at=evaluated_at, comment=comment
    )
