#!/usr/bin/env bash
# Refresh i18n/training_session.pot from the installed addon (run `make test`
# first: it uses the training_test database) and merge the new terms into
# i18n/fr.po, where they arrive untranslated: translate them in the same
# change (tests/test_i18n.py fails on any untranslated term).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DB="${TEST_DB:-training_test}"
command -v msgmerge >/dev/null || { echo "msgmerge missing: apt-get install gettext"; exit 1; }
tmp="$(mktemp -d)"
"$ROOT/bin/odoo" -d "$DB" --i18n-export="$tmp/template.po" \
    --modules=training_session --stop-after-init --log-level=warn
mv "$tmp/template.po" "$ROOT/i18n/training_session.pot"
msgmerge --quiet --no-fuzzy-matching --update --backup=none \
    "$ROOT/i18n/fr.po" "$ROOT/i18n/training_session.pot"
# terms gone from the code go from the translation too
msgattrib --no-obsolete --output-file="$ROOT/i18n/fr.po" "$ROOT/i18n/fr.po"
rm -rf "$tmp"
echo "i18n/training_session.pot refreshed; new terms merged into i18n/fr.po"
