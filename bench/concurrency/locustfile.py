"""A shift change replayed by N logged-in professionals (locust), with 1 s of think time.

Run by bench/concurrency/run.py, which creates the accounts and writes the plan this file reads
(BENCH_PLAN: accounts, their ESSMS, units, persons and the URLs). Nothing here imports Django:
locust's processes only speak HTTP to gunicorn, as tablets would.

Each simulated user logs in with their own account, activates one of their ESSMS, then loops
over what a shift change does: the active file, the relève, the worklist with validations
(POST), transmissions written (POST) and dossier reads.
"""

import datetime
import itertools
import json
import os
import random
import re
import time
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text(encoding="utf-8"))
# Logging in (a password hash each) and choosing the ESSMS happen once per user, at the start:
# they are not the shift change measured, and are left out of the samples.
SETUP_NAMES = {"connexion (page)", "connexion", "établissement actif"}
SAMPLES: list[tuple[float, str, float, bool]] = []  # (when, page, ms, succeeded)
NEXT_ACCOUNT = itertools.count()
# Each item to do links to its validation (the page's script turns the link into a form posting there).
VALIDATE_LINK = re.compile(r'class="wl-validate[^"]*" href="([^"?]+/valider/)')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Professional(HttpUser):
    wait_time = between(0.9, 1.1)  # think time: about a second between two pages

    def on_start(self):
        account = PLAN["accounts"][next(NEXT_ACCOUNT) % len(PLAN["accounts"])]
        self.place = random.choice(account["places"])
        urls = PLAN["urls"]
        page = self.client.get(urls["login"], name="connexion (page)")
        self.client.post(
            urls["login"],
            {"username": account["username"], "password": PLAN["password"], "csrfmiddlewaretoken": _csrf(page.text)},
            headers={"Referer": self.host + urls["login"]},
            name="connexion",
        )
        self.post(self.place["activate_url"], {}, name="établissement actif")

    def post(self, url: str, data: dict, *, name: str):
        """A form POST with the CSRF cookie's token, redirects not followed (a 302 is the success)."""
        data = {**data, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
        with self.client.post(
            url, data, headers={"Referer": self.host + url}, allow_redirects=False, name=name, catch_response=True
        ) as response:
            if response.status_code in (200, 302):
                response.success()
            else:
                response.failure(f"{response.status_code}")
            return response

    @task(3)
    def active_file(self):
        self.client.get(PLAN["urls"]["active_file"], name="file active")

    @task(2)
    def handover(self):
        unit = random.choice(self.place["unit_ids"])
        self.client.get(f"{PLAN['urls']['handover']}?unite={unit}", name="relève")

    @task(4)
    def worklist_and_validations(self):
        unit = random.choice(self.place["unit_ids"])
        page = self.client.get(f"{PLAN['urls']['worklist']}?unite={unit}", name="liste de soins")
        forms = VALIDATE_LINK.findall(page.text or "")
        for action in random.sample(forms, min(2, len(forms))):
            body = {"unit": unit, "status": "done", "idempotency_key": str(uuid.uuid4()), "reason": "Test de charge"}
            self.post(action, body, name="validation d'un soin")

    @task(2)
    def write_transmission(self):
        usager = random.choice(self.place["usager_ids"])
        now = datetime.datetime.now().strftime("%Y-%m-%dT%H:%M")  # noqa: DTZ005 (the tablet's wall clock)
        body = {
            "concerne": f"p{usager}",
            "mode": "note",
            "narrative": "Note du test de charge : nuit calme, pas de plainte.",
            "observed_at": now,
            "visibility": "all",
        }
        self.post(PLAN["urls"]["transmission_create"], body, name="transmission écrite")

    @task(3)
    def dossier(self):
        usager = random.choice(self.place["usager_ids"])
        self.client.get(PLAN["urls"]["dossier"].format(id=usager), name="dossier")

    @task(2)
    def feed(self):
        self.client.get(PLAN["urls"]["feed"], name="fil des transmissions")


@events.request.add_listener
def _sample(request_type, name, response_time, response_length, exception=None, **kwargs):
    if name not in SETUP_NAMES:
        SAMPLES.append((time.time(), name, response_time, exception is None))


@events.quitting.add_listener
def _write_samples(environment, **kwargs):
    """The runner computes req/s and percentiles from these (after its warm-up)."""
    Path(os.environ["BENCH_SAMPLES"]).write_text(json.dumps(SAMPLES), encoding="utf-8")


def _csrf(html: str) -> str:
    match = CSRF_INPUT.search(html or "")
    return match.group(1) if match else ""
