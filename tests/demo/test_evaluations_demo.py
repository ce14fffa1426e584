"""The demo evaluations: realistic rows for the first persons, a GIR in the dossier, idempotent."""

from demo.seed import evaluations as demo
from dui.models import AggirEvaluation, Metier
from soins.models import CareOccurrence, Evaluation
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


def test_seed_shows_the_trends_a_new_user_should_see(essms):
    import datetime

    from django.utils import timezone

    from soins.models import HydrationTarget
    from soins.selectors.nutrition import HYDRATION, WEIGHT_LOSS, nutrition_alerts

    nurse = professional(essms, Metier.IDE, username="ide.demo")
    people = [UsagerFactory(essms=essms) for _ in range(5)]
    demo.seed(essms, {"ide.demo": nurse})
    alerts = {
        (alert.usager_id, alert.kind): alert
        for alert in nutrition_alerts(essms, [p.pk for p in people], timezone.localdate())
    }
    assert "1100 mL" in alerts[(people[demo.HYDRATION_DROP].pk, HYDRATION)].message
    drinks = Evaluation.objects.filter(usager=people[demo.HYDRATION_DROP], grid="hydratation").order_by("evaluated_at")
    assert [row.answers["apports_ml"] for row in drinks][-2:] == [1600, 1100]
    assert alerts[(people[2].pk, WEIGHT_LOSS)].message.startswith("Perte de poids — perte de 6")
    assert {usager_id for usager_id, _kind in alerts} == {people[demo.HYDRATION_DROP].pk, people[2].pk}
    today = Evaluation.objects.filter(grid="algoplus", usager=people[0], evaluated_at__date=timezone.localdate())
    assert today.get().score == 3
    vitals = Evaluation.objects.filter(usager=people[1], grid="constantes").order_by("evaluated_at")
    assert vitals.count() == 14
    assert vitals.last().evaluated_at - vitals.first().evaluated_at >= datetime.timedelta(days=13)
    assert HydrationTarget.objects.get().daily_ml == 1300
    assert demo.seed(essms, {"ide.demo": nurse}) == 0
    assert HydrationTarget.objects.count() == 1
