"""Recording an evaluation: the grid validates and scores the answers, the result may schedule
follow-up cares into the worklist, and an AGGIR grid also records its GIR in the dossier's AGGIR
section — all in one transaction, or nothing.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dui import audit
from dui.actor import user_of
from dui.catalogue import WRITE
from dui.errors import NotFound
from dui.essms_kinds import GRID
from dui.models import AccessAction, Usager
from dui.permissions import active_membership, can
from dui.selectors.catalogue_kinds import applies
from dui.selectors.medical import DossierSection
from dui.services import medical as medical_services
from dui.services.common import refuse_archived
from soins.grids import GRIDS, Context, Grid, UnknownGridError, grid_by_code
from soins.grids.hydration import HYDRATION
from soins.models import Evaluation
from soins.selectors.nutrition import hydration_target_of
from soins.services.worklist import follow_up_schedule

CLOCK_TOLERANCE = datetime.timedelta(minutes=5)
# A follow-up is scheduled only for an evaluation recorded soon enough for it to make sense.
FOLLOW_UP_HORIZON = datetime.timedelta(hours=24)
PREVIOUS_WINDOW = datetime.timedelta(days=190)
MAX_COMMENT = 2000
# Input errors the API keeps at the top of its answer; the others concern the grid's answers.
TOP_LEVEL_FIELDS = {"grid", "evaluated_at", "comment", "usager"}


class EvaluationInputError(ValidationError):
    """Refused input of an evaluation: the API nests the errors of the grid's items under `answers`."""

    def api_body(self) -> dict:
        if not hasattr(self, "error_dict"):
            return {"non_field_errors": self.messages}
        body: dict = {}
        answers: dict = {}
        for key, messages in self.message_dict.items():
            if key in TOP_LEVEL_FIELDS:
                body[key] = messages
            elif key == "__all__":
                body.setdefault("non_field_errors", []).extend(messages)
            elif key == "answers":
                answers.setdefault("non_field_errors", []).extend(messages)
            else:
                answers[key] = messages
        if answers:
            body["answers"] = answers
        return body


def refused_message(grid: Grid) -> str:
    return f"Votre métier ne permet pas d'enregistrer la grille « {grid.label} »."


def grid_or_error(code) -> Grid:
    try:
        return grid_by_code(code)
    except UnknownGridError:
        known = ", ".join(grid.code for grid in GRIDS)
        raise ValidationError({"grid": f"Grille inconnue : « {str(code)[:40]} ». Grilles : {known}."}) from None


def may_record(actor, usager: Usager, grid: Grid) -> bool:
    section = DossierSection(usager, grid.document_class_code)
    return applies(user_of(actor), GRID, grid.code) and can(actor, WRITE, section)


def _age(usager: Usager, day: datetime.date) -> int:
    born = usager.birth_date
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _check_moment(evaluated_at, usager: Usager, now: datetime.datetime) -> datetime.datetime:
    if evaluated_at is None:
        return now
    if not isinstance(evaluated_at, datetime.datetime):
        raise ValidationError({"evaluated_at": "Date et heure de l'évaluation invalides."})
    if timezone.is_naive(evaluated_at):
        evaluated_at = timezone.make_aware(evaluated_at)
    if evaluated_at > now + CLOCK_TOLERANCE:
        raise ValidationError({"evaluated_at": "La date de l'évaluation ne peut pas être dans le futur."})
    if timezone.localtime(evaluated_at).date() < usager.birth_date:
        raise ValidationError({"evaluated_at": "La date de l'évaluation ne peut pas précéder la naissance."})
    return evaluated_at


def _previous(usager: Usager, grid: Grid, moment: datetime.datetime) -> tuple:
    rows = Evaluation.objects.filter(
        essms_id=usager.essms_id,
        usager_id=usager.pk,
        grid=grid.code,
        evaluated_at__lt=moment,
        evaluated_at__gte=moment - PREVIOUS_WINDOW,
    ).values_list("evaluated_at", "answers")
    return tuple((at, answers) for at, answers in rows if isinstance(answers, dict))


def _evaluator(user, metier_label: str) -> str:
    name = user.get_full_name() or user.username
    return f"{name} ({metier_label})"[:150]


def evaluation_record(
    actor,
    *,
    usager: Usager,
    grid,
    answers,
    evaluated_at: datetime.datetime | None = None,
    comment: str = "",
) -> Evaluation:
    """Validate, score and record one filled grid; schedule the follow-ups its result calls for.

    NotFound for a person outside the active ESSMS; PermissionDenied when the métier may not write
    the grid's class; EvaluationInputError (a French ValidationError, keyed by item code for the
    answers) otherwise.
    """
    try:
        return _evaluation_record(
            actor, usager=usager, grid=grid, answers=answers, evaluated_at=evaluated_at, comment=comment
        )
    except EvaluationInputError:
        raise
    except ValidationError as error:
        raise EvaluationInputError(error) from None


@transaction.atomic
def _evaluation_record(
    actor,
    *,
    usager: Usager,
    grid,
    answers,
    evaluated_at: datetime.datetime | None = None,
    comment: str = "",
) -> Evaluation:
    membership = active_membership(actor)
    if membership is None or usager.essms_id != membership.essms_id:
        raise NotFound
    grid = grid_or_error(grid)
    if not applies(user_of(actor), GRID, grid.code):
        raise ValidationError(
            {
                "grid": f"La grille « {grid.label} » n'est pas proposée dans cet établissement "
                f"({membership.essms.get_kind_display()}) : catalogue de votre organisme."
            }
        )
    if not may_record(actor, usager, grid):
        raise PermissionDenied(refused_message(grid))
    refuse_archived(usager)
    now = timezone.now()
    moment = _check_moment(evaluated_at, usager, now)
    comment = (comment or "").strip() if isinstance(comment, str) else ""
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": f"Commentaire trop long ({MAX_COMMENT} caractères au plus)."})
    context = Context(
        evaluated_at=moment,
        age_years=_age(usager, timezone.localtime(moment).date()),
        previous=_previous(usager, grid, moment),
        hydration_target_ml=hydration_target_of(usager)[0] if grid.code == HYDRATION.code else None,
    )
    cleaned, outcome = grid.evaluate(answers, context)
    results = dict(outcome.results)
    evaluation = Evaluation(
        essms_id=usager.essms_id,
        usager=usager,
        created_by=user_of(actor),
        grid=grid.code,
        answers=cleaned,
        score=outcome.score,
        interpretation=outcome.interpretation[:300],
        evaluated_at=moment,
        comment=comment,
    )
    scheduled = []
    if outcome.follow_ups and moment >= now - FOLLOW_UP_HORIZON:
        results["suivis"] = [follow_up.label for follow_up in outcome.follow_ups]
    elif outcome.follow_ups:
        results["suivis_non_programmes"] = [follow_up.label for follow_up in outcome.follow_ups]
    evaluation.results = results
    evaluation.save()
    audit.log_access(actor, AccessAction.CREATE, evaluation, detail=grid.code)
    if "suivis" in results:
        for follow_up in outcome.follow_ups:
            scheduled.append(
                follow_up_schedule(
                    actor, evaluation, label=follow_up.label, within=follow_up.within, metier=follow_up.metier
                )
            )
    if grid.code == "aggir":
        medical_services.aggir_record(
            actor,
            usager=usager,
            gir=results["gir"],
            evaluated_on=timezone.localtime(moment).date(),
            evaluator=_evaluator(user_of(actor), membership.get_metier_display()),
        )
    return evaluation
