"""Debian's dovecot started on a free loopback port with a throw-away configuration (scripts/install-system-deps.sh
installs it); the mailbox belongs to the `dovecot` user when the tests run as root."""

import getpass
import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

CONFIG = """protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
default_internal_user = {internal}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_user} home={root}/home/%u
}}
mail_location = maildir:{root}/home/%u/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
service submission-login {{
  inet_listener submission {{
    port = 0
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Dovecot:
    user, password = "secretariat", "mot-de-passe"

    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        self.binary = shutil.which("dovecot") or "/usr/sbin/dovecot"

    def start(self) -> "Dovecot":
        as_root = os.geteuid() == 0
        me = getpass.getuser()
        (self.root / "home").mkdir(parents=True)
        if as_root:
            os.chmod(self.root, 0o755)  # noqa: S103 (dovecot's own users read it)
            account = pwd.getpwnam("dovecot")
            os.chown(self.root / "home", account.pw_uid, account.pw_gid)
        (self.root / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}::::::\n")
        self.config = self.root / "dovecot.conf"
        self.config.write_text(
            CONFIG.format(
                root=self.root,
                port=self.port,
                internal="dovecot" if as_root else me,
                login="dovenull" if as_root else me,
                mail_user="dovecot" if as_root else me,
            )
        )
        subprocess.run([self.binary, "-c", str(self.config)], check=True)  # noqa: S603 (our own config)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError((self.root / "dovecot.log").read_text())

    def stop(self) -> None:
        subprocess.run([self.binary, "-c", str(self.config), "stop"], check=False)  # noqa: S603

    @property
    def url(self) -> str:
        return f"imap://{self.user}:{self.password}@127.0.0.1:{self.port}/INBOX"
