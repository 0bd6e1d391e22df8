# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, fields, models

from odoo.addons.queue_job.job import job

from .background import MAIL_CHANNEL, delay_batches, dispatch, lock_rows
from .mail_batch import queue_mail, render_batch

_logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


class TrainingSessionMailSent(models.Model):
    """One recipient of one estimated send: the key that makes a mail go
    once per person and occurrence, the record the templates render, and the
    log of the attempt."""
    _name = 'training.session.mail.sent'
    _description = 'Session mail recipient'
    _order = 'id'

    # joined in the scheduler's domain (one query)
    schedule_id = fields.Many2one('training.session.mail.schedule',
                                  required=True, ondelete='cascade',
                                  index=True, auto_join=True)
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
        """Send each line's mail: rendered for the whole batch at once per
        template, then queued each in a savepoint, so that a failure is
        logged and counted on its line, tried again by a later run."""
        sent = self.browse()
        for template, lines in self._group_by_template():
            rendered = lines._render(template)
            for line in lines.filtered(lambda line: line.id in rendered):
                try:
                    with self.env.cr.savepoint():
                        line._create_mail(rendered[line.id])
                    sent |= line
                except Exception as error:  # logged, tried again next run
                    _logger.exception('Session mail %s to %s failed',
                                      line.schedule_id.id,
                                      line.partner_id.id)
                    line._fail(error)
        if sent:
            self.env.cr.execute(
                "UPDATE training_session_mail_sent SET state = 'sent', "
                "sent_date = now() at time zone 'UTC', "
                "attempts = attempts + 1 WHERE id IN %s", (tuple(sent.ids),))
            sent.invalidate_cache(['state', 'sent_date', 'attempts'])
        sent._update_invitations()
        return sent

    @api.multi
    def _send_later(self):
        """Send these lines' mails by background jobs, one per batch."""
        delay_batches(self, '_job_send', _('Session mails to send'))

    @job(default_channel=MAIL_CHANNEL)
    @api.multi
    def _job_send(self):
        """The background job of a batch of lines: sends those still to be
        sent (none when run again)."""
        lines = lock_rows(self.sudo().exists(), "state != 'sent'")
        sent = lines._send()
        return _('%(sent)d of %(count)d mails sent.') % {
            'sent': len(sent), 'count': len(self)}

    @api.multi
    def _group_by_template(self):
        """[(template, lines)], per template and recipient's language: Odoo
        renders a batch in one language."""
        groups = {}
        for line in self:
            key = (line.schedule_id.mail_id.template_id,
                   line.partner_id.lang)
            groups[key] = groups.get(key, self.browse()) | line
        return [(template, lines)
                for (template, _lang), lines in groups.items()]

    @api.multi
    def _render(self, template):
        """{line id: rendered values}, for all the lines at once, else line
        by line when that fails: the lines that fail are left out, counted,
        and tried again by a later run."""
        return render_batch(self, template,
                            lambda line, error: line._fail(error))

    @api.multi
    def _create_mail(self, values):
        """Queue this line's mail from its rendered ``values``, with the
        setting's recipients, blind copies and attachments."""
        self.ensure_one()
        extra = self.schedule_id._email_values(self)
        extra['training_recipient_id'] = self.id
        return queue_mail(self.env, values, extra)

    @api.multi
    def _fail(self, error):
        for line in self:
            line.write({'state': 'failed', 'error': str(error),
                        'attempts': line.attempts + 1})

    @api.multi
    def _update_invitations(self):
        """A convocation sent updates the trainee's calendar invitations
        (manual 001)."""
        convocations = self.filtered(
            lambda line: line.schedule_id.mail_id.kind == 'convocation')
        if not convocations:
            return
        # a convocation per sequence updates that sequence's invitation only
        no_sequence = self.env['training.sequence']
        keys = {(line.schedule_id.session_id, line.partner_id,
                 line.schedule_id.sequence_id) for line in convocations}
        self.env['training.calendar.invitation'].search([
            ('session_id', 'in', convocations.mapped(
                'schedule_id.session_id').ids),
            ('registration_id.partner_id', 'in',
             convocations.mapped('partner_id').ids),
            ('state', '=', 'sent'),
        ]).filtered(lambda inv: any(
            (inv.session_id, inv.partner_id, sequence) in keys
            for sequence in (inv.sequence_id, no_sequence)))._send_update()

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
        sessions published since, and failures, each tried once per run,
        by background jobs (see background.dispatch)."""
        dispatch(self.search(self._registration_due_domain()), '_job_send',
                 _('Session mails to send'), batch_size)
