# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .private_context import NEW_SESSION_KEY, has_private
from .training_calendar_invitation import (NO_UPDATE_KEY, PENDING_KEY,
                                           SEQUENCE_EVENT_FIELDS,
                                           CalendarChanges)

# Fields of a sequence that make the session's planning (locked once
# participants are registered).
PLANNING_FIELDS = {'session_id', 'date_start', 'date_end',
                   'planned_date_start', 'planned_date_end', 'is_prework'}
# what moves the first or last day of the session (slots' dates aside)
PERIOD_FIELDS = {'session_id', 'planned_date_start', 'planned_date_end',
                 'slot_ids'}
# changes that move the sends of the session's mails
MAIL_DATE_FIELDS = PLANNING_FIELDS | {'status'}


class TrainingSequence(models.Model):
    """A part of a session ("séquence", or "atelier" in a cycle). Its dates
    are those of its slots; without slots they are the planned dates
    entered on the sequence itself."""
    _name = 'training.sequence'
    _inherit = ['training.calendar.update.mixin',
                'training.create.trigger.mixin']
    _description = 'Training sequence'
    _order = 'session_id, sequence, date_start, id'

    session_id = fields.Many2one(
        'training.session',
        string='Session',
        required=True,
        index=True,
        ondelete='cascade',
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string='Label', required=True)
    teaching_modality = fields.Selection(
        [('face_to_face', 'Face-to-face'),
         ('virtual_class', 'Virtual classroom'),
         ('e_learning', 'E-learning'),
         ('blended', 'Blended')],
        string='Teaching modality',
        default='face_to_face',
        required=True,
    )
    url = fields.Char(
        string='Training URL',
        help='Link to the virtual classroom or e-learning module.',
    )
    status = fields.Selection(
        [('planned', 'Planned'),
         ('closed', 'Closed'),
         ('cancelled', 'Cancelled'),
         ('external', 'External')],
        default='planned',
        required=True,
        help='For information only.',
    )
    is_prework = fields.Boolean(
        string='Pre-work',
        help='Preparatory work: it moves the session dates but does not '
             'count in its duration; only its calendar event is sent.',
    )
    cycle = fields.Selection(
        [('1', 'Cycle 1: training'), ('2', 'Cycle 2: deepening')],
    )
    survey_hot_id = fields.Many2one(
        'survey.survey',
        string='Hot survey',
        help='Evaluation sent to the participants at the end of the '
             'sequence.',
    )
    survey_cold_id = fields.Many2one(
        'survey.survey',
        string='Cold survey',
        help='Evaluation sent to the participants some time after the '
             'sequence, to measure what they apply.',
    )
    slot_ids = fields.One2many(
        'training.slot',
        'sequence_id',
        string='Slots',
        copy=False,
    )
    planned_date_start = fields.Datetime(copy=True)
    planned_date_end = fields.Datetime(copy=True)
    date_start = fields.Datetime(
        string='Start',
        compute='_compute_dates',
        inverse='_inverse_dates',
        store=True,
        help='Start of the first slot; planned start while there is no slot.',
    )
    date_end = fields.Datetime(
        string='End',
        compute='_compute_dates',
        inverse='_inverse_dates',
        store=True,
        help='End of the last slot; planned end while there is no slot.',
    )
    duration_hours = fields.Float(
        string='Duration (hours)',
        compute='_compute_durations',
        store=True,
    )
    duration_days = fields.Float(
        string='Duration (days)',
        compute='_compute_durations',
        store=True,
    )
    slot_count = fields.Integer(compute='_compute_durations', store=True)
    calendar_invitations = fields.Boolean(
        related='session_id.calendar_invitations', readonly=True)

    @api.depends('slot_ids.date_start', 'slot_ids.date_end',
                 'planned_date_start', 'planned_date_end')
    def _compute_dates(self):
        for seq in self:
            slots = seq.slot_ids
            if slots:
                seq.date_start = min(slots.mapped('date_start'))
                seq.date_end = max(slots.mapped('date_end'))
            else:
                seq.date_start = seq.planned_date_start
                seq.date_end = seq.planned_date_end

    @api.multi
    def _inverse_dates(self):
        """Both planned dates at once: writing one alone recomputes the
        other from its old planned date before its own inverse runs. The
        write of the dates itself sends the calendar update."""
        for seq in self.with_context(**{NO_UPDATE_KEY: True}):
            seq.write({'planned_date_start': seq.date_start,
                       'planned_date_end': seq.date_end})

    @api.depends('slot_ids.duration_hours', 'slot_ids.duration_days')
    def _compute_durations(self):
        for seq in self:
            seq.duration_hours = sum(seq.slot_ids.mapped('duration_hours'))
            seq.duration_days = sum(seq.slot_ids.mapped('duration_days'))
            seq.slot_count = len(seq.slot_ids)

    @api.constrains('date_start', 'date_end', 'planned_date_start',
                    'planned_date_end', 'session_id')
    def _check_dates(self):
        for seq in self:
            if seq.date_start and seq.date_end and \
                    seq.date_end < seq.date_start:
                raise ValidationError(_(
                    'Sequence "%s": the end must be after the start.'
                ) % seq.name)
        self.mapped('session_id')._check_component_dates()

    @api.model
    def create(self, vals):
        session = self.env['training.session'].browse(
            vals.get('session_id'))
        if has_private(self, NEW_SESSION_KEY):
            # the planning of a session being created: nobody registered,
            # no mail setting nor invitation yet
            return super(TrainingSequence, self).create(vals)
        session._check_planning_lock()
        periods = session._validated_periods()
        sequence = super(TrainingSequence, session._checking_periods(
            self, periods)).create(vals)
        session._check_validated_periods(periods)
        sequence.session_id._sync_mail_schedules()
        # new: invitations, nothing to update
        sequence._notify_calendar(update=False)
        return sequence

    @api.multi
    def write(self, vals):
        self = self._with_switch(vals)
        if PLANNING_FIELDS.intersection(vals):
            self.mapped('session_id')._check_planning_lock()
            if vals.get('session_id'):
                self.env['training.session'].browse(
                    vals['session_id'])._check_planning_lock()
        sessions = self.mapped('session_id')
        moved = self.browse()
        if 'session_id' in vals:
            moved = self.filtered(
                lambda seq: seq.session_id.id != vals['session_id'])
            # the trainees of the other session attend these slots now
            moved.mapped('slot_ids')._drop_attendances()
        self, pending = self._grouping_calendar(vals, 'slot_ids')
        periods = {}
        if PERIOD_FIELDS.intersection(vals):
            sessions |= self.env['training.session'].browse(
                vals.get('session_id'))
            periods = sessions._validated_periods()
        result = super(TrainingSequence, sessions._checking_periods(
            self, periods)).write(vals)
        sessions._check_validated_periods(periods)
        if moved:
            self.env['training.attendance']._create_missing(
                slots=moved.mapped('slot_ids'))
        if MAIL_DATE_FIELDS.intersection(vals):
            (sessions | self.mapped('session_id'))._sync_mail_schedules()
        if SEQUENCE_EVENT_FIELDS.intersection(vals):
            self._notify_calendar(sessions)
        elif 'status' in vals:
            # only cancelling or bringing back matters to the calendars
            self._notify_calendar(sessions, update=False)
        if pending:
            pending.flush(self.env)
        return result

    @api.multi
    def _notify_calendar(self, sessions=None, update=True):
        """The calendar invitations after a change of these sequences
        (``sessions``: those they belonged to before): new ones for
        sequences that got dates or came back, cancellations for cancelled
        ones, and an update for the others unless told not to. Within one
        save of several slots, once at the end (see _grouping_calendar)."""
        sessions = (sessions or self.env['training.session']) | \
            self.mapped('session_id')
        updated = self if update and \
            not self.env.context.get(NO_UPDATE_KEY) else self.browse()
        pending = self.env.context.get(PENDING_KEY)
        if pending:
            pending.add(sessions, updated)
            return
        Invitation = self.env['training.calendar.invitation']
        touched = Invitation._sync(sessions.mapped('registration_ids'))
        (Invitation.search([('sequence_id', 'in', updated.ids),
                            ('state', '=', 'sent')]) -
         touched)._send_update()

    @api.multi
    def _grouping_calendar(self, vals, nested):
        """``self`` collecting the calendar changes of a save that edits
        the ``nested`` records too, and the collector to flush after it
        (None when an outer save collects already)."""
        if nested not in vals or self.env.context.get(PENDING_KEY):
            return self, None
        pending = CalendarChanges()
        return self.with_context(**{PENDING_KEY: pending}), pending

    @api.multi
    def unlink(self):
        sessions = self.mapped('session_id')
        sessions._check_planning_lock()
        periods = sessions._validated_periods()
        self.mapped('slot_ids.attendance_ids')._check_not_recorded()
        self.env['training.calendar.invitation'].search([
            ('sequence_id', 'in', self.ids)])._send_cancel(immediate=True)
        result = super(TrainingSequence, self).unlink()
        sessions._check_validated_periods(periods)
        sessions._sync_mail_schedules()
        return result
