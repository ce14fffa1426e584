"""The shell on a phone (390×844) and a tablet in landscape (1024×768), page by page.

On each main page: the main content starts within the first 20 % of the viewport height, the
page never scrolls sideways, and every visible, enabled control is at least 44 px high.
Exceptions (documented): links inside running text (a paragraph, a help text, a definition),
which WCAG 2.5.8 exempts as inline targets. A checkbox or radio counts with its label.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dui.models import AccessAction, AccessLog, Channel, Metier
from dui.shifts import shift_at
from soins.models import Evaluation
from soins.services import care as care_services
from tests.factories import TEST_PASSWORD, UsagerFactory, professional
from tests.soins import factories_care as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LANDSCAPE_TABLET = {"width": 1024, "height": 768}
TOP_SHARE = 0.20
TOUCH = 44
# Inline links in running text: exempt (WCAG 2.5.8 "inline" exception).
INLINE_TEXT = "p a:not(.button), .helptext a, .hint a, dd a:not(.button), li > p a"

MEASURE = """([inline, touch]) => {
  const root = document.documentElement;
  const main = document.querySelector('main#contenu');
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled || el.closest('[hidden]')) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;           // not rendered or visually hidden
    if (getComputedStyle(el).visibility === 'hidden') continue;
    if (el.matches('.skip-link')) continue;                      // off screen until focused, 44 px then
    let height = box.height;
    if (el.type === 'checkbox' || el.type === 'radio') {
      const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
      if (label) height = Math.max(height, label.getBoundingClientRect().height);
    }
    if (height >= touch - 0.5 || el.matches(inline)) continue;
    const name = (el.getAttribute('aria-label') || el.textContent || el.name || el.type || '').trim().slice(0, 40);
    small.push(`${el.tagName.toLowerCase()}.${el.className || ''} « ${name} » : ${Math.round(height)} px`);
  }
  return {
    mainTop: main.getBoundingClientRect().top + window.scrollY,
    viewport: window.innerHeight,
    scrollWidth: root.scrollWidth,
    clientWidth: root.clientWidth,
    small,
  };
}"""


def check_page(j, path: str, label: str) -> None:
    j.goto(path)
    j.assert_styled()
    j.page.evaluate("() => window.scrollTo(0, 0)")
    j.shot(label)
    found = j.page.evaluate(MEASURE, [INLINE_TEXT, TOUCH])
    where = f"{label} ({path})"
    assert found["mainTop"] <= TOP_SHARE * found["viewport"], (
        f"{where} : le contenu commence à {found['mainTop']:.0f} px sur {found['viewport']} px"
    )
    assert found["scrollWidth"] <= found["clientWidth"], (
        f"{where} : défilement horizontal ({found['scrollWidth']} px pour {found['clientWidth']} px)"
    )
    assert not found["small"], f"{where} : cibles de moins de {TOUCH} px :\n" + "\n".join(found["small"])


@pytest.fixture
def world(essms, unit):
    director = professional(
        essms, Metier.DIRECTION, username="direction.cedres", first_name="Claire", last_name="Moreau"
    )
    admin = professional(essms, Metier.ADMINISTRATEUR, username="admin.cedres")
    cadre = professional(essms, Metier.CADRE_SANTE, username="cadre.cedres")
    people = []
    for n, (name, first) in enumerate((("LEFEBVRE", "Marthe"), ("DUPONT", "Jeanne"), ("MARTIN", "Paulette"))):
        person = UsagerFactory(essms=essms, birth_name=name, first_names=first)
        f.place(person, unit, director, room=str(12 + n))
        people.append(person)
    shift = shift_at(timezone.now())
    for label in ("Toilette complète", "Change", "Hydratation (proposer à boire)"):
        f.plan(cadre, people[0], label, poste=shift.poste)
    care_services.occurrences_generate_for_shift(essms, shift)
    evaluation = Evaluation.objects.create(
        essms=essms,
        usager=people[1],
        created_by=director,
        grid="algoplus",
        answers={},
        evaluated_at=timezone.now() - datetime.timedelta(days=1),
    )
    AccessLog.objects.create(
        user=director,
        username=director.username,
        metier=Metier.IDE,
        essms=essms,
        action=AccessAction.READ,
        channel=Channel.WEB,
        object_type="soins.evaluation",
        object_id=str(evaluation.pk),
        usager_id=people[1].pk,
        document_class="evaluation_douleur",
        detail="consultation de l'évaluation",
    )
    return {"director": director, "admin": admin, "usager": people[0], "unit": unit}


@pytest.mark.parametrize(("size", "name"), [(PHONE, "telephone"), (LANDSCAPE_TABLET, "tablette-paysage")])
def test_main_pages_fit_phone_and_tablet(journey, world, size, name):
    j = journey(f"shell-{name}")
    j.page.set_viewport_size(size)
    j.login(world["director"].username, TEST_PASSWORD)
    unit = world["unit"]
    check_page(j, reverse("home"), "accueil")
    check_page(j, reverse("active-file"), "file-active")
    check_page(j, reverse("usager-list"), "usagers")
    check_page(j, f"{reverse('worklist')}?unite={unit.pk}", "soins-du-poste")
    check_page(j, reverse("usager-detail", args=[world["usager"].pk]), "dossier")
    check_page(j, reverse("audit-log"), "journal")
    assert "Évaluation Algoplus — DUPONT Jeanne" in j.page.content()

    # The menu: one current page, reachable by keyboard and by touch.
    j.goto(reverse("audit-log"))
    assert j.page.locator('.main-nav [aria-current="page"]').count() == 1
    if size is PHONE:
        toggle = j.page.locator(".nav-toggle")
        toggle.tap()
        j.shot("menu-ouvert")
        j.page.get_by_role("link", name="File active").tap()
        j.page.wait_for_url(j.url(reverse("active-file")))
    else:
        j.page.locator(".nav-group-title", has_text="Usagers").focus()
        j.page.keyboard.press("Enter")
        # Viewport only: a full-page capture resizes the emulated screen, which resets the menu.
        j.step += 1
        j.page.screenshot(path=str(j.folder / f"{j.step:02d}-menu-usagers-ouvert.png"))
        j.page.get_by_role("link", name="File active").focus()
        j.page.keyboard.press("Enter")
        j.page.wait_for_url(j.url(reverse("active-file")))

    # The matrix, editable, for the administrator.
    if size is PHONE:
        j.page.locator(".nav-toggle").tap()
    j.page.get_by_role("button", name="Se déconnecter").locator("visible=true").first.tap()
    j.page.wait_for_url("**/connexion/**")
    j.login(world["admin"].username, TEST_PASSWORD)
    check_page(j, reverse("habilitation-matrix"), "habilitations")
    # Each box is named by its action, métier and class headers; saving traces the change.
    box = j.page.get_by_role("checkbox", name="Lecture Animateur(rice) Antécédents", exact=True)
    assert not box.is_checked()
    box.tap()
    j.page.get_by_role("button", name="Enregistrer les modifications").first.tap()
    expect(j.page.locator(".message")).to_contain_text("Matrice enregistrée : 1 case modifiée.")
    expect(j.page.get_by_role("checkbox", name="Lecture Animateur(rice) Antécédents", exact=True)).to_be_checked()
    j.assert_clean()
