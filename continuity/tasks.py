"""Background work of the continuity plan: a unit's pack (nightly or on demand) and the nightly run."""

from celery import shared_task

from continuity import services


@shared_task(name="continuity.generate_pack")
def generate_pack(unit_id: int, kind: str = "nightly", requested_by_id: int | None = None) -> int | None:
    pack = services.pack_generate(unit_id=unit_id, kind=kind, requested_by_id=requested_by_id)
    return pack.pk if pack else None


@shared_task(name="continuity.nightly")
def nightly() -> int:
    return services.packs_nightly()
