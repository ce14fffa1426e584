from soins.models.administration import ValidationCorrection, ValidationPolicy
from soins.models.care import CareAction, CareCategory, CareOccurrence, CarePlanItem, OccurrenceStatus, Timing
from soins.models.evaluations import Evaluation
from soins.models.medication import (
    InterventionKind,
    PharmacistIntervention,
    PrescriptionKind,
    PrescriptionLine,
    Route,
)
from soins.models.nutrition import HydrationTarget

__all__ = [
    "CareAction",
    "CareCategory",
    "CareOccurrence",
    "CarePlanItem",
    "Evaluation",
    "HydrationTarget",
    "InterventionKind",
    "OccurrenceStatus",
    "PharmacistIntervention",
    "PrescriptionKind",
    "PrescriptionLine",
    "Route",
    "Timing",
    "ValidationCorrection",
    "ValidationPolicy",
]
