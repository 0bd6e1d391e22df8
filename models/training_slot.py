# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .training_calendar_invitation import SLOT_EVENT_FIELDS
from .training_registration import TUTOR_GROUP

# what moves the first or last day of the slot's session
PERIOD_FIELDS = {'date_start', 'date_end', 'sequence_id'}

# Bookings of a slot: its room and each of the people who teach in it.
_BOOKINGS_SQL = """
    SELECT s.id AS slot_id, s.date_start, s.date_end,
           'room' AS kind, s.room_id AS resource_id
      FROM training_slot s
     WHERE s.room_id IS NOT NULL
    UNION
    SELECT s.id, s.date_start, s.date_end, 'person', r.partner_id
      FROM training_slot s
      JOIN training_slot_trainer_rel r ON r.slot_id = s.id
    UNION
    SELECT s.id, s.date_start, s.date_end, 'person', s.cotrainer_id
      FROM training_slot s
     WHERE s.cotrainer_id IS NOT NULL
"""
# Pairs of bookings of the same resource at overlapping times, among the
# slots of live sessions and sequences; filled with the selected columns
# and an optional WHERE clause.
_CONFLICTS_SQL = """
    WITH booking AS (""" + _BOOKINGS_SQL.replace('%', '%%') + """),
    live AS (
        SELECT b.* FROM booking b
          JOIN training_slot s ON s.id = b.slot_id
          JOIN training_sequence q ON q.id = s.sequence_id
          JOIN training_session t ON t.id = q.session_id
         WHERE q.status != 'cancelled' AND t.state != 'cancelled'
    )
    SELECT DISTINCT %s
      FROM live a
      JOIN live b ON b.kind = a.kind
                 AND b.resource_id = a.resource_id
                 AND b.slot_id != a.slot_id
                 AND b.date_start < a.date_end
                 AND a.date_start < b.date_end
    %s
"""


class TrainingSlot(models.Model):
    """A time slot ("créneau") of a sequence: when, where and with whom."""
    _name = 'training.slot'
    _inherit = ['training.calendar.update.mixin',
                'training.create.trigger.mixin']
    _description = 'Training slot'
    _order = 'date_start, id'

    sequence_id = fields.Many2one(
        'training.sequence',
        string='Sequence',
        required=True,
        index=True,
        ondelete='cascade',
    )
    session_id = fields.Many2one(
        related='sequence_id.session_id',
        store=True,
        index=True,
        readonly=True,
    )
    is_prework = fields.Boolean(
        related='sequence_id.is_prework',
        readonly=True,
    )
    place_id = fields.Many2one('res.partner', string='Place')
    room_id = fields.Many2one('training.room', string='Room', index=True)
    trainer_ids = fields.Many2many(
        'res.partner',
        'training_slot_trainer_rel',
        'slot_id',
        'partner_id',
        string='Trainers',
    )
    cotrainer_id = fields.Many2one('res.partner', string='Co-trainer')
    host_id = fields.Many2one(
        'res.partner',
        string='Host',
        help='The person who welcomes the participants on site.',
    )
    organisation_id = fields.Many2one(
        'res.partner',
        string='Training organisation',
    )
    comment_organisation = fields.Text(
        string='Training organisation notification comment',
    )
    comment_place = fields.Text(string='Place notification comment')
    comment_trainer_file = fields.Text(
        string='Trainer file notification comment',
    )
    date_start = fields.Datetime(string='Start', required=True, index=True)
    date_end = fields.Datetime(string='End', required=True)
    break_duration = fields.Float(
        string='Break (hours)',
        help='Break time not counted in the duration.',
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
    half_day_count = fields.Integer(
        string='Half-days',
        compute='_compute_half_days',
        help='Half-days the slot covers in local time, morning and afternoon '
             '(split at 13:00) of each of its days: one signature each on '
             'the attendance sheet.',
    )
    attendance_ids = fields.One2many(
        'training.attendance',
        'slot_id',
        string='Attendance',
    )
    conflict_slot_ids = fields.Many2many(
        'training.slot',
        string='Conflicting slots',
        compute='_compute_conflicts',
        help='Other slots at the same time in the same room or with one of '
             'the same trainers.',
    )
    has_conflict = fields.Boolean(
        string='Double booking',
        compute='_compute_conflicts',
        search='_search_has_conflict',
    )
    calendar_invitations = fields.Boolean(
        related='session_id.calendar_invitations', readonly=True)

    @api.depends('date_start', 'date_end', 'break_duration')
    def _compute_durations(self):
        hours_per_day = self.env.user.company_id.training_hours_per_day or 7.0
        for slot in self:
            if not (slot.date_start and slot.date_end):
                slot.duration_hours = slot.duration_days = 0.0
                continue
            span = fields.Datetime.from_string(slot.date_end) - \
                fields.Datetime.from_string(slot.date_start)
            hours = span.total_seconds() / 3600.0 - (slot.break_duration or 0)
            slot.duration_hours = max(hours, 0.0)
            slot.duration_days = round(slot.duration_hours / hours_per_day, 2)

    @api.depends('date_start', 'date_end')
    def _compute_half_days(self):
        for slot in self:
            slot.half_day_count = len(slot.half_days())

    @api.multi
    def half_days(self):
        """[(local date, 'am' or 'pm')] covered by the slot."""
        self.ensure_one()
        if not (self.date_start and self.date_end):
            return []
        session = self.sequence_id.session_id
        start = session._local(self.date_start).replace(tzinfo=None)
        end = session._local(self.date_end).replace(tzinfo=None)
        result = []
        day = start.date()
        while day <= end.date():
            midnight = datetime.datetime.combine(day, datetime.time())
            noon = midnight + datetime.timedelta(hours=13)
            if start < noon and end > midnight:
                result.append((day, 'am'))
            if end > noon and start < midnight + datetime.timedelta(days=1):
                result.append((day, 'pm'))
            day += datetime.timedelta(days=1)
        return result

    @api.constrains('date_start', 'date_end', 'break_duration')
    def _check_dates(self):
        for slot in self:
            if slot.date_end <= slot.date_start:
                raise ValidationError(_(
                    'Slot of "%s": the end must be after the start.'
                ) % slot.sequence_id.name)
            if slot.break_duration < 0:
                raise ValidationError(_('The break cannot be negative.'))
            if slot.duration_hours <= 0:
                raise ValidationError(_(
                    'Slot of "%s": the break is as long as the slot itself.'
                ) % slot.sequence_id.name)
        self.mapped('sequence_id.session_id')._check_component_dates()

    @api.multi
    def _compute_conflicts(self):
        conflicts = self._conflicting_pairs()
        for slot in self:
            others = conflicts.get(slot.id, set())
            slot.conflict_slot_ids = [(6, 0, sorted(others))]
            slot.has_conflict = bool(others)

    @api.multi
    def _conflicting_pairs(self):
        """{slot id: ids of the other slots sharing its room or one of its
        trainers at an overlapping time}, for all of ``self`` in one query.
        Slots of cancelled sessions or sequences do not count."""
        ids = [i for i in self.ids if isinstance(i, int)]
        if not ids:
            return {}
        self.env.cr.execute(_CONFLICTS_SQL % (
            'a.slot_id, b.slot_id', 'WHERE a.slot_id IN %s'), (tuple(ids),))
        result = {}
        for slot_id, other_id in self.env.cr.fetchall():
            result.setdefault(slot_id, set()).add(other_id)
        return result

    @api.model
    def _search_has_conflict(self, operator, value):
        if operator not in ('=', '!=') or not isinstance(value, bool):
            raise ValidationError(_('Unsupported search on double bookings.'))
        # one query over every slot; access rules apply to the final search
        self.env.cr.execute(_CONFLICTS_SQL % ('a.slot_id', ''))
        conflicting = [row[0] for row in self.env.cr.fetchall()]
        positive = (operator == '=') == value
        return [('id', 'in' if positive else 'not in', conflicting)]

    @api.onchange('room_id')
    def _onchange_room_id(self):
        if self.room_id.place_id:
            self.place_id = self.room_id.place_id

    @api.onchange('sequence_id')
    def _onchange_sequence_id(self):
        session = self.sequence_id.session_id
        if session and not self.trainer_ids:
            self.trainer_ids = session.trainer_ids
        if session and not self.organisation_id:
            self.organisation_id = session.organisation_id

    @api.multi
    def name_get(self):
        result = []
        for slot in self:
            label = slot.sequence_id.name or ''
            if slot.date_start:
                start = fields.Datetime.context_timestamp(
                    slot, fields.Datetime.from_string(slot.date_start))
                label = '%s - %s' % (label, start.strftime('%d/%m/%Y %H:%M'))
            result.append((slot.id, label))
        return result

    @api.model
    def create(self, vals):
        session = self.env['training.sequence'].browse(
            vals.get('sequence_id')).session_id
        session._check_planning_lock()
        periods = session._validated_periods()
        self = self._with_switch(vals)
        slot = super(TrainingSlot, self).create(vals)
        session._check_validated_periods(periods)
        self.env['training.attendance']._create_missing(slots=slot)
        slot.session_id._sync_mail_schedules()
        slot.sequence_id._notify_calendar()
        return slot

    @api.multi
    def write(self, vals):
        self = self._with_switch(vals)
        self.mapped('session_id')._check_planning_lock()
        if vals.get('sequence_id'):
            self.env['training.sequence'].browse(
                vals['sequence_id']).session_id._check_planning_lock()
        sessions = self.mapped('session_id')
        sequences = self.mapped('sequence_id')
        moved = self.browse()
        if 'sequence_id' in vals:
            moved = self.filtered(
                lambda slot: slot.sequence_id.id != vals['sequence_id'])
            moved._drop_attendances()
        periods = {}
        if PERIOD_FIELDS.intersection(vals):
            sessions |= self.env['training.sequence'].browse(
                vals.get('sequence_id')).session_id
            periods = sessions._validated_periods()
        result = super(TrainingSlot, self).write(vals)
        sessions._check_validated_periods(periods)
        if moved:
            self.env['training.attendance']._create_missing(slots=moved)
        if {'date_start', 'date_end', 'sequence_id'}.intersection(vals):
            (sessions | self.mapped('session_id'))._sync_mail_schedules()
        if SLOT_EVENT_FIELDS.intersection(vals):
            (sequences | self.mapped('sequence_id'))._notify_calendar()
        return result

    @api.multi
    def portal_can_record(self):
        """Whether the user teaches this slot: its trainers, co-trainer
        and the session's trainers record its attendance."""
        self.ensure_one()
        slot = self.sudo()
        teachers = slot.trainer_ids | slot.cotrainer_id | \
            slot.sequence_id.session_id.trainer_ids
        return self.env.user.partner_id in teachers

    @api.multi
    def portal_can_validate(self):
        """Whether the user is a tutor of this slot's session."""
        self.ensure_one()
        return self.env.user.has_group(TUTOR_GROUP) and \
            self.env.user.partner_id in \
            self.sudo().sequence_id.session_id.tutor_ids

    @api.multi
    def _check_portal_staff(self):
        """AccessError unless the user reads this slot and teaches it or
        tutors its session."""
        self.ensure_one()
        self.check_access_rule('read')
        if not (self.portal_can_record() or self.portal_can_validate()):
            raise AccessError(_('Only the trainers of this slot and the '
                                'tutors of its session see its attendance '
                                'and trainer file.'))

    @api.multi
    def portal_trainer_documents(self):
        """The documents of the trainer file for this slot's trainers and
        its session's tutors: the attachments of the session's enabled
        trainer-file e-mail settings, as sudo (portal users read no
        e-mail settings)."""
        self._check_portal_staff()
        return self.sudo().session_id.mail_ids.filtered(
            lambda mail: mail.kind == 'trainer_file' and mail.enabled
        ).mapped('attachment_ids')

    @api.multi
    def portal_validate_attendance(self):
        """The tutor's validation from the portal (manual 004): the
        recorded lines of this slot not validated yet, as the user."""
        self.ensure_one()
        self.check_access_rule('read')
        if not self.portal_can_validate():
            raise AccessError(_('Only the tutors of this session validate '
                                'its attendance.'))
        lines = self.attendance_ids.filtered(
            lambda att: not att.validated_on and att.state != 'todo')
        lines.action_validate()
        return lines

    @api.multi
    def portal_save_attendance(self, lines, validate=False):
        """The slot page's save: ``lines`` recorded (a tutor's corrections
        and comments first), then validated when ``validate``."""
        self.portal_record_attendance(lines)
        if validate:
            self.portal_validate_attendance()
        return True

    @api.multi
    def portal_record_attendance(self, lines):
        """The attendance of this slot from the portal, by its trainers or,
        before validating, the session's tutors (manual 004: the tutor
        validates presences and absences, and the trainees read the tutor's
        comments): ``lines`` {attendance id: (state, comment)}, only this
        slot's lines, written as the user (record rules and the tutors'
        lock apply)."""
        self._check_portal_staff()
        attendances = self.attendance_ids.filtered(
            lambda att: att.id in lines)
        if set(lines) - set(attendances.ids):
            raise AccessError(_('These attendance lines are not of this '
                                'slot.'))
        for attendance in attendances:
            state, comment = lines[attendance.id]
            comment = (comment or '').strip() or False
            if (attendance.state, attendance.comment or False) != (
                    state, comment):
                attendance.write({'state': state, 'comment': comment})
        return True

    @api.multi
    def _drop_attendances(self):
        """Remove the attendance lines of these slots, refused once one is
        recorded (the slot then stays where it is)."""
        self.mapped('attendance_ids').unlink()

    @api.multi
    def unlink(self):
        self.mapped('session_id')._check_planning_lock()
        self.mapped('attendance_ids')._check_not_recorded()
        sessions = self.mapped('session_id')
        sequences = self.mapped('sequence_id')
        periods = sessions._validated_periods()
        result = super(TrainingSlot, self).unlink()
        sessions._check_validated_periods(periods)
        sessions._sync_mail_schedules()
        sequences.exists()._notify_calendar()
        return result
