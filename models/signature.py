# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Drawn signatures of attendance (issue 17): what a signature must be,
where it was given from, and the database triggers that keep it: a
signature is never rewritten nor deleted, by anyone, the administrator and
SQL included."""
import base64
import binascii

from odoo import _
from odoo.exceptions import UserError
from odoo.http import request

PNG_MAGIC = b'\x89PNG\r\n\x1a\n'
# a drawn signature is a few kilobytes; this bounds what a client may send
MAX_SIGNATURE_BYTES = 300 * 1024
DATA_URL_PREFIX = 'data:image/png;base64,'


def checked_png(signature):
    """The base64 of the PNG ``signature`` (base64, or the canvas's data
    URL); UserError when it is no PNG image or too large."""
    if isinstance(signature, bytes):
        signature = signature.decode('ascii', 'replace')
    signature = (signature or '').strip()
    if signature.startswith(DATA_URL_PREFIX):
        signature = signature[len(DATA_URL_PREFIX):]
    try:
        content = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        content = b''
    if not content.startswith(PNG_MAGIC):
        raise UserError(_('The signature is missing: sign in the frame, '
                          'then confirm.'))
    if len(content) > MAX_SIGNATURE_BYTES:
        raise UserError(_('This signature is too large (%(size)d KB, at '
                          'most %(limit)d KB).') % {
            'size': len(content) // 1024,
            'limit': MAX_SIGNATURE_BYTES // 1024})
    return base64.b64encode(content)


def signing_evidence():
    """(IP address, user agent) of the request being served, if any."""
    try:
        httprequest = request.httprequest
    except (AttributeError, RuntimeError):
        return False, False
    agent = httprequest.headers.get('User-Agent') or False
    return httprequest.remote_addr or False, agent and agent[:500]


def keep_signed_rows(cr, table, signed_column, columns):
    """A trigger on ``table`` refusing, once ``signed_column`` is set, any
    change of ``columns`` and the deletion of the row."""
    changed = ' OR '.join('NEW.%s IS DISTINCT FROM OLD.%s' % (name, name)
                          for name in columns)
    _row_trigger(cr, table, '%s_keep_signature' % table, """
            IF OLD.{signed} IS NULL THEN
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END IF;
            IF TG_OP = 'DELETE' THEN
                RAISE EXCEPTION '{table} %: signed, never deleted', OLD.id;
            END IF;
            IF {changed} THEN
                RAISE EXCEPTION '{table} %: signed, never rewritten', OLD.id;
            END IF;
            RETURN NEW;""".format(table=table, signed=signed_column,
                                  changed=changed))


def keep_rows(cr, table):
    """A trigger on ``table`` refusing any change and deletion: a history
    is only added to."""
    _row_trigger(cr, table, '%s_keep' % table, """
            RAISE EXCEPTION '{table} %: a history is never changed', OLD.id;
    """.format(table=table))


def _row_trigger(cr, table, function, body):
    """(Re)make the plpgsql ``function`` of ``body`` and its trigger before
    each update or deletion of a row of ``table``."""
    cr.execute("""
        CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
        BEGIN
            {body}
        END $$ LANGUAGE plpgsql;
        DROP TRIGGER IF EXISTS {function} ON {table};
        CREATE TRIGGER {function} BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE PROCEDURE {function}();
    """.format(function=function, table=table, body=body))
