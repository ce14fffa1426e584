"""Home page, navigation, ESSMS switcher, membership end and error pages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import include, path, reverse
from django.utils import timezone

from dui.middleware import SESSION_KEY
from dui.models import Metier
from dui.services import membership_end
from dui.views.errors import server_error
from dui.views.shell import NavItem, current_item, grouped_navigation, navigation
from tests.factories import MembershipFactory, professional

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """Tests speak plain HTTP; production redirects to HTTPS."""
    settings.SECURE_SSL_REDIRECT = False


def _stub(request):
    return HttpResponse("ok")


def _forbidden(request):
    raise PermissionDenied


# URLconf for this module's navigation tests: the shell plus stand-ins for the sections
# that live in other modules, so the menu is tested whatever is installed.
urlpatterns = [
    path("", include("dui.urls_shell")),
    path("usagers/", _stub, name="usager-list"),
    path("journal/", _stub, name="audit-log"),
    path("habilitations/", _stub, name="habilitation-matrix"),
    path("interdit/", _forbidden),
]
handler403 = "dui.views.errors.permission_denied"
handler404 = "dui.views.errors.page_not_found"
with_sections = pytest.mark.urls(__name__)


def login(client, user):
    client.force_login(user, backend=MODEL_BACKEND)


def labels(user):
    return [item.label for item in navigation(user)]


# --- Home


def test_home_requires_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


def test_home_greets_with_active_essms_and_metier(client, essms):
    user = professional(essms, Metier.IDE, first_name="Camille")
    login(client, user)
    response = client.get(reverse("home"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Bonjour Camille" in content
    assert "EHPAD Les Cèdres" in content
    assert "Association Les Cèdres" in content
    assert "Infirmier(ère) (IDE)" in content


def test_base_layout_is_accessible(client, essms):
    login(client, professional(essms))
    content = client.get(reverse("home")).content.decode()
    assert '<html lang="fr">' in content
    assert 'href="#contenu"' in content and 'id="contenu"' in content
    assert 'aria-label="Navigation principale"' in content
    assert f'action="{reverse("logout")}"' in content
    assert "Se déconnecter" in content
    assert "js/htmx.min.js" in content


@with_sections
@pytest.mark.parametrize(
    ("metier", "expected"),
    [
        (Metier.IDE, ["Usagers", "Mot de passe"]),
        (Metier.ADMINISTRATEUR, ["Usagers", "Journal des accès", "Habilitations", "Mot de passe"]),
        (Metier.DPO, ["Usagers", "Journal des accès", "Habilitations", "Mot de passe"]),
        (Metier.TECHNIQUE, ["Mot de passe"]),
    ],
)
def test_navigation_follows_the_habilitation_matrix(essms, metier, expected):
    assert labels(professional(essms, metier)) == expected


@with_sections
def test_home_tiles_and_menu_show_only_allowed_sections(client, essms):
    login(client, professional(essms, Metier.IDE))
    content = client.get(reverse("home")).content.decode()
    assert 'href="/usagers/"' in content
    assert 'href="/journal/"' not in content
    assert 'href="/habilitations/"' not in content
    assert 'class="tile"' in content
    assert "Aucune rubrique du dossier" not in content


@with_sections
def test_menu_marks_the_current_page(client, essms):
    login(client, professional(essms, Metier.IDE))
    content = client.get(reverse("password_change")).content.decode()
    assert f'<a href="{reverse("password_change")}" aria-current="page">Mot de passe</a>' in content


@with_sections
def test_home_explains_when_no_section_is_open(client, essms):
    login(client, professional(essms, Metier.TECHNIQUE))
    content = client.get(reverse("home")).content.decode()
    assert "Aucune rubrique du dossier" in content
    assert 'href="/usagers/"' not in content


@pytest.mark.urls("dui.urls_shell")
def test_navigation_skips_sections_whose_route_is_not_installed(essms):
    assert labels(professional(essms, Metier.ADMINISTRATEUR)) == ["Mot de passe"]


def test_navigation_is_empty_for_anonymous_users():
    from django.contrib.auth.models import AnonymousUser

    assert navigation(AnonymousUser()) == []
    assert navigation(None) == []


# --- No membership


def test_user_without_membership_gets_an_explanation(client, essms):
    user = professional(essms)
    user.membership.ends_at = timezone.now() - datetime.timedelta(minutes=1)
    user.membership.save()
    login(client, user)
    response = client.get(reverse("home"))
    content = response.content.decode()
    assert response.status_code == 403
    assert "Aucune affectation active" in content
    assert "EHPAD Les Cèdres" not in content


@with_sections
def test_membership_not_started_yet_gives_no_access(client, essms):
    user = professional(essms, Metier.ADMINISTRATEUR)
    user.membership.starts_at = timezone.now() + datetime.timedelta(days=1)
    user.membership.save()
    login(client, user)
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert 'href="/usagers/"' not in response.content.decode()


# --- ESSMS switcher


@pytest.fixture
def two_hats(essms, sibling_essms):
    """A user working in two ESSMS of the OG: IDE in A (first, active by default), cadre in B."""
    user = professional(essms, Metier.IDE)
    other = MembershipFactory(user=user, essms=sibling_essms, metier=Metier.CADRE_SANTE)
    return user, user.membership, other


def test_switcher_lists_the_other_memberships(client, two_hats):
    user, first, other = two_hats
    login(client, user)
    content = client.get(reverse("home")).content.decode()
    assert "Changer d'établissement" in content
    assert f'formaction="{reverse("switch-essms", args=[other.pk])}"' in content
    assert f'formaction="{reverse("switch-essms", args=[first.pk])}"' not in content
    assert "IME Les Peupliers" in content
    assert 'name="csrfmiddlewaretoken"' in content


def test_no_switcher_with_a_single_membership(client, essms):
    login(client, professional(essms))
    assert "Changer d'établissement" not in client.get(reverse("home")).content.decode()


def test_switch_changes_the_active_essms(client, two_hats):
    user, first, other = two_hats
    login(client, user)
    client.get(reverse("home"))
    assert client.session[SESSION_KEY] == first.pk
    response = client.post(reverse("switch-essms", args=[other.pk]))
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session[SESSION_KEY] == other.pk
    content = client.get(reverse("home")).content.decode()
    assert "Vous travaillez à <strong>IME Les Peupliers</strong>" in content
    assert "Cadre de santé / IDEC" in content
    assert f'formaction="{reverse("switch-essms", args=[first.pk])}"' in content


def test_switch_requires_post(client, two_hats):
    user, _, other = two_hats
    login(client, user)
    assert client.get(reverse("switch-essms", args=[other.pk])).status_code == 405


def test_switch_requires_login(client, two_hats):
    _, _, other = two_hats
    response = client.post(reverse("switch-essms", args=[other.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_switch_to_someone_elses_membership_is_404(client, two_hats, sibling_essms):
    user, first, _ = two_hats
    stranger = professional(sibling_essms, Metier.DIRECTION)
    login(client, user)
    client.get(reverse("home"))
    response = client.post(reverse("switch-essms", args=[stranger.membership.pk]))
    assert response.status_code == 404
    assert client.session[SESSION_KEY] == first.pk


def test_switch_to_an_ended_or_missing_membership_is_404(client, two_hats):
    user, first, other = two_hats
    membership_end(membership=other)
    login(client, user)
    client.get(reverse("home"))
    assert client.post(reverse("switch-essms", args=[other.pk])).status_code == 404
    assert client.post(reverse("switch-essms", args=[999_999])).status_code == 404
    assert client.session[SESSION_KEY] == first.pk


# --- Ending a membership takes effect at the next request


def test_ending_the_only_membership_removes_access_at_once(client, essms):
    user = professional(essms)
    login(client, user)
    assert client.get(reverse("home")).status_code == 200
    membership_end(membership=user.membership)
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "Aucune affectation active" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_ending_the_active_membership_falls_back_to_the_other(client, two_hats):
    user, first, other = two_hats
    login(client, user)
    client.get(reverse("home"))
    assert client.session[SESSION_KEY] == first.pk
    membership_end(membership=first)
    content = client.get(reverse("home")).content.decode()
    assert "Vous travaillez à <strong>IME Les Peupliers</strong>" in content
    assert "Changer d'établissement" not in content
    assert client.session[SESSION_KEY] == other.pk


# --- Error pages


def test_404_page_is_french(client, db):
    response = client.get("/cette-page-n-existe-pas/")
    content = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in content
    assert '<html lang="fr">' in content


def test_404_page_for_a_logged_in_user_keeps_the_shell(client, essms):
    login(client, professional(essms))
    response = client.get("/cette-page-n-existe-pas/")
    content = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in content
    assert "EHPAD Les Cèdres" in content
    assert "Se déconnecter" in content


@with_sections
def test_403_page_is_french(client, essms):
    login(client, professional(essms))
    response = client.get("/interdit/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_500_page_is_standalone(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    content = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="fr">' in content
    assert "Une erreur est survenue" in content
    assert "{%" not in content and "{{" not in content


def test_csrf_failure_page_is_french(essms):
    from django.test import Client

    from tests.factories import professional

    client = Client(enforce_csrf_checks=True)
    client.force_login(professional(essms))
    response = client.post(reverse("password_change"), {})
    assert response.status_code == 403
    assert "Formulaire expiré" in response.content.decode()


def test_healthz_is_exempt_from_https_redirect(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("login")).status_code == 301


# --- Grouped menu


def group_labels(user, path="/"):
    return [(group.label, [item.label for item in group.items]) for group in grouped_navigation(user, path)]


def test_menu_groups_follow_nav_groups_and_drop_empty_ones(essms):
    director = professional(essms, Metier.DIRECTION)
    groups = dict(group_labels(director))
    assert list(groups)[:4] == ["Au quotidien", "Usagers", "Soins", "Pilotage & admin"]
    assert "Journal des accès" in groups["Pilotage & admin"]
    assert "Soins du poste" in groups["Soins"]
    technician = professional(essms, Metier.TECHNIQUE)
    assert "Soins" not in dict(group_labels(technician))


def test_every_allowed_item_is_in_exactly_one_group(essms):
    user = professional(essms, Metier.CADRE_SANTE)
    grouped = [label for _, items in group_labels(user) for label in items]
    assert sorted(grouped) == sorted(labels(user))


def test_a_route_listed_in_no_group_goes_to_the_last_one(essms, monkeypatch):
    from dui.views import shell

    monkeypatch.setattr(shell, "NAV_GROUPS", shell.NAV_GROUPS[:1])
    groups = dict(group_labels(professional(essms, Metier.DIRECTION)))
    assert "Journal des accès" in groups[shell.OTHER_GROUP]


def test_current_item_is_the_longest_prefix_only():
    items = [NavItem("Soins", "/soins/", "", True), NavItem("Retard", "/soins/retard/", "", True)]
    assert current_item(items, "/soins/retard/?unite=3").label == "Retard"
    assert current_item(items, "/soins/liste/").label == "Soins"
    assert current_item(items, "/ailleurs/") is None


def test_menu_marks_one_page_once_and_its_group(client, essms):
    login(client, professional(essms, Metier.DIRECTION))
    content = client.get(reverse("audit-log")).content.decode()
    assert content.count('aria-current="page"') == 1
    assert '<details class="nav-group nav-group-current">' in content
    assert '<details class="nav-menu" data-nav-menu>' in content
    assert "js/nav.js" in content
