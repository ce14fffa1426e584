"""Demo tenancy: one organisme gestionnaire, an EHPAD and an IME, their units, the staff accounts.

Idempotent: every object is looked up by its natural key first; a password is set only when its
account is created, so a password changed since is never reset."""

from django.contrib.auth.password_validation import validate_password

from dui.models import Essms, EssmsKind, Membership, Metier, OrganismeGestionnaire, Unit, User
from dui.services import essms_create, membership_create, og_create, unit_create

# Published on purpose (README, command output); set only when a demo account is created.
DEMO_PASSWORD = "Demo-DUI-2026!"  # noqa: S105

OG = {"name": "Association Les Cèdres", "finess_juridique": "630000529"}

ESSMS = {
    "ehpad": {
        "name": "EHPAD Les Cèdres",
        "finess": "630781227",
        "kind": EssmsKind.EHPAD,
        "capacity": 90,
        "units": ["Unité Glycine", "Unité Lilas", "UVP Les Iris"],
    },
    "ime": {
        "name": "IME Les Peupliers",
        "finess": "630786754",
        "kind": EssmsKind.IME,
        "capacity": 60,
        "units": ["Internat", "Semi-internat", "Atelier Horticulture"],
    },
}

# (username, first name, last name, métier, establishments)
ACCOUNTS = [
    ("ehpad.direction", "Hélène", "Marchand", Metier.DIRECTION, ["ehpad"]),
    ("ehpad.cadre_sante", "Sophie", "Girard", Metier.CADRE_SANTE, ["ehpad"]),
    ("ehpad.medecin_coordonnateur", "Philippe", "Rousseau", Metier.MEDECIN_COORDONNATEUR, ["ehpad"]),
    ("ehpad.ide", "Julie", "Bernard", Metier.IDE, ["ehpad"]),
    ("ehpad.aide_soignant", "Karim", "Benali", Metier.AIDE_SOIGNANT, ["ehpad"]),
    ("ehpad.ash", "Sandrine", "Petit", Metier.ASH, ["ehpad"]),
    ("ehpad.psychologue", "Claire", "Fontaine", Metier.PSYCHOLOGUE, ["ehpad"]),
    ("ehpad.animateur", "Thomas", "Lemoine", Metier.ANIMATEUR, ["ehpad"]),
    ("ehpad.secretaire_medicale", "Nadia", "Haddad", Metier.SECRETAIRE_MEDICALE, ["ehpad"]),
    ("ehpad.medecin", "Antoine", "Lefort", Metier.MEDECIN, ["ehpad"]),
    ("ehpad.pharmacien", "Valérie", "Caron", Metier.PHARMACIEN, ["ehpad"]),
    ("ime.direction", "Laurent", "Perrin", Metier.DIRECTION, ["ime"]),
    ("ime.cadre_sante", "Isabelle", "Roux", Metier.CADRE_SANTE, ["ime"]),
    ("ime.educateur", "Mathieu", "Garnier", Metier.EDUCATEUR, ["ime"]),
    ("ime.enseignant", "Aurélie", "Chevalier", Metier.ENSEIGNANT, ["ime"]),
    ("ime.ide", "Émilie", "Faure", Metier.IDE, ["ime"]),
    ("ime.psychologue", "Nicolas", "Blanc", Metier.PSYCHOLOGUE, ["ime"]),
    ("ime.animateur", "Yasmine", "Mercier", Metier.ANIMATEUR, ["ime"]),
    ("ime.secretaire_medicale", "Céline", "Lambert", Metier.SECRETAIRE_MEDICALE, ["ime"]),
    ("ime.assistant_social", "Marion", "Dupuis", Metier.ASSISTANT_SOCIAL, ["ime"]),
    ("og.direction", "François", "Morel", Metier.DIRECTION, ["ehpad", "ime"]),
    ("og.dpo", "Anne", "Lefort", Metier.DPO, ["ehpad", "ime"]),
    ("og.administrateur", "Olivier", "Renaud", Metier.ADMINISTRATEUR, ["ehpad", "ime"]),
]

# Demo RPPS of the health professionals (11 digits, valid Luhn key; not real numbers), set on their
# account when it has none: they log in with Pro Santé Connect where it is configured.
DEMO_RPPS = {
    "ehpad.cadre_sante": "10001001014",
    "ehpad.medecin_coordonnateur": "10001012128",
    "ehpad.ide": "10001023232",
    "ehpad.medecin": "10001034346",
    "ehpad.pharmacien": "10001045458",
    "ime.cadre_sante": "10001056562",
    "ime.ide": "10001067676",
}


def seed_tenancy(created: dict[str, int]) -> dict[str, Essms]:
    """The organisme, its establishments (by key), their units, the accounts and their memberships."""
    og = OrganismeGestionnaire.objects.filter(finess_juridique=OG["finess_juridique"]).first()
    if og is None:
        og = og_create(**OG)
        created["organismes"] += 1

    establishments: dict[str, Essms] = {}
    for key, spec in ESSMS.items():
        essms = Essms.objects.filter(finess=spec["finess"]).first()
        if essms is None:
            essms = essms_create(
                og=og, name=spec["name"], finess=spec["finess"], kind=spec["kind"], capacity=spec["capacity"]
            )
            created["ESSMS"] += 1
        establishments[key] = essms
        for unit_name in spec["units"]:
            if not Unit.objects.filter(essms=essms, name=unit_name).exists():
                unit_create(essms=essms, name=unit_name)
                created["unités"] += 1

    for username, first_name, last_name, metier, keys in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first_name, last_name=last_name)
            validate_password(DEMO_PASSWORD, user)
            user.set_password(DEMO_PASSWORD)
            user.full_clean()
            user.save()
            created["comptes"] += 1
        rpps = DEMO_RPPS.get(username, "")
        if rpps and not user.rpps and not User.objects.filter(rpps=rpps).exists():
            user.rpps = rpps
            user.full_clean()
            user.save(update_fields=["rpps"])
        for key in keys:
            essms = establishments[key]
            if not Membership.objects.active().filter(user=user, essms=essms, metier=metier).exists():
                membership_create(user=user, essms_finess=essms.finess, metier=metier)
                created["affectations"] += 1
    return establishments


def demo_users() -> dict[str, User]:
    """The demo accounts by username, handed to every area seeder."""
    return {user.username: user for user in User.objects.filter(username__in=[a[0] for a in ACCOUNTS])}
