#!/usr/bin/env bash
# `make test`: a fresh database from a cached template (dependencies
# installed once), the addon installed on it (failure = failure), then every
# test with pytest-odoo. Exits non-zero on any failure or error.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LOCAL="$ROOT/.local"
SOCK="$LOCAL/pgsocket"
PSQL=(psql -h "$SOCK" -U odoo -d postgres -tAq)
DEPS="$("$ROOT/.venv/bin/python" -c "import ast; print(','.join(ast.literal_eval(open('$ROOT/__manifest__.py').read())['depends']))")"
# the template is rebuilt when the dependencies or the pinned packages
# (requirements.txt, requirements-oca.txt) change
KEY="$(printf '%s\n' "$DEPS" | cat - "$ROOT/requirements.txt" "$ROOT/requirements-oca.txt" | sha1sum | cut -c1-10)"
TEMPLATE="training_tmpl_$KEY"
DB="${TEST_DB:-training_test}"
FILESTORE="$LOCAL/data/filestore"

db_exists() { [ -n "$("${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname='$1'")" ]; }

if ! db_exists "$TEMPLATE"; then
    echo "[test] building the template database $TEMPLATE ($DEPS)"
    for old in $("${PSQL[@]}" -c "SELECT datname FROM pg_database WHERE datname LIKE 'training_tmpl_%'"); do
        "${PSQL[@]}" -c "DROP DATABASE \"$old\""; rm -rf "${FILESTORE:?}/$old"
    done
    "$ROOT/bin/odoo" -d "$TEMPLATE.part" -i "$DEPS" --load-language=fr_FR \
        --stop-after-init --log-level=warn
    "${PSQL[@]}" -c "ALTER DATABASE \"$TEMPLATE.part\" RENAME TO \"$TEMPLATE\""
    [ ! -d "$FILESTORE/$TEMPLATE.part" ] || mv "$FILESTORE/$TEMPLATE.part" "$FILESTORE/$TEMPLATE"
fi

echo "[test] flake8 (OCA settings: 79 columns, __init__.py excluded)"
(cd "$ROOT" && "$ROOT/.venv/bin/flake8" --max-line-length 79 \
    --exclude "__init__.py,__manifest__.py,.venv,.local,.git" .)

echo "[test] fresh database $DB from $TEMPLATE"
"${PSQL[@]}" -c "DROP DATABASE IF EXISTS \"$DB\""
rm -rf "${FILESTORE:?}/$DB"
"${PSQL[@]}" -c "CREATE DATABASE \"$DB\" TEMPLATE \"$TEMPLATE\""
if [ -d "$FILESTORE/$TEMPLATE" ]; then
    mkdir -p "$FILESTORE"; cp -a "$FILESTORE/$TEMPLATE" "$FILESTORE/$DB"
fi

echo "[test] installing training_session (with its demo data)"
LOG="$LOCAL/test-install.log"; : > "$LOG"
if ! "$ROOT/bin/odoo" -d "$DB" -i training_session --stop-after-init \
        --log-level=warn --logfile="$LOG"; then
    cat "$LOG"; echo "[test] installation failed"; exit 1
fi
state="$(psql -h "$SOCK" -U odoo -d "$DB" -tAq -c "SELECT state FROM ir_module_module WHERE name='training_session'")"
if [ "$state" != "installed" ] || grep -E " (ERROR|CRITICAL) " "$LOG"; then
    cat "$LOG"; echo "[test] installation failed (module state: $state)"; exit 1
fi

echo "[test] running the tests"
cd "$LOCAL/addons/training_session"
# lessc for the web assets the browser tests load (as in bin/odoo); the
# plugin serving Odoo over HTTP for HttpCase and the browser tests
export PATH="$LOCAL/node/node_modules/.bin:$PATH"
export PYTHONPATH="$ROOT/tools${PYTHONPATH:+:$PYTHONPATH}"
"$ROOT/.venv/bin/pytest" -p no:warnings -p no:cacheprovider \
    -p pytest_odoo_http \
    --odoo-config="$LOCAL/odoo.conf" --odoo-database="$DB" \
    "$LOCAL/addons/training_session/tests" "$@"
# the whole suite only (not when given a file or options): the background
# jobs run by queue_job's real job runner, as `make run` starts it (the
# tests run them in their own transaction)
if [ $# -eq 0 ]; then
    echo "[test] the job runner"
    "$ROOT/.venv/bin/python" "$ROOT/tools/runner_check.py" --source "$DB"
fi
