"""The demo projets personnalisés: a project at each point of its life, SERAFIN-PH codes in an IME,
idempotent."""

from django.utils import timezone

from demo.seed import projects as demo
from dui.actor import Actor
from dui.models import EssmsKind, Metier
from ppa.models import Expression, ObjectiveEvaluation, Projet, ProjetVersion
from ppa.selectors.project_dues import due_board
from tests.factories import EssmsFactory, professional
from tests.ppa.factories_projects import admitted


def test_seed_gives_the_alert_list_something_to_show_and_is_idempotent(og):
    ime = EssmsFactory(og=og, kind=EssmsKind.IME)
    educ = professional(ime, Metier.EDUCATEUR, username="ime.educateur")
    cadre = professional(ime, Metier.CADRE_SANTE, username="ime.cadre_sante")
    for days in (700, 400, 200, 150, 40):
        admitted(ime, days_ago=days)
    users = {"ime.educateur": educ, "ime.cadre_sante": cadre}
    created = demo.seed(ime, users)
    assert created > 40
    assert Projet.objects.filter(essms=ime).count() == 3
    assert ProjetVersion.objects.filter(essms=ime, number=2, agreement_on__isnull=False).count() == 1
    assert ObjectiveEvaluation.objects.filter(essms=ime).exists()
    assert Expression.objects.filter(essms=ime, kind="besoin").exclude(serafin_code="").exists()
    board = due_board(Actor(cadre), today=timezone.localdate())
    assert len(board.overdue) == 1 and len(board.due_soon) == 1
    assert board.indicators.up_to_date == 2 and board.indicators.revised_in_year == 2
    assert demo.seed(ime, users) == 0


def test_ehpad_seed_without_codes_and_without_validator(essms):
    nurse = professional(essms, Metier.IDE, username="ehpad.ide")
    admitted(essms, days_ago=500)
    assert demo.seed(essms, {"ehpad.ide": nurse}) == 0  # nobody to record the agreement
    cadre = professional(essms, Metier.CADRE_SANTE, username="ehpad.cadre_sante")
    assert demo.seed(essms, {"ehpad.ide": nurse, "ehpad.cadre_sante": cadre}) > 10
    assert not Expression.objects.exclude(serafin_code="").exists()
