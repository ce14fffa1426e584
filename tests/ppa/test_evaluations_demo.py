"""The demo evaluations: realistic rows for the first persons, a GIR in the dossier, idempotent."""

from dui.models import AggirEvaluation, Metier
from ppa.demo import evaluations as demo
from ppa.models import CareOccurrence, Evaluation
from tests.factories import UsagerFactory, professional


def test_seed_is_idempotent(essms):
    nurse = professional(essms, Metier.IDE, username="ide.demo")
    people = [UsagerFactory(essms=essms) for _ in range(4)]
    created = demo.seed(essms, {"ide.demo": nurse})
    assert created > 80
    assert Evaluation.objects.count() == created
    assert AggirEvaluation.objects.filter(usager__in=people).count() == 4
    assert {row.gir for row in AggirEvaluation.objects.all()} >= {2, 4}
    assert Evaluation.objects.filter(grid="poids_imc", results__denutrition="moderee").exists()
    assert CareOccurrence.objects.filter(evaluation__grid="algoplus").exists()
    assert demo.seed(essms, {"ide.demo": nurse}) == 0
    assert Evaluation.objects.count() == created


def test_seed_without_an_evaluator_does_nothing(essms):
    UsagerFactory(essms=essms)
    assert demo.seed(essms, {"ash": professional(essms, Metier.ASH)}) == 0
    assert not Evaluation.objects.exists()
