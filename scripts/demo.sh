#!/usr/bin/env bash
# Set up and run the application with demo data (SQLite and eager tasks unless
# DATABASE_URL / REDIS_URL are set). Port: PORT (default 8000).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
PORT="${PORT:-8000}"
export DEBUG="${DEBUG:-1}"

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
.venv/bin/python manage.py seed_demo

echo
echo "Application disponible sur http://localhost:${PORT}/  (arrêt : Ctrl+C)"
echo
exec .venv/bin/python manage.py runserver "0.0.0.0:${PORT}"
