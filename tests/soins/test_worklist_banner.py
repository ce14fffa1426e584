"""The worklist's compact banner is built in Python: it must stay the same HTML as the compact
variant of templates/dui/_banner.html (whitespace between tags aside), whatever the banner holds."""

import datetime
import re

import pytest
from django.template.loader import render_to_string

from dui.selectors.banner import Banner, BannerAlert, BannerAllergy
from soins.templatetags.worklist import compact_banner
from tests.factories import UsagerFactory


def normalised(html: str) -> str:
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", html).strip()


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"allergies": []},
        {"allergies": [], "no_known_allergy_on": datetime.date(2026, 3, 2)},
        {"allergies": [BannerAllergy("Pénicilline", "severe"), BannerAllergy("Latex <gants>", "")]},
        {
            "allergies": [BannerAllergy("Arachide", "moderate")],
            "alerts": [BannerAlert("fr", "Risque de chute", "warn")],
        },
    ],
)
@pytest.mark.parametrize("used_name", ["", "MARTIN & fils"])
def test_compact_banner_matches_the_template(db, essms, extra, used_name):
    usager = UsagerFactory(essms=essms, birth_name="LEFÈVRE", used_name=used_name, first_names="Marthe")
    banner = Banner(usager=usager, age=88, room="12", unit_name="Glycine", **extra)
    expected = render_to_string("dui/_banner.html", {"banner": banner, "compact": True})
    assert normalised(compact_banner(banner)) == normalised(expected)
