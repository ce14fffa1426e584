#!/usr/bin/env bash
# Set up and run the application with demo data (SQLite and eager tasks unless
# DATABASE_URL / REDIS_URL are set). Port: PORT (default 8000).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
PORT="${PORT:-8000}"
# Like production (French error pages, never Django's debug page), but over plain HTTP on the
# local network: no HTTPS redirect, no secure-only cookies, no HSTS. For the demo only; the
# production defaults of config/settings.py stay strict.
export DEBUG="${DEBUG:-0}"
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-0}"
export SECURE_COOKIES="${SECURE_COOKIES:-0}"
export SECURE_HSTS_SECONDS="${SECURE_HSTS_SECONDS:-0}"

# A tablet on the LAN reaches the demo by this machine's name or address: allow them.
lan_hosts() {
    local name addresses
    name="$(hostname 2>/dev/null || true)"
    if command -v hostname >/dev/null && hostname -I >/dev/null 2>&1; then
        addresses="$(hostname -I)"
    else  # macOS
        addresses="$(ipconfig getifaddr en0 2>/dev/null || true) $(ipconfig getifaddr en1 2>/dev/null || true)"
    fi
    printf 'localhost,127.0.0.1,[::1]'
    [ -n "$name" ] && printf ',%s,%s.local' "${name%.local}" "${name%.local}"
    for address in $addresses; do
        case "$address" in *:*) printf ',[%s]' "$address" ;; *) printf ',%s' "$address" ;; esac
    done
}
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-$(lan_hosts)}"

if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "Python 3.11 ou plus récent est requis (variable PYTHON ou commande python3)." >&2
        exit 2
    fi
    echo "Création de l'environnement virtuel .venv…"
    "$PYTHON" -m venv .venv
fi

stamp=".venv/.installed-$(.venv/bin/python -c 'import hashlib,sys; print(hashlib.sha256(open("pyproject.toml","rb").read()).hexdigest()[:16])')"
if [ ! -f "$stamp" ]; then
    echo "Installation des dépendances…"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
    rm -f .venv/.installed-*
    touch "$stamp"
fi

.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py collectstatic --noinput --verbosity 0
.venv/bin/python manage.py seed_demo

echo
echo "Application disponible sur http://localhost:${PORT}/  (arrêt : Ctrl+C)"
for host in ${ALLOWED_HOSTS//,/ }; do
    case "$host" in localhost|127.0.0.1|"[::1]") ;; *) echo "  depuis une tablette du réseau local : http://${host}:${PORT}/" ;; esac
done
echo
exec .venv/bin/python manage.py runserver "0.0.0.0:${PORT}"
