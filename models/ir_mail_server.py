# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from email import encoders
from email.mime.base import MIMEBase
from email.mime.text import MIMEText

from odoo import models

# context key of the calendar parts of the mails being sent (a
# CalendarParts: no client can send one)
CALENDAR_PARTS_KEY = 'training_calendar_parts'


class CalendarParts(object):
    """{Message-Id: (iTIP text, method)} of the invitations among the mails
    being sent; hashable by identity, as a context value must be."""

    def __init__(self, parts):
        self.parts = parts

    def get(self, message_id):
        return self.parts.get(message_id)


class IrMailServer(models.Model):
    """A calendar invitation goes as Outlook and the other clients expect
    it (RFC 6047): a ``text/calendar; method=REQUEST`` (or CANCEL) part
    beside the text and HTML of the ``multipart/alternative``, and the same
    file attached as ``invitation.ics`` for the clients that only offer
    attachments."""
    _inherit = 'ir.mail_server'

    def build_email(self, email_from, email_to, subject, body, *args,
                    **kwargs):
        message = super(IrMailServer, self).build_email(
            email_from, email_to, subject, body, *args, **kwargs)
        parts = self.env.context.get(CALENDAR_PARTS_KEY)
        part = isinstance(parts, CalendarParts) and parts.get(
            kwargs.get('message_id'))
        if part:
            add_calendar(message, *part)
        return message


def add_calendar(message, ics, method):
    """Put the iTIP file ``ics`` (text) of ``method`` into ``message``."""
    alternative = next((part for part in message.walk()
                        if part.get_content_type() == 'multipart/alternative'),
                       None)
    calendar = MIMEText(ics, 'calendar', 'utf-8')
    calendar.set_param('method', method)
    if alternative is None:  # a plain text mail: the calendar beside it
        message.attach(calendar)
    else:
        alternative.attach(calendar)
    attachment = MIMEBase('application', 'ics', name='invitation.ics')
    attachment.set_payload(ics.encode('utf-8'))
    encoders.encode_base64(attachment)
    attachment.add_header('Content-Disposition', 'attachment',
                          filename='invitation.ics')
    message.attach(attachment)
