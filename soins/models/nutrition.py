"""A person's daily hydration target, set by an IDE or a doctor; each change is a new row."""

from django.db import models

from soins.models.common import PersonRow


class HydrationTarget(PersonRow):
    """The latest row of a person is the target in force; earlier rows are its history.

    Without any row the grid's default applies (soins.grids.hydration.DAILY_TARGET_ML).
    """

    daily_ml = models.PositiveIntegerField("objectif d'hydratation (mL/jour)")
    comment = models.CharField("motif", max_length=300, blank=True)

    class Meta:
        db_table = "ppa_hydrationtarget"
        verbose_name = "objectif d'hydratation"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["usager", "-created_at"], name="hydration_target_usager")]

    document_class_code = "constantes"
