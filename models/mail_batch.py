# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Mails of many records at once: one rendering of a template for a whole
batch (``mail.template.generate_email`` over several ids), then one queued
mail per record. Used by the session mails' scheduler and the calendar
invitations."""
import logging

from .private_context import TRAINING_MAIL_KEY, with_private, without_private

_logger = logging.getLogger(__name__)

# what the training templates render (no partner_to: each mail's
# recipient is given)
RENDERED_FIELDS = ['subject', 'body_html', 'email_from', 'reply_to']


def render_batch(records, template, on_error):
    """{record id: rendered values} of ``template`` for ``records``, all at
    once, else record by record when that fails: a record that fails alone
    is left out and passed to ``on_error(record, error)``."""
    try:
        with records.env.cr.savepoint():
            return template.generate_email(records.ids, RENDERED_FIELDS)
    except Exception as error:  # a record's data: find which one
        if len(records) == 1:
            _logger.exception('%s %s: rendering %s failed', records._name,
                              records.id, template.name)
            on_error(records, error)
            return {}
    rendered = {}
    for record in records:
        rendered.update(render_batch(record, template, on_error))
    return rendered


def queue_mail(env, values, extra):
    """Queue a ``mail.mail`` from a record's rendered ``values`` and
    ``extra`` values (recipients, attachment ids...)."""
    values = dict(values)
    values.pop('attachments', None)
    values.pop('partner_ids', None)
    if not values.get('email_from'):
        values.pop('email_from', None)
    values.update(extra)
    values['attachment_ids'] = [(6, 0, values.get('attachment_ids', []))]
    mail = with_private(env['mail.mail'], TRAINING_MAIL_KEY).create(values)
    return without_private(mail, TRAINING_MAIL_KEY)
