# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression

from .ir_mail_server import CALENDAR_PARTS_KEY, CalendarParts
from .mail_batch import render_batch
from .private_context import TRAINING_MAIL_KEY, has_private

_logger = logging.getLogger(__name__)

# what links a mail to the training mail it is: the session mail line it
# is rendered again from, as superuser, when it goes, and the calendar
# part of an invitation; set by the training mails only (mail_batch)
TRAINING_MAIL_FIELDS = ('training_recipient_id', 'training_invitation_id',
                        'training_calendar_method', 'training_calendar')


class MailMail(models.Model):
    """Odoo 11 lets every user read every outgoing mail, and the training
    mails are kept once sent (the back office's evidence of what was sent
    to whom). A mail is readable, writable and deletable by the
    administrators, its recipients and its author, and by the internal
    users who may read the record it was sent about (for the training
    mails: the training users of that session's populations); a portal
    user reads only the mails addressed to them."""
    _inherit = 'mail.mail'

    training_recipient_id = fields.Many2one(
        'training.session.mail.sent', string='Session mail recipient',
        ondelete='set null', index=True, readonly=True, copy=False,
        help='The session mail this is: rendered again when it is sent, '
             'so that it gives the planning of that moment.')
    training_invitation_id = fields.Many2one(
        'training.calendar.invitation', string='Calendar invitation',
        ondelete='set null', index=True, readonly=True, copy=False)
    training_calendar_method = fields.Selection(
        [('REQUEST', 'Invitation'), ('CANCEL', 'Cancellation')],
        string='Calendar method', readonly=True, copy=False)
    training_calendar = fields.Text(
        string='Calendar file', readonly=True, copy=False,
        help='The iTIP file of the invitation, sent as the calendar part '
             'of the mail (RFC 6047).')

    @api.model
    def create(self, vals):
        self._check_training_links(vals)
        return super(MailMail, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_training_links(vals)
        return super(MailMail, self).write(vals)

    @api.model
    def _check_training_links(self, vals):
        """A user linking their mail to another's session mail would read
        it once rendered again: only the training mails set the links."""
        if not has_private(self, TRAINING_MAIL_KEY) and any(
                vals.get(name) for name in TRAINING_MAIL_FIELDS):
            raise AccessError(_(
                'Only the training mails are linked to a session mail or '
                'a calendar invitation.'))

    @api.model
    def _unrestricted(self):
        return self.env.uid == SUPERUSER_ID or self.env.user._is_system()

    @api.model
    def _allowed_mail_ids(self, ids):
        """The ids among ``ids`` of the mails the user may access."""
        if not ids:
            return set()
        pid = self.env.user.partner_id.id
        self.env.cr.execute("""
            SELECT mail.id, message.model, message.res_id,
                   message.author_id = %(pid)s
                   OR EXISTS (SELECT 1 FROM mail_mail_res_partner_rel rel
                              WHERE rel.mail_mail_id = mail.id
                                AND rel.res_partner_id = %(pid)s)
                   OR EXISTS (SELECT 1 FROM mail_message_res_partner_rel rel
                              WHERE rel.mail_message_id = message.id
                                AND rel.res_partner_id = %(pid)s)
              FROM mail_mail mail
              JOIN mail_message message ON message.id = mail.mail_message_id
             WHERE mail.id IN %(ids)s""", {'pid': pid, 'ids': tuple(ids)})
        allowed, by_document = set(), {}
        for mail_id, model, res_id, addressed in self.env.cr.fetchall():
            if addressed:
                allowed.add(mail_id)
            elif model and res_id:
                by_document.setdefault(model, {}).setdefault(
                    res_id, set()).add(mail_id)
        if by_document and not self.env.user.share:
            allowed |= self.env['mail.message']._find_allowed_doc_ids(
                by_document)
        return allowed

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False,
                access_rights_uid=None):
        if self._unrestricted():
            return super(MailMail, self)._search(
                args, offset=offset, limit=limit, order=order, count=count,
                access_rights_uid=access_rights_uid)
        ids = super(MailMail, self)._search(
            args, offset=offset, limit=limit, order=order, count=False,
            access_rights_uid=access_rights_uid)
        allowed = self._allowed_mail_ids(ids)
        ids = [mail_id for mail_id in ids if mail_id in allowed]
        return len(ids) if count else ids

    @api.multi
    def check_access_rule(self, operation):
        super(MailMail, self).check_access_rule(operation)
        if self._unrestricted() or operation == 'create':
            return
        if set(self.ids) - self._allowed_mail_ids(self.ids):
            raise AccessError(_(
                'This e-mail is neither addressed to you nor about a record '
                'you may read.'))

    @api.multi
    def read(self, fields=None, load='_classic_read'):
        """The ORM reads with the record rules only (its writes and
        deletions call check_access_rule): check ours as mail.message
        does."""
        self.check_access_rule('read')
        return super(MailMail, self).read(fields=fields, load=load)

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None,
                   orderby=False, lazy=True):
        """Grouped over the mails the user may read only."""
        if not self._unrestricted():
            domain = expression.AND([domain or [], [
                ('id', 'in', self._search(domain or []))]])
        return super(MailMail, self).read_group(
            domain, fields, groupby, offset=offset, limit=limit,
            orderby=orderby, lazy=lazy)

    # ------------------------------------------------------------ sending
    @api.multi
    def _send(self, auto_commit=False, raise_exception=False,
              smtp_session=None):
        """The training mails rendered again just before they go, and the
        calendar part of the invitations given to the mail server."""
        parts = self._training_prepare()
        mails = self.with_context(**{CALENDAR_PARTS_KEY: parts}) \
            if parts else self
        return super(MailMail, mails)._send(
            auto_commit=auto_commit, raise_exception=raise_exception,
            smtp_session=smtp_session)

    @api.multi
    def _training_prepare(self):
        """Render again the session mails among these, so that a trainee
        whose mail was queued before the planning changed gets the new
        hours; the calendar parts of the invitations among these, a
        CalendarParts (None when there is none). An invitation's mail is
        replaced whenever its event changes (a new revision), so its
        rendering stands."""
        mails = self.sudo().filtered(lambda mail: mail.state == 'outgoing')
        mails.filtered('training_recipient_id')._training_render_again()
        invitations = mails.filtered('training_calendar')
        if not invitations:
            return None
        return CalendarParts({
            mail.message_id: (mail.training_calendar,
                              mail.training_calendar_method)
            for mail in invitations})

    @api.multi
    def _training_render_again(self):
        """Subject and body of these session mails rendered from their
        recipient line as it is now, once per template and language; a
        mail whose rendering fails keeps the one it was queued with."""
        by_line = {mail.training_recipient_id.id: mail for mail in self}
        lines = self.mapped('training_recipient_id')
        for template, group in lines._group_by_template():
            rendered = render_batch(group, template, lambda line, error: (
                _logger.warning('Session mail %s kept as queued: %s',
                                by_line[line.id].id, error)))
            for line_id, values in rendered.items():
                by_line[line_id].write({'subject': values.get('subject'),
                                        'body_html': values.get('body_html')})
