#!/usr/bin/env bash
# Run the whole test suite: creates .venv if missing, installs the project with its dev
# extras, then runs pytest with the given arguments (e.g. `bash scripts/test.sh -q -k finess`).
# DATABASE_URL / REDIS_URL are used when set; otherwise SQLite and eager Celery tasks.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "Python 3.11 ou plus récent est requis (variable PYTHON ou commande python3)." >&2
        exit 2
    fi
    echo "Création de l'environnement virtuel .venv…" >&2
    "$PYTHON" -m venv .venv
fi

# Reinstall only when pyproject.toml changed since the last install.
stamp=".venv/.installed-$(.venv/bin/python -c 'import hashlib,sys; print(hashlib.sha256(open("pyproject.toml","rb").read()).hexdigest()[:16])')"
if [ ! -f "$stamp" ]; then
    echo "Installation des dépendances…" >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
    rm -f .venv/.installed-*
    touch "$stamp"
fi

# The suite runs on every core (pytest-xdist); TEST_WORKERS=0 runs it in one process.
set +e
.venv/bin/python -m pytest -n "${TEST_WORKERS:-auto}" "$@"
code=$?
set -e
if [ "$code" -eq 5 ]; then
    echo "Aucun test collecté : considéré comme un échec." >&2
    exit 1
fi
exit "$code"
