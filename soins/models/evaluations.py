"""Evaluations filled from grids defined as data (soins.grids): answers, computed results."""

from django.db import models

from soins.models.common import PersonRow


class Evaluation(PersonRow):
    """One filled grid. `answers` keeps the whole questionnaire, `results` what the grid computed."""

    grid = models.CharField("grille", max_length=32)
    answers = models.JSONField("réponses")
    score = models.DecimalField("score", max_digits=8, decimal_places=2, null=True, blank=True)
    results = models.JSONField("résultats calculés", default=dict)
    interpretation = models.CharField("interprétation", max_length=300, blank=True)
    evaluated_at = models.DateTimeField("évalué le")
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        db_table = "ppa_evaluation"
        verbose_name = "évaluation"
        ordering = ["-evaluated_at", "-id"]
        indexes = [models.Index(fields=["usager", "grid", "-evaluated_at"], name="evaluation_usager_grid")]

    @property
    def document_class_code(self) -> str:
        from soins.grids import grid_by_code

        return grid_by_code(self.grid).document_class_code
