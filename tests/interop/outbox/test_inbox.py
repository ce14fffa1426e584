"""Received comptes rendus: filed by qualified INS of this ESSMS, else waiting with suggestions; nothing dropped."""

import datetime
import imaplib
import mailbox
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from dui.actor import Actor
from dui.ins import IdentityStatus
from dui.models import Document, Metier, Referent
from interop.mssante import reader
from interop.mssante.boxes import ImapBox, MaildirBox, poll_box
from interop.mssante.models import InboxItem, InboxState
from interop.mssante.selectors import inbox_for_user, suggestions
from interop.mssante.services import inbox_file, inbox_receive
from tests.factories import UsagerFactory, professional
from tests.interop.outbox.conftest import MATRICULE
from tests.interop.outbox.imap_server import Dovecot
from tests.interop.outbox.mails import cr_message, plain_message
from transmissions.models import MessageRecipient


def test_qualified_ins_known_here_is_filed_and_referent_notified(essms, qualified):
    referent = professional(essms, Metier.IDE)
    Referent.objects.create(
        essms=essms, usager=qualified, user=referent, role="referent", starts_on=datetime.date(2026, 1, 1)
    )
    item = inbox_receive(essms, cr_message(ins=MATRICULE), source="maildir")
    assert item.state == InboxState.FILED, item.problem
    document = item.filed_document
    assert (document.usager, document.document_class.code, document.document_date) == (
        qualified, "cr_hospitalisation", datetime.date(2026, 3, 2),
    )  # fmt: skip
    assert document.source == "Luc Martin"
    assert MessageRecipient.objects.filter(user=referent).exists()


def test_same_message_twice_is_stored_once(essms, qualified):
    raw = cr_message(ins=MATRICULE, message_id="<cr-1@ch.mssante.fr>")
    inbox_receive(essms, raw, source="imap")
    inbox_receive(essms, raw, source="imap")
    assert InboxItem.objects.count() == 1 and Document.objects.count() == 1


def test_ins_of_another_essms_is_neither_filed_there_nor_revealed(essms, foreign_essms):
    UsagerFactory(essms=foreign_essms, ins_matricule=MATRICULE, identity_status=IdentityStatus.QUALIFIEE)
    item = inbox_receive(essms, cr_message(ins=MATRICULE), source="imap")
    assert item.state == InboxState.WAITING and item.problem == ""
    assert not Document.objects.exists()
    assert suggestions(item) == []


def test_unqualified_identity_waits_with_suggestions_by_traits(essms, qualified):
    qualified.identity_status = IdentityStatus.VALIDEE
    qualified.search_text = "lefevre eloise marie"
    qualified.save()
    UsagerFactory(essms=essms, birth_name="DURAND", birth_date=datetime.date(1950, 1, 1))
    item = inbox_receive(essms, cr_message(ins=MATRICULE, family="LEFEVRE", given="ELOISE"), source="imap")
    assert item.state == InboxState.WAITING
    found = suggestions(item)
    assert [s.usager for s in found] == [qualified]
    assert set(found[0].reasons) == {"nom", "prénom", "date de naissance", "sexe"}


def test_birth_date_differing_from_the_known_ins_is_not_filed(essms, qualified):
    item = inbox_receive(essms, cr_message(ins=MATRICULE, birth=datetime.date(1940, 1, 1)), source="imap")
    assert item.state == InboxState.WAITING and "date de naissance diffère" in item.problem


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (plain_message(), reader.NO_ATTACHMENT),
        (plain_message(attachment=("photo.png", b"\x89PNG\r\n\x1a\n....", "image/png")), reader.NOT_PDF),
        (cr_message(ins=MATRICULE, cda=b"<ClinicalDocument><pas fini"), reader.BAD_CDA),
        (plain_message(attachment=("IHE_XDM.ZIP", b"PK\x03\x04 broken", "application/zip")), reader.BAD_ZIP),
    ],
    ids=["no-attachment", "not-pdf", "bad-cda", "bad-zip"],
)
def test_unreadable_messages_stay_in_the_queue_with_the_reason(essms, qualified, raw, reason):
    item = inbox_receive(essms, raw, source="imap")
    assert item.state == InboxState.WAITING and item.problem == reason
    assert item.raw.read() == raw
    assert not Document.objects.exists()


def test_oversized_attachment_waits_with_the_size_reason(essms, qualified, settings):
    settings.DOCUMENT_MAX_BYTES = 100
    item = inbox_receive(essms, cr_message(ins=MATRICULE), source="imap")
    assert item.state == InboxState.WAITING and "trop volumineux" in item.problem
    assert not Document.objects.exists()


def test_secretaire_files_a_waiting_message_in_one_click(essms, qualified, secretaire, foreign_essms):
    item = inbox_receive(essms, cr_message(), source="imap")
    actor = Actor(secretaire)
    assert list(inbox_for_user(actor)) == [item]
    other = UsagerFactory(essms=foreign_essms)
    with pytest.raises(Exception, match="usager de votre établissement"):
        inbox_file(actor, item=item, usager=other)
    document = inbox_file(actor, item=item, usager=qualified)
    item.refresh_from_db()
    assert item.state == InboxState.FILED and document.usager == qualified and item.filed_by == secretaire
    with pytest.raises(Exception, match="déjà été classé"):
        inbox_file(actor, item=item, usager=qualified)


def test_maildir_box_reads_unread_messages_once(essms, qualified, tmp_path):
    box = mailbox.Maildir(tmp_path / "bal", create=True)
    box.add(cr_message(ins=MATRICULE))
    box.add(plain_message())
    assert poll_box(essms, MaildirBox(str(tmp_path / "bal"))) == 2
    assert poll_box(essms, MaildirBox(str(tmp_path / "bal"))) == 0
    assert sorted(InboxItem.objects.values_list("state", flat=True)) == ["filed", "waiting"]


@pytest.fixture
def dovecot():
    """Debian's dovecot; skipped where scripts/install-system-deps.sh has not run, except in CI (must run)."""
    if not shutil.which("dovecot") and not os.path.exists("/usr/sbin/dovecot") and not os.environ.get("CI"):
        pytest.skip("dovecot absent : lancez bash scripts/install-system-deps.sh")
    root = Path(tempfile.mkdtemp(prefix="dovecot-"))  # not pytest's 0700 tmp: dovecot's users must read it
    os.chmod(root, 0o755)  # noqa: S103
    server = Dovecot(root / "server").start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


def test_imap_box_against_dovecot(essms, qualified, dovecot):
    client = imaplib.IMAP4("127.0.0.1", dovecot.port)
    client.login(dovecot.user, dovecot.password)
    client.append("INBOX", None, None, cr_message(ins=MATRICULE))
    client.append("INBOX", None, None, plain_message())
    client.logout()
    with ImapBox(dovecot.url) as box:
        assert poll_box(essms, box) == 2
    with ImapBox(dovecot.url) as box:
        assert poll_box(essms, box) == 0  # marked \Seen after being stored
    assert InboxItem.objects.filter(source="imap").count() == 2
    assert InboxItem.objects.get(state=InboxState.FILED).filed_document.usager == qualified


def test_filing_a_message_whose_file_is_gone_is_a_clear_error(essms, qualified, secretaire):
    item = inbox_receive(essms, cr_message(), source="imap")
    item.raw.storage.delete(item.raw.name)
    with pytest.raises(Exception, match="introuvable dans le stockage"):
        inbox_file(Actor(secretaire), item=item, usager=qualified)
    item.refresh_from_db()
    assert item.state == InboxState.WAITING
