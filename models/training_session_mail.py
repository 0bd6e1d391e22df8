# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from psycopg2.extras import execute_values

from odoo import api, fields, models

from .training_mail_setting_mixin import (SEQUENCE_TRIGGERS, SETTING_FIELDS,
                                          delay_delta)

# changes of a setting that move its send dates
SCHEDULE_FIELDS = {'trigger', 'delay', 'delay_unit', 'direction', 'enabled'}


class TrainingSessionMail(models.Model):
    """One mail of a session's e-mail settings: enabled, template, trigger
    and delay, extra recipients, blind copies and attachments, with its
    estimated send dates, one per sequence for the sequence triggers
    (manual 001)."""
    _name = 'training.session.mail'
    _inherit = 'training.mail.setting.mixin'
    _description = 'Session e-mail setting'

    session_id = fields.Many2one('training.session', string='Session',
                                 required=True, ondelete='cascade',
                                 index=True)
    partner_ids = fields.Many2many(
        'res.partner', 'training_session_mail_partner_rel', 'mail_id',
        'partner_id', string='Extra recipients')
    bcc_partner_ids = fields.Many2many(
        'res.partner', 'training_session_mail_bcc_rel', 'mail_id',
        'partner_id', string='Blind copies')
    attachment_ids = fields.Many2many(
        'ir.attachment', 'training_session_mail_attachment_rel', 'mail_id',
        'attachment_id', string='Attachments')
    schedule_ids = fields.One2many(
        'training.session.mail.schedule', 'mail_id',
        string='Estimated sends', copy=False)
    next_date = fields.Datetime(
        string='Estimated send', compute='_compute_next_date',
        help='The next send not done yet, or the last one.')
    schedule_state = fields.Selection(
        [('planned', 'Planned'), ('late', 'Late'), ('sent', 'Sent'),
         ('none', 'On registration')],
        compute='_compute_next_date', string='Send state')

    @api.depends('schedule_ids.scheduled_date', 'schedule_ids.sent_date')
    def _compute_next_date(self):
        for mail in self:
            pending = mail.schedule_ids.filtered(
                lambda line: not line.sent_date).sorted('scheduled_date')
            line = pending[:1] or mail.schedule_ids.sorted(
                'scheduled_date')[-1:]
            mail.next_date = line.scheduled_date
            mail.schedule_state = line.state if line.scheduled_date \
                else 'none'

    @api.model
    def create(self, vals):
        mail = super(TrainingSessionMail, self).create(vals)
        mail._sync_schedules()
        return mail

    @api.multi
    def write(self, vals):
        result = super(TrainingSessionMail, self).write(vals)
        if SCHEDULE_FIELDS.intersection(vals):
            self._sync_schedules()
        return result

    @api.multi
    def _occurrences(self):
        """The occurrences of this mail (see ``occurrences``)."""
        self.ensure_one()
        return occurrences(self.trigger, self.session_id)

    @api.model
    def _insert_with_sends(self, rows):
        """New e-mail settings (see _insert_settings) with their estimated
        sends: the defaults of new sessions, each session's dates read
        once for all its settings."""
        mails = self._insert_settings(rows)
        # the sessions' dates and sequences read together
        sessions = {session.id: session for session in self.env[
            'training.session'].browse({row['session_id'] for row in rows})}
        sends = []
        for mail_id, row in zip(mails.ids, rows):
            if not row.get('enabled'):
                continue
            delta = delay_delta(row['delay'], row['delay_unit'],
                                row['direction'])
            session = sessions[row['session_id']]
            for sequence, reference in occurrences(
                    row['trigger'], session).items():
                sends.append((mail_id, row['session_id'],
                              sequence and sequence.id or None,
                              reference or None,
                              scheduled_date(reference, delta) or None))
        self.env['training.session.mail.schedule']._insert_sends(sends)
        return mails

    @api.model
    def _insert_settings(self, rows):
        """New e-mail settings, ``rows`` of their values (the setting
        fields and ``session_id``), inserted in one statement: the
        defaults of new sessions, hundreds at once in an import."""
        if not rows:
            return self.browse()
        columns = ['session_id', 'sequence'] + SETTING_FIELDS
        now = fields.Datetime.now()
        ids = execute_values(self.env.cr, """
            INSERT INTO training_session_mail (%s, create_uid, create_date,
                   write_uid, write_date) VALUES %%s RETURNING id""" % (
            ', '.join(columns)), [
            tuple(row.get(name) or None if name == 'template_id'
                  else row.get(name) for name in columns) +
            (self.env.uid, now, self.env.uid, now) for row in rows],
            fetch=True)
        return self.browse([row[0] for row in ids])

    @api.multi
    def _sync_schedules(self):
        """Bring the estimated sends in line with the dates: a send whose
        reference date moved is re-armed; one already sent for the same
        date stays sent; those of vanished occurrences go. The new sends
        are inserted together."""
        Schedule = self.env['training.session.mail.schedule']
        new = []
        for mail in self:
            if not mail.enabled:
                # kept: they remember who got the mail already
                continue
            existing = {line.sequence_id or None: line
                        for line in mail.schedule_ids}
            for sequence, reference in mail._occurrences().items():
                scheduled = scheduled_date(reference, mail._delay_delta())
                line = existing.pop(sequence, None)
                if not line:
                    new.append((mail.id, mail.session_id.id,
                                sequence and sequence.id or None,
                                reference or None, scheduled or None))
                elif line.reference_date != reference:
                    line.write({'reference_date': reference,
                                'scheduled_date': scheduled,
                                'sent_date': False})
                elif line.scheduled_date != scheduled:
                    line.scheduled_date = scheduled
            for line in existing.values():
                line.unlink()
        Schedule._insert_sends(new)
        if new:
            self.invalidate_cache(['schedule_ids'], self.ids)

    # ------------------------------------------------- on registration
    @api.model
    def _send_on_registration(self, registrations):
        """The mails triggered by the registration, for these newly enrolled
        trainees: sent by background jobs when due now (a delay after the
        registration leaves them to the scheduled action), once per
        trainee, only for published sessions (the others when they are
        published)."""
        if not registrations:
            return
        mails = self.sudo().search([
            ('session_id', 'in', registrations.mapped('session_id').ids),
            ('trigger', '=', 'registration'), ('enabled', '=', True),
            ('template_id', '!=', False)])
        if not mails:
            return
        now = fields.Datetime.from_string(fields.Datetime.now())
        rows = []
        for mail in mails:
            schedule = mail.schedule_ids[:1]
            due = now + max(mail._delay_delta(), datetime.timedelta(0))
            for reg in registrations:
                if reg.session_id == mail.session_id:
                    rows.append((schedule.id, reg.partner_id.id, due))
        Sent = self.env['training.session.mail.sent'].sudo()
        Sent._insert(rows)
        Sent.search([
            ('schedule_id', 'in', mails.mapped('schedule_ids').ids),
            ('partner_id', 'in', registrations.mapped('partner_id').ids),
            ('state', '=', 'todo'),
            ('due_date', '<=', fields.Datetime.to_string(now)),
            ('schedule_id.session_id.publication_state', '=', 'published'),
        ])._send_later()

    @api.model
    def _forget_registration(self, registrations):
        """Drop the registration mails not sent yet to trainees who left."""
        pairs = {(reg.session_id.id, reg.partner_id.id)
                 for reg in registrations}
        self.env['training.session.mail.sent'].sudo().search([
            ('schedule_id.session_id', 'in',
             registrations.mapped('session_id').ids),
            ('schedule_id.mail_id.trigger', '=', 'registration'),
            ('partner_id', 'in', registrations.mapped('partner_id').ids),
            ('state', '!=', 'sent'),
        ]).filtered(lambda line: (line.schedule_id.session_id.id,
                                  line.partner_id.id) in pairs).unlink()


def occurrences(trigger, session):
    """{sequence or None: reference datetime (UTC string)} of a mail of
    ``trigger`` on ``session``: one per sequence for the sequence triggers
    (pre-work excluded: only its calendar event is sent), the session's
    start or end otherwise, one line without date on registration (the key
    of who got it already)."""
    if trigger in SEQUENCE_TRIGGERS:
        name = 'date_start' if trigger == 'sequence_start' else 'date_end'
        return {seq: seq[name] for seq in session.sequence_ids
                if not seq.is_prework and seq.status != 'cancelled'
                and seq[name]}
    if trigger == 'session_start' and session.date_start:
        return {None: session.date_start}
    if trigger == 'session_end' and session.date_end:
        return {None: session.date_end}
    if trigger == 'registration':
        return {None: False}
    return {}


def scheduled_date(reference, delta):
    """The send date (UTC string) of an occurrence at ``reference`` (UTC
    string, or False on registration) moved by ``delta``."""
    return reference and fields.Datetime.to_string(
        fields.Datetime.from_string(reference) + delta)
