# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2.extras import execute_values

from odoo import _, api, fields, models

from odoo.addons.queue_job.job import job

from .background import MAIL_CHANNEL, dispatch, lock_rows

from .training_session_mail_sent import MAX_ATTEMPTS

# kinds sent to the registered trainees; the others have their own people
TRAINEE_KINDS = ('registration', 'convocation', 'reminder', 'survey_hot',
                 'survey_cold')


class TrainingSessionMailSchedule(models.Model):
    """One estimated send of a session mail: for the session, or for one of
    its sequences. Red when past and not sent, green when upcoming."""
    _name = 'training.session.mail.schedule'
    _description = 'Estimated send of a session mail'
    _order = 'scheduled_date, id'

    # joined in the scheduler's domain (one query, whatever the number of
    # settings and sessions)
    mail_id = fields.Many2one('training.session.mail', required=True,
                              ondelete='cascade', index=True, auto_join=True)
    session_id = fields.Many2one(related='mail_id.session_id', store=True,
                                 readonly=True, index=True, auto_join=True)
    kind = fields.Selection(related='mail_id.kind', readonly=True)
    sequence_id = fields.Many2one('training.sequence', string='Sequence',
                                  ondelete='cascade')
    reference_date = fields.Datetime(
        readonly=True,
        help='The session or sequence date the send was computed from: '
             'when it moves, the send is due again.')
    scheduled_date = fields.Datetime(string='Estimated send', readonly=True)
    sent_date = fields.Datetime(string='Sent on', readonly=True)
    state = fields.Selection(
        [('planned', 'Planned'), ('late', 'Late'), ('sent', 'Sent')],
        compute='_compute_state')
    recipient_ids = fields.One2many('training.session.mail.sent',
                                    'schedule_id', string='Recipients')

    @api.depends('scheduled_date', 'sent_date')
    def _compute_state(self):
        now = fields.Datetime.now()
        for line in self:
            if line.sent_date:
                line.state = 'sent'
            elif line.scheduled_date and line.scheduled_date < now:
                line.state = 'late'
            else:
                line.state = 'planned'

    @api.model
    def _insert_sends(self, rows):
        """New estimated sends, ``rows`` of (mail, session, sequence or
        None, reference date, scheduled date), in one statement."""
        if not rows:
            return
        now = fields.Datetime.now()
        execute_values(self.env.cr, """
            INSERT INTO training_session_mail_schedule (mail_id, session_id,
                   sequence_id, reference_date, scheduled_date, create_uid,
                   create_date, write_uid, write_date) VALUES %s""", [
            row + (self.env.uid, now, self.env.uid, now) for row in rows])
        # what the new rows change: their settings' sends and what is
        # computed from them (nothing else refers to a send)
        mails = self.env['training.session.mail'].browse(
            {row[0] for row in rows})
        mails.invalidate_cache(['schedule_ids', 'next_date',
                                'schedule_state'], mails.ids)

    # ------------------------------------------------------------ sending
    @api.model
    def _due_domain(self):
        return [('sent_date', '=', False),
                ('scheduled_date', '<=', fields.Datetime.now()),
                ('mail_id.enabled', '=', True),
                ('mail_id.template_id', '!=', False),
                ('session_id.state', 'in', ('created', 'confirmed')),
                ('session_id.publication_state', '=', 'published')]

    @api.model
    def _cron_send_due(self, batch_size=200):
        """Send what is due by background jobs, a batch each (see
        background.dispatch): safe to stop and run again, a mail never
        goes twice to the same person for the same occurrence, and failed
        sends are tried again by a later run. Then the registration mails
        and the invitations left to send."""
        dispatch(self.search(self._due_domain()), '_job_send_batch',
                 _('Scheduled session mails'), batch_size)
        self.env['training.session.mail.sent']._cron_send_registration_mails(
            batch_size)
        self.env['training.calendar.invitation']._cron_retry(batch_size)

    @job(default_channel=MAIL_CHANNEL)
    @api.multi
    def _job_send_batch(self):
        """The background job of a batch of due sends: those still not
        sent (none when run again)."""
        schedules = lock_rows(self.exists(), 'sent_date IS NULL')
        done = schedules._send_batch()
        return _('%(done)d of %(count)d sends done.') % {
            'done': len(done), 'count': len(self)}

    @api.multi
    def _send_batch(self):
        """Send to the recipients of these schedules; the schedules whose
        every recipient got the mail are marked sent. Returns them."""
        self._create_recipients()
        Sent = self.env['training.session.mail.sent']
        Sent.search([('schedule_id', 'in', self.ids),
                     ('state', '!=', 'sent'),
                     ('attempts', '<', MAX_ATTEMPTS)])._send()
        pending = Sent.search([('schedule_id', 'in', self.ids),
                               ('state', '!=', 'sent')]).mapped('schedule_id')
        done = self - pending
        done.write({'sent_date': fields.Datetime.now()})
        return done

    @api.multi
    def _email_values(self, recipient):
        mail = self.mail_id
        values = {'recipient_ids': [(4, recipient.partner_id.id)]}
        if mail.bcc_partner_ids:
            values['headers'] = repr({'Bcc': ','.join(filter(
                None, mail.bcc_partner_ids.mapped('email')))})
        if mail.attachment_ids:
            # ids, the template's own along with the setting's
            values['attachment_ids'] = (mail.template_id.attachment_ids |
                                        mail.attachment_ids).ids
        return values

    @api.multi
    def _create_recipients(self):
        """The recipient lines of these schedules, in one INSERT per batch,
        never twice (unique schedule and partner)."""
        self.env['training.session.mail.sent']._insert([
            (schedule.id, partner.id, None)
            for schedule in self for partner in schedule._recipients()])
        self.invalidate_cache(['recipient_ids'])

    @api.multi
    def _recipients(self):
        """Who gets this send: the registered trainees, the trainers (trainer
        file), or the training organisation, and the extra recipients."""
        self.ensure_one()
        mail, session = self.mail_id, self.session_id
        if mail.kind == 'convocation' and session.session_type == 'inter':
            # INTER: convened from each registration's documents
            partners = self.env['res.partner']
        elif mail.kind in TRAINEE_KINDS:
            partners = session.registration_ids.filtered(
                lambda reg: reg.state in ('confirmed', 'done')).mapped(
                'partner_id')
        elif mail.kind == 'trainer_file':
            slots = self.sequence_id.slot_ids if self.sequence_id \
                else session.slot_ids
            partners = session.trainer_ids | slots.mapped('trainer_ids') | \
                slots.mapped('cotrainer_id')
        else:
            # the session's training organisation and those of its slots
            partners = session.organisation_id | \
                session.slot_ids.mapped('organisation_id')
        return partners | mail.partner_ids
