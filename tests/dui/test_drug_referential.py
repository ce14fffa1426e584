"""BDPM import (exact column format, Windows-1252, all or nothing) and the referential's reads."""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dui.drugs_referential import starter_referential_load, strength_mg
from dui.models import AccessLog, Drug, DrugComponent, Presentation, Substance
from dui.selectors.drugs import drug_search

FIXTURES = Path(__file__).parent / "bdpm"


@pytest.fixture
def bdpm_dir(tmp_path):
    for name in ("CIS_bdpm.txt", "CIS_COMPO_bdpm.txt", "CIS_CIP_bdpm.txt"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path


def test_strength_parsing():
    assert strength_mg("1 g") == 1000
    assert strength_mg("1 000 mg") == 1000
    assert strength_mg("37,5 mg") == Decimal("37.5")
    assert strength_mg("50 microgrammes") == Decimal("0.05")
    assert strength_mg("100 unités") is None


def test_import_reads_the_three_files(db, bdpm_dir, capsys):
    call_command("import_bdpm", str(bdpm_dir))
    assert "3 spécialité(s), 4 composant(s), 2 présentation(s)" in capsys.readouterr().out
    amox = Drug.objects.get(cis="60234100")
    component = amox.components.get()
    # The therapeutic fraction (FT) wins over the salt, and meets the starter substance by name.
    assert component.substance == Substance.objects.get(name="amoxicilline")
    assert component.substance.code == "00184" and component.strength_mg == 1000
    assert component.substance.classes.filter(code="penicillines").exists()
    ixprim = Drug.objects.get(cis="62345678")
    assert not ixprim.marketed
    assert set(ixprim.substances.values_list("name", flat=True)) == {"chlorhydrate de tramadol", "paracétamol"}
    assert Presentation.objects.get(cip13="3400936234014").drug == amox
    # Accents came through Windows-1252.
    assert Drug.objects.get(cis="61234567").name == "DOLIPRANE 1000 mg, comprimé"


def test_import_is_written_to_the_access_log(db, bdpm_dir):
    call_command("import_bdpm", str(bdpm_dir))
    row = AccessLog.objects.get(object_type="dui.drug")
    assert (row.action, row.channel, row.username) == ("update", "task", "commande import_bdpm")
    assert row.detail == "import BDPM : 3 spécialité(s), 4 composant(s), 2 présentation(s)"


def test_a_refused_import_writes_no_access_log_row(db, bdpm_dir):
    (bdpm_dir / "CIS_bdpm.txt").write_text("6123\tX\n", encoding="cp1252")
    with pytest.raises(CommandError):
        call_command("import_bdpm", str(bdpm_dir))
    assert not AccessLog.objects.filter(object_type="dui.drug").exists()


def test_import_twice_changes_nothing(db, bdpm_dir):
    call_command("import_bdpm", str(bdpm_dir))
    counts = (Drug.objects.count(), DrugComponent.objects.count(), Presentation.objects.count())
    call_command("import_bdpm", str(bdpm_dir))
    assert counts == (Drug.objects.count(), DrugComponent.objects.count(), Presentation.objects.count())


@pytest.mark.parametrize(
    ("name", "line", "expected"),
    [
        ("CIS_COMPO_bdpm.txt", "61234567\tcomprimé\t02202\n", "CIS_COMPO_bdpm.txt, ligne 6 : 3 colonne(s)"),
        ("CIS_bdpm.txt", "6123\tX\tcomprimé\torale\ta\tb\tc\td\te\tf\tg\tNon\n", "CIS_bdpm.txt, ligne 4 : code CIS"),
        ("CIS_CIP_bdpm.txt", "61234567\t1\tboîte\ta\tb\tc\t34009\toui\t65%\t1\n", "CIS_CIP_bdpm.txt, ligne 3 : CIP13"),
        ("CIS_COMPO_bdpm.txt", "99999999\tcp\t1\tX\t1 mg\tun cp\tSA\t1\n", "ligne 6 : code CIS « 99999999 » absent"),
    ],
)
def test_a_malformed_line_loads_nothing(db, bdpm_dir, name, line, expected):
    before = (
        Drug.objects.count(),
        DrugComponent.objects.count(),
        Presentation.objects.count(),
        Substance.objects.count(),
    )
    with open(bdpm_dir / name, "ab") as handle:
        handle.write(line.encode("cp1252"))
    with pytest.raises(CommandError) as error:
        call_command("import_bdpm", str(bdpm_dir))
    assert "Import annulé, rien n'a été chargé" in str(error.value) and expected in str(error.value)
    after = (
        Drug.objects.count(),
        DrugComponent.objects.count(),
        Presentation.objects.count(),
        Substance.objects.count(),
    )
    assert before == after
    assert not Drug.objects.filter(cis="60234100").exists()


def test_a_missing_file_is_named(db, tmp_path):
    with pytest.raises(CommandError, match=r"CIS_bdpm\.txt"):
        call_command("import_bdpm", str(tmp_path))


def test_the_starter_load_is_idempotent(db):
    counts = (Drug.objects.count(), Substance.objects.count())
    starter_referential_load()
    assert counts == (Drug.objects.count(), Substance.objects.count()) and counts[0] >= 30


def test_search_by_name_or_substance(db):
    names = [drug.name for drug in drug_search("amox")]
    assert names and all("AMOXICILLINE" in name for name in names)
    assert any("CODÉINE" in drug.name for drug in drug_search("codéine"))
    assert drug_search("a") == []
