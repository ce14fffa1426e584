"""Reading the ESSMS's organisational MSSanté box: IMAP (the operator's server) or a Maildir folder.

A message is marked read (IMAP \\Seen, Maildir moved to cur/ with the S flag) only after it has been
stored: a crash in between reads it again, and the Message-ID keeps it from being stored twice.

MSSANTE_INBOXES maps a FINESS to a box URL: `imaps://user:password@host:993/INBOX`,
`imap://user:password@host:143/INBOX?starttls=1` or `maildir:///var/mail/ehpad`."""

import imaplib
import mailbox
import ssl
from collections.abc import Iterator
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings

from dui.models import Essms
from interop.mssante.services import inbox_receive


class MaildirBox:
    source = "maildir"

    def __init__(self, path: str):
        self.box = mailbox.Maildir(path, create=False)

    def messages(self) -> Iterator[tuple[str, bytes]]:
        for key in list(self.box.iterkeys()):
            message = self.box.get_message(key)
            if "S" in message.get_flags():
                continue
            yield key, self.box.get_bytes(key)

    def done(self, key: str) -> None:
        message = self.box.get_message(key)
        message.set_subdir("cur")
        message.add_flag("S")
        self.box[key] = message


class ImapBox:
    source = "imap"

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.secure = parts.scheme == "imaps"
        self.host, self.port = parts.hostname, parts.port or (993 if self.secure else 143)
        self.user, self.password = unquote(parts.username or ""), unquote(parts.password or "")
        self.folder = parts.path.strip("/") or "INBOX"
        self.starttls = parse_qs(parts.query).get("starttls", ["0"])[0] == "1"
        self.client = None

    def __enter__(self):
        context = ssl.create_default_context(cafile=getattr(settings, "MSSANTE_IMAP_CA_BUNDLE", "") or None)
        timeout = float(getattr(settings, "MSSANTE_TIMEOUT", 30))
        if self.secure:
            self.client = imaplib.IMAP4_SSL(self.host, self.port, ssl_context=context, timeout=timeout)
        else:
            self.client = imaplib.IMAP4(self.host, self.port, timeout=timeout)
            if self.starttls:
                self.client.starttls(ssl_context=context)
        self.client.login(self.user, self.password)
        self.client.select(self.folder)
        return self

    def __exit__(self, *exc):
        try:
            self.client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass

    def messages(self) -> Iterator[tuple[str, bytes]]:
        status, data = self.client.uid("SEARCH", None, "UNSEEN")
        if status != "OK":
            return
        for uid in data[0].split():
            status, parts = self.client.uid("FETCH", uid, "(BODY.PEEK[])")
            if status == "OK" and parts and isinstance(parts[0], tuple):
                yield uid.decode(), parts[0][1]

    def done(self, key: str) -> None:
        self.client.uid("STORE", key, "+FLAGS", "(\\Seen)")


def poll_box(essms: Essms, box) -> int:
    """Store (and file what can be) every unread message of one box; returns how many were read."""
    count = 0
    for key, raw in box.messages():
        inbox_receive(essms, raw, source=box.source)
        box.done(key)
        count += 1
    return count


def poll_configured() -> int:
    """Every box of MSSANTE_INBOXES (the beat task)."""
    total = 0
    for finess, url in getattr(settings, "MSSANTE_INBOXES", {}).items():
        essms = Essms.objects.filter(finess=finess).first()
        if essms is None:
            continue
        if url.startswith("maildir://"):
            total += poll_box(essms, MaildirBox(url.removeprefix("maildir://")))
        else:
            with ImapBox(url) as box:
                total += poll_box(essms, box)
    return total
