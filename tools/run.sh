#!/usr/bin/env bash
# `make run`: a database with the addon and its French demo data, then Odoo
# on http://localhost:8069. The database is created once and updated when
# the addon's files change.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DB="${DB:-training_demo}"
PORT="${ODOO_HTTP_PORT:-8069}"
PSQL=(psql -h "$ROOT/.local/pgsocket" -U odoo -d postgres -tAq)

addon_sha() { (cd "$ROOT" && git ls-files -z 2>/dev/null | xargs -0 sha1sum 2>/dev/null | sha1sum | cut -c1-40); }

installed="$("${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname='$DB'")"
if [ -n "$installed" ]; then
    installed="$(psql -h "$ROOT/.local/pgsocket" -U odoo -d "$DB" -tAq -c \
        "SELECT 1 FROM ir_module_module WHERE name='training_session' AND state='installed'" 2>/dev/null || true)"
fi
stamp="$ROOT/.local/$DB.sha"
if [ -z "$installed" ]; then
    echo "[run] creating database $DB with the addon and demo data (about a minute)"
    "${PSQL[@]}" -c "DROP DATABASE IF EXISTS \"$DB\""
    "$ROOT/bin/odoo" -d "$DB" -i training_session --load-language=fr_FR \
        --stop-after-init --log-level=warn
    addon_sha > "$stamp"
elif [ "$(cat "$stamp" 2>/dev/null)" != "$(addon_sha)" ]; then
    echo "[run] the addon changed: updating database $DB"
    "$ROOT/bin/odoo" -d "$DB" -u training_session --stop-after-init --log-level=warn
    addon_sha > "$stamp"
fi

cat <<MSG

  Odoo is starting on http://localhost:$PORT  (database $DB; Ctrl-C stops it)

  Demo logins (password = login):
    admin            Administrator (everything)
    admin.formation  Training / Administrator
    responsable      Training / Operational Manager
    gestionnaire     Training / User (population "Direction régionale Sud-Est")
    formateur        Trainer (portal)
    tuteur           Tutor (portal)
    stagiaire        Trainee (portal)
    delegataire      Certification / Delegate (Institut Secours Prévention)
    gestionnaire.certif  Certification / Manager (Institut Secours Prévention)
    formateur.certif Trainer with back-office access (certification results)

  \`make stop\` stops PostgreSQL afterwards.

MSG
# queue_job as a server-wide module: its job runner starts with the server
# and runs the background jobs (large imports) through this server's HTTP
# port (README "Design").
exec "$ROOT/bin/odoo" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" \
    --load=base,web,queue_job
