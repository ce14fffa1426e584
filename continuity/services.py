"""Writes of the continuity plan: generate a unit's pack, queue one on demand, purge, copy to a folder.

A pack is made by the ESSMS's continuity account (a technical IDE account, created on first use): the
same pack for whoever downloads it, read with a nurse's rights. The nightly run queues one task per open
unit (a slow or failing unit delays no other) and deletes the packs older than KEEP_DAYS, files and rows.
When CONTINUITY_EXPORT_DIR is set, each new pack is also copied there (and old copies removed).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from continuity.content import pack_content
from continuity.models import DOCUMENT_CLASS, KEEP_DAYS, ContinuityPack, PackKind
from continuity.render import pack_csv, pack_pdf
from dui import audit
from dui.actor import Actor, user_of
from dui.catalogue import WRITE
from dui.errors import NotFound
from dui.models import AccessAction, Essms, Membership, Metier, Unit, User
from dui.permissions import active_membership, can

logger = logging.getLogger(__name__)
EXPORT_PREFIX = "plan-continuite-"
REFUSED = "Votre métier ne permet pas de générer le plan de continuité."


def continuity_actor(essms: Essms) -> Actor:
    """The ESSMS's technical account that reads the dossiers for the packs (an IDE: what the night nurse sees)."""
    user, created = User.objects.get_or_create(
        username=f"continuite-{essms.finess}", defaults={"is_partner_system": True, "last_name": "Plan de continuité"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    membership = Membership.objects.active().filter(user=user, essms=essms).first()
    if membership is None:
        membership = Membership.objects.create(user=user, essms=essms, metier=Metier.IDE)
    return Actor.for_task(user, membership)


def pack_generate(
    *, unit_id: int, kind: str = PackKind.NIGHTLY, requested_by_id: int | None = None, now=None
) -> ContinuityPack | None:
    """Generate and store the pack of one unit; None when the unit is gone or closed."""
    now = now or timezone.now()
    unit = Unit.objects.select_related("essms").filter(pk=unit_id, is_active=True).first()
    if unit is None:
        return None
    actor = continuity_actor(unit.essms)
    content = pack_content(actor, unit=unit, now=now)
    pdf, csv = pack_pdf(content), pack_csv(content)
    stamp = f"{now.astimezone(datetime.UTC):%Y%m%dT%H%M%S}"
    with transaction.atomic():
        pack = ContinuityPack(
            essms=unit.essms,
            unit=unit,
            generated_at=now,
            kind=kind,
            requested_by_id=requested_by_id,
            persons_count=len(content.persons),
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            csv_sha256=hashlib.sha256(csv).hexdigest(),
        )
        pack.pdf.save(f"{stamp}.pdf", ContentFile(pdf), save=False)
        pack.csv.save(f"{stamp}.csv", ContentFile(csv), save=False)
        pack.save()
        audit.log_access(actor, AccessAction.CREATE, pack, detail=f"plan de continuité ({pack.get_kind_display()})")
    folder = getattr(settings, "CONTINUITY_EXPORT_DIR", "")
    if folder:
        try:
            _copy_pack(pack, Path(folder))
            _remove_old_copies(Path(folder), now=now)
        except OSError:  # the pack is kept and downloadable; the copy is retried with the next pack
            logger.exception("copy of continuity pack %s to CONTINUITY_EXPORT_DIR failed", pack.pk)
    return pack


def pack_request(actor, *, unit: Unit) -> None:
    """« Générer maintenant »: queue the unit's pack after commit (eager without a broker)."""
    membership = active_membership(actor)
    if membership is None or unit.essms_id != membership.essms_id:
        raise NotFound
    if not can(actor, WRITE, DOCUMENT_CLASS):
        raise PermissionDenied(REFUSED)
    from continuity.tasks import generate_pack

    user_id = user_of(actor).pk
    transaction.on_commit(lambda: generate_pack.delay(unit.pk, PackKind.ON_DEMAND, user_id))


def packs_purge(*, now=None) -> int:
    """Delete the packs (files, then rows) older than KEEP_DAYS; returns how many."""
    limit = (now or timezone.now()) - datetime.timedelta(days=KEEP_DAYS)
    old = list(ContinuityPack.objects.filter(generated_at__lt=limit))
    for pack in old:
        for field in (pack.pdf, pack.csv):
            if field:
                field.delete(save=False)
        pack.delete()
    return len(old)


def packs_nightly(*, now=None) -> int:
    """Purge the old packs, then queue the pack of every open unit of every ESSMS; returns how many queued."""
    from continuity.tasks import generate_pack

    packs_purge(now=now)
    queued = 0
    for unit_id in Unit.objects.filter(is_active=True).order_by("essms_id", "pk").values_list("pk", flat=True):
        try:
            generate_pack.delay(unit_id, PackKind.NIGHTLY)
            queued += 1
        except Exception:  # run eagerly (no broker), a failing unit must not stop the others
            logger.exception("continuity pack of unit %s failed", unit_id)
    return queued


def export_name(pack: ContinuityPack, extension: str) -> str:
    unit = slugify(pack.unit.name) or f"unite-{pack.unit_id}"
    local = timezone.localtime(pack.generated_at)
    return f"{EXPORT_PREFIX}{pack.essms.finess}-{unit}-{local:%Y%m%d-%H%M}.{extension}"


def _atomic_copy(field, target: Path) -> None:
    """Write to a temporary file of the same folder, then rename: a reader never sees half a file."""
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(handle, "wb") as out, field.open("rb") as source:
            for chunk in source.chunks():
                out.write(chunk)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def packs_export(folder: Path, *, finess: str = "", now=None) -> list[Path]:
    """Copy the latest pack of each unit (of one ESSMS when `finess` is given) into `folder`; delete the
    copies there older than KEEP_DAYS. Returns the files written."""
    now = now or timezone.now()
    folder.mkdir(parents=True, exist_ok=True)
    packs = ContinuityPack.objects.select_related("unit", "essms").order_by("unit_id", "-generated_at", "-pk")
    if finess:
        packs = packs.filter(essms__finess=finess)
    written, seen = [], set()
    for pack in packs:
        if pack.unit_id in seen:
            continue
        seen.add(pack.unit_id)
        written.extend(_copy_pack(pack, folder))
    _remove_old_copies(folder, now=now, keep=written)
    return written


def _copy_pack(pack: ContinuityPack, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for field, extension in ((pack.pdf, "pdf"), (pack.csv, "csv")):
        target = folder / export_name(pack, extension)
        _atomic_copy(field, target)
        written.append(target)
    return written


def _remove_old_copies(folder: Path, *, now, keep=()) -> None:
    """The copies there older than KEEP_DAYS (by file date): the folder never holds stale health data long."""
    limit = (now - datetime.timedelta(days=KEEP_DAYS)).timestamp()
    for old in folder.glob(f"{EXPORT_PREFIX}*"):
        if old not in keep and old.stat().st_mtime < limit:
            old.unlink()
