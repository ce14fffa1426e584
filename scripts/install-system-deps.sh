#!/usr/bin/env bash
# System packages the test suite needs beyond Python: Debian's Chromium, driven by Playwright
# through /usr/bin/chromium for the browser journeys (no browser download); the libraries and
# fonts WeasyPrint needs to print the PDF relevés.
# Idempotent: does nothing when every command is already there.
set -euo pipefail

PACKAGES=(chromium)
# Libraries and fonts (no command to look for): checked with dpkg.
# poppler-utils gives pdftotext, with which the tests read the text of the generated PDFs.
# dovecot-imapd: the IMAP server the MSSanté inbox tests start on loopback (never as a service).
LIBRARIES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils dovecot-imapd)

is_present() {
    local package="$1" library
    for library in "${LIBRARIES[@]}"; do
        if [ "$package" = "$library" ]; then
            [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)" = "install ok installed" ]
            return
        fi
    done
    command -v "$package" >/dev/null 2>&1
}

missing=()
for package in "${PACKAGES[@]}" "${LIBRARIES[@]}"; do
    if ! is_present "$package"; then
        missing+=("$package")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "Dépendances système présentes : ${PACKAGES[*]} ${LIBRARIES[*]}."
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ERREUR : apt-get introuvable ; installez à la main : ${missing[*]} (paquets Debian/Ubuntu)." >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
else
    echo "ERREUR : installation de « ${missing[*]} » impossible : ni root ni sudo sans mot de passe." >&2
    echo "Lancez en root : apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "Installation des paquets système : ${missing[*]}…"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq "${missing[@]}"

for package in "${missing[@]}"; do
    if ! is_present "$package"; then
        echo "ERREUR : « $package » toujours introuvable après l'installation." >&2
        exit 1
    fi
done
echo "Dépendances système installées : ${missing[*]}."
