"""What seed_demo prints: the counts created, the demo accounts, their password, the FINESS numbers."""

from collections.abc import Callable

from demo.seed.tenancy import ACCOUNTS, DEMO_PASSWORD
from dui.models import Essms, Metier


def write_report(
    created: dict[str, int],
    establishments: dict[str, Essms],
    *,
    write: Callable[[str], None],
    success: Callable[[str], str] = str,
) -> None:
    summary = ", ".join(f"{label} : {count}" for label, count in created.items())
    if any(created.values()):
        write(success(f"Données de démonstration créées : {summary}."))
    else:
        write("Données de démonstration déjà présentes : rien à créer.")

    rows = [("Identifiant", "Nom", "Métier", "Établissement(s)")]
    labels = dict(Metier.choices)
    for username, first_name, last_name, metier, keys in ACCOUNTS:
        places = " + ".join(establishments[key].name for key in keys)
        rows.append((username, f"{first_name} {last_name}", labels[metier], places))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(row):
        return "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()

    write("")
    write("Comptes de démonstration")
    write(line(rows[0]))
    write("  ".join("-" * width for width in widths))
    for row in rows[1:]:
        write(line(row))
    write("")
    write("Portail des familles (/portail/) : famille.martin, fille d'une résidente de l'EHPAD")
    write(f"Mot de passe de tous les comptes (à la création) : {DEMO_PASSWORD}")
    write("")
    write("Numéros FINESS des établissements (jetons d'API : create_api_token --essms <FINESS>)")
    for essms in establishments.values():
        write(f"{essms.finess}  {essms.name}")
    first = next(iter(establishments.values()))
    write(f"Exemple : python manage.py create_api_token --essms {first.finess} --name essai")
