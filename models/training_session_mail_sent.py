# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


class TrainingSessionMailSent(models.Model):
    """One recipient of one estimated send: the key that makes a mail go
    once per person and occurrence, the record the templates render, and the
    log of the attempt."""
    _name = 'training.session.mail.sent'
    _description = 'Session mail recipient'
    _order = 'id'

    schedule_id = fields.Many2one('training.session.mail.schedule',
                                  required=True, ondelete='cascade',
                                  index=True)
    partner_id = fields.Many2one('res.partner', string='Recipient',
                                 required=True, ondelete='cascade')
    session_id = fields.Many2one(related='schedule_id.session_id',
                                 readonly=True)
    sequence_id = fields.Many2one(related='schedule_id.sequence_id',
                                  readonly=True)
    state = fields.Selection(
        [('todo', 'To send'), ('sent', 'Sent'), ('failed', 'Failed')],
        default='todo', required=True)
    attempts = fields.Integer(default=0)
    error = fields.Text()
    due_date = fields.Datetime(
        string='Due on', index=True,
        help='For the mails triggered by the registration: when this '
             'trainee\'s mail is due.')
    sent_date = fields.Datetime(string='Sent on')

    _sql_constraints = [
        ('schedule_partner_unique', 'UNIQUE (schedule_id, partner_id)',
         'A mail goes once per person and occurrence.'),
    ]

    @api.model
    def _insert(self, rows):
        """Recipient lines from (schedule id, partner id, due datetime or
        None) rows, in one INSERT, those that exist already left alone."""
        if not rows:
            return
        values = ','.join(self.env.cr.mogrify(
            "(%s, %s, %s, 'todo', 0, %s, now() at time zone 'UTC', %s, "
            "now() at time zone 'UTC')",
            (schedule_id, partner_id, due, self.env.uid, self.env.uid)
        ).decode() for schedule_id, partner_id, due in rows)
        self.env.cr.execute(
            'INSERT INTO training_session_mail_sent (schedule_id, '
            'partner_id, due_date, state, attempts, create_uid, create_date, '
            'write_uid, write_date) VALUES %s '
            'ON CONFLICT (schedule_id, partner_id) DO NOTHING' % values)

    @api.multi
    def _send(self):
        """Send each line's mail, each in a savepoint: a failure is logged
        and counted, the line tried again by a later run."""
        sent = self.browse()
        for recipient in self:
            schedule = recipient.schedule_id
            try:
                with self.env.cr.savepoint():
                    schedule.mail_id.template_id.send_mail(
                        recipient.id,
                        email_values=schedule._email_values(recipient))
                    recipient.write({'state': 'sent',
                                     'sent_date': fields.Datetime.now(),
                                     'attempts': recipient.attempts + 1})
                sent |= recipient
            except Exception as error:  # logged, tried again next run
                _logger.exception('Session mail %s to %s failed',
                                  schedule.id, recipient.partner_id.id)
                recipient.write({'state': 'failed', 'error': str(error),
                                 'attempts': recipient.attempts + 1})
        sent._update_invitations()
        return sent

    @api.multi
    def _update_invitations(self):
        """A convocation sent updates the trainee's calendar invitations
        (manual 001)."""
        convocations = self.filtered(
            lambda line: line.schedule_id.mail_id.kind == 'convocation')
        if not convocations:
            return
        pairs = {(line.schedule_id.session_id, line.partner_id)
                 for line in convocations}
        self.env['training.calendar.invitation'].search([
            ('session_id', 'in', convocations.mapped(
                'schedule_id.session_id').ids),
            ('registration_id.partner_id', 'in',
             convocations.mapped('partner_id').ids),
            ('state', '=', 'sent'),
        ]).filtered(lambda inv: (inv.session_id, inv.partner_id) in
                    pairs)._send_update()

    @api.model
    def _registration_due_domain(self):
        return [('due_date', '<=', fields.Datetime.now()),
                ('state', '!=', 'sent'),
                ('attempts', '<', MAX_ATTEMPTS),
                ('schedule_id.mail_id.trigger', '=', 'registration'),
                ('schedule_id.mail_id.enabled', '=', True),
                ('schedule_id.mail_id.template_id', '!=', False),
                ('schedule_id.session_id.state', 'in',
                 ('created', 'confirmed')),
                ('schedule_id.session_id.publication_state', '=',
                 'published')]

    @api.model
    def _cron_send_registration_mails(self, batch_size=200):
        """The registration mails left to send: delayed ones, those of
        sessions published since, and failures, each tried once per run."""
        tried = []
        while True:
            lines = self.search(self._registration_due_domain() +
                                [('id', 'not in', tried)], limit=batch_size)
            if not lines:
                return
            tried += lines.ids
            lines._send()
            self.env['training.session.mail.schedule']._commit()
