#!/usr/bin/env bash
# Audit of the installed Python dependencies (.venv) against known vulnerabilities (pip-audit).
# Fails when a vulnerability that has a fixed version is reported. When the vulnerability
# service cannot be reached (a machine that only sees a package mirror), says so and how many
# packages were really audited, without failing: no result is not a clean result.
# AUDIT_REPORT=<file.json>: read a report already written by `pip-audit --format json` instead.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=.venv/bin/python
if [ ! -x "$PYTHON" ] || ! "$PYTHON" -m pip_audit --version >/dev/null 2>&1; then
    echo "ERREUR : pip-audit absent de .venv (dépendances de développement : pip install -e '.[dev]')." >&2
    exit 2
fi

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT

# One run per vulnerability service: PyPI's first, OSV when PyPI audited nothing.
run_audit() {
    local service="$1"
    set +e
    "$PYTHON" -m pip_audit --skip-editable --format json --progress-spinner off \
        --vulnerability-service "$service" --output "$workdir/$service.json" >"$workdir/$service.log" 2>&1
    local code=$?
    set -e
    echo "$code" >"$workdir/$service.code"
}

summarise() {
    # Prints "audited total" and the findings; exit 1 if a vulnerability has a fix, 3 if nothing was audited.
    "$PYTHON" - "$1" <<'PY'
import json
import sys

path = sys.argv[1]
try:
    with open(path, encoding="utf-8") as handle:
        report = json.load(handle)
except (OSError, ValueError):
    print("0 0")
    sys.exit(3)
deps = report.get("dependencies", [])
skipped = [dep for dep in deps if "skip_reason" in dep]
audited = len(deps) - len(skipped)
print(f"{audited} {len(deps)}")
fixable, unfixed = [], []
for dep in deps:
    for vuln in dep.get("vulns", []):
        line = f"{dep['name']} {dep.get('version', '?')} : {vuln['id']}"
        if vuln.get("fix_versions"):
            fixable.append(f"{line} (corrigé en {', '.join(vuln['fix_versions'])})")
        else:
            unfixed.append(f"{line} (pas encore de version corrigée)")
for line in unfixed:
    print(f"ATTENTION {line}")
for line in fixable:
    print(f"VULNÉRABLE {line}")
if fixable:
    sys.exit(1)
if audited == 0:
    sys.exit(3)
PY
}

service=pypi
if [ -n "${AUDIT_REPORT:-}" ]; then
    cp "$AUDIT_REPORT" "$workdir/pypi.json"
    : >"$workdir/pypi.log"
else
    run_audit pypi
fi
set +e
summary="$(summarise "$workdir/pypi.json")"
verdict=$?
set -e
if [ "$verdict" -eq 3 ] && [ -z "${AUDIT_REPORT:-}" ]; then
    run_audit osv
    set +e
    osv_summary="$(summarise "$workdir/osv.json")"
    osv_verdict=$?
    set -e
    if [ "$osv_verdict" -ne 3 ]; then
        service=osv summary="$osv_summary" verdict="$osv_verdict"
    fi
fi

read -r audited total <<<"$(head -n 1 <<<"$summary")"
tail -n +2 <<<"$summary"
echo "Audit des dépendances (${service}) : ${audited} paquet(s) audité(s) sur ${total} installé(s)."

case "$verdict" in
    0)
        skipped=$((total - audited))
        if [ "$skipped" -gt 0 ]; then
            echo "ATTENTION : ${skipped} paquet(s) non audité(s) (absents du service de vulnérabilités)."
        fi
        echo "Aucune vulnérabilité corrigeable connue."
        ;;
    1)
        echo "ERREUR : vulnérabilité(s) connue(s) avec une version corrigée : mettez ces paquets à jour." >&2
        exit 1
        ;;
    3)
        # Nothing audited: say why, and fail unless the cause is the service being out of reach.
        reasons=""
        for tried in pypi osv; do
            reason="$(cat "$workdir/$tried.log" "$workdir/$tried.json" 2>/dev/null |
                grep -oE '(not found on PyPI|NameResolutionError|ConnectionError|Max retries exceeded|timed out)' |
                head -n 1 || true)"
            if [ -n "$reason" ]; then
                reasons="${reasons}  ${tried} : ${reason}"$'\n'
            fi
        done
        if [ -z "$reasons" ]; then
            echo "ERREUR : pip-audit n'a audité aucun paquet, pour une raison inconnue." >&2
            cat "$workdir"/*.log >&2
            exit 2
        fi
        echo "ATTENTION : audit impossible : service de vulnérabilités injoignable (PyPI et OSV)."
        echo "  ${audited} paquet(s) réellement audité(s) sur ${total} : l'absence de résultat ne vaut pas" \
            "absence de vulnérabilité."
        printf '%s' "$reasons"
        ;;
    *)
        echo "ERREUR : pip-audit a échoué (code ${verdict})." >&2
        cat "$workdir/$service.log" >&2
        exit "$verdict"
        ;;
esac
