# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import hashlib
import hmac

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .private_context import SIGNATURE_KEY, has_private, with_private
from .signature import checked_png, keep_signed_rows
from .training_calendar_invitation import SLOT_EVENT_FIELDS
from .training_registration import REGISTERED_STATES, TUTOR_GROUP

# what moves the first or last day of the slot's session
PERIOD_FIELDS = {'date_start', 'date_end', 'sequence_id'}
# the trainer's countersignature: written by countersign() only, never
# changed afterwards (a database trigger keeps them)
COUNTERSIGNATURE_FIELDS = ('trainer_signature', 'trainer_signed_on',
                           'trainer_signed_by_id')
# the signing window around a slot, in minutes: system parameters and
# their defaults (issue 17)
SIGNING_BEFORE = ('training_session.signing_minutes_before', 15)
SIGNING_AFTER = ('training_session.signing_minutes_after', 60)

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
    trainer_signature = fields.Binary(
        string='Trainer\'s countersignature',
        attachment=False,
        readonly=True,
        copy=False,
    )
    trainer_signed_on = fields.Datetime(
        string='Countersigned on',
        readonly=True,
        copy=False,
    )
    trainer_signed_by_id = fields.Many2one(
        'res.users',
        string='Countersigned by',
        readonly=True,
        copy=False,
    )
    signed_count = fields.Integer(
        string='Signatures',
        compute='_compute_signing_state',
    )
    signing_state = fields.Selection(
        [('none', 'No signature'),
         ('partial', 'Signatures missing'),
         ('signed', 'Signed by all'),
         ('countersigned', 'Countersigned')],
        string='Signing',
        compute='_compute_signing_state',
        help='The trainees\' signatures of this slot and the trainer\'s '
             'countersignature (issue 17).',
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
    planning_trainer_id = fields.Many2one(
        'res.partner',
        string='Trainer (planning)',
        compute='_compute_planning_trainer_id',
        inverse='_inverse_planning_trainer_id',
        help='The row of the slot in the planning by trainer: its first '
             'trainer, else its co-trainer. Dropping the slot on another '
             'trainer\'s row gives it to that trainer.',
    )

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
    def _half_day_spans(self):
        """[(local date, 'am' or 'pm', start, end)]: the half-days the slot
        covers (split at 13:00), each with the slot's naive local start and
        end within it."""
        self.ensure_one()
        if not (self.date_start and self.date_end):
            return []
        session = self.sequence_id.session_id
        start = session._local(self.date_start).replace(tzinfo=None)
        end = session._local(self.date_end).replace(tzinfo=None)
        spans = []
        day = start.date()
        while day <= end.date():
            midnight = datetime.datetime.combine(day, datetime.time())
            noon = midnight + datetime.timedelta(hours=13)
            for half, low, high in (
                    ('am', midnight, noon),
                    ('pm', noon, midnight + datetime.timedelta(days=1))):
                if start < high and end > low:
                    spans.append((day, half, max(start, low), min(end, high)))
            day += datetime.timedelta(days=1)
        return spans

    @api.multi
    def half_days(self):
        """[(local date, 'am' or 'pm')] covered by the slot."""
        return [(day, half) for day, half, _start, _end
                in self._half_day_spans()]

    @api.multi
    def half_day_hours(self):
        """{(local date, 'am' or 'pm'): 'HH:MM - HH:MM'}: the slot's hours
        within each half-day it covers, for the sheets (the next midnight
        as 24:00)."""
        return {(day, half): '%s - %s' % (
            begin.strftime('%H:%M'),
            '24:00' if finish.date() != day else finish.strftime('%H:%M'))
            for day, half, begin, finish in self._half_day_spans()}

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

    @api.depends('trainer_ids', 'cotrainer_id')
    def _compute_planning_trainer_id(self):
        for slot in self:
            slot.planning_trainer_id = slot.trainer_ids[:1] or \
                slot.cotrainer_id

    @api.multi
    def _inverse_planning_trainer_id(self):
        """A slot dropped on another trainer's row of the timeline (OCA
        web_timeline writes the row's partner): that trainer replaces the
        one of the row it left, through ``write`` (planning lock
        included)."""
        for slot in self:
            new = slot.planning_trainer_id
            teachers = slot.trainer_ids | slot.cotrainer_id
            if not new and teachers:
                raise UserError(_(
                    'A slot moves to another trainer when dropped on their '
                    'row; its trainers are removed from its form.'))
            if not new or new in teachers:
                continue
            current = slot.trainer_ids[:1]
            if not current and slot.cotrainer_id:
                slot.cotrainer_id = new
            else:
                slot.trainer_ids = [(3, partner.id) for partner in current] \
                    + [(4, new.id)]

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
        if set(COUNTERSIGNATURE_FIELDS).intersection(vals) and \
                not has_private(self, SIGNATURE_KEY):
            raise UserError(_('The countersignature is given by the slot\'s '
                              'trainer from the portal, and never changed.'))
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

    @api.depends('attendance_ids.signed_on', 'trainer_signed_on')
    def _compute_signing_state(self):
        counts = {}
        if self.ids:
            for row in self.env['training.attendance'].read_group(
                    [('slot_id', 'in', self.ids),
                     ('signed_on', '!=', False)],
                    ['slot_id'], ['slot_id']):
                counts[row['slot_id'][0]] = row['slot_id_count']
        for slot in self:
            signed = counts.get(slot.id, 0)
            slot.signed_count = signed
            if slot.trainer_signed_on:
                slot.signing_state = 'countersigned'
            elif not signed:
                slot.signing_state = 'none'
            elif signed < len(slot.attendance_ids):
                slot.signing_state = 'partial'
            else:
                slot.signing_state = 'signed'

    @api.model_cr
    def init(self):
        keep_signed_rows(self.env.cr, self._table, 'trainer_signed_on',
                         COUNTERSIGNATURE_FIELDS)

    # ------------------------------------------------------------ signing
    @api.model
    def _signing_minutes(self, param):
        key, default = param
        value = self.env['ir.config_parameter'].sudo().get_param(key) or None
        try:
            value = int(value)
        except (TypeError, ValueError):
            # missing or not a number
            return default
        return value if value >= 0 else default

    @api.multi
    def _signing_window(self):
        """(start, end) UTC strings: the trainees sign from some minutes
        before the slot starts to some minutes after it ends (system
        parameters, 15 and 60 by default)."""
        self.ensure_one()
        before = datetime.timedelta(
            minutes=self._signing_minutes(SIGNING_BEFORE))
        after = datetime.timedelta(
            minutes=self._signing_minutes(SIGNING_AFTER))
        return (fields.Datetime.to_string(
            fields.Datetime.from_string(self.date_start) - before),
            fields.Datetime.to_string(
                fields.Datetime.from_string(self.date_end) + after))

    @api.multi
    def signing_open(self):
        """Whether the trainees may sign this slot now."""
        self.ensure_one()
        start, end = self._signing_window()
        return start <= fields.Datetime.now() <= end and \
            not self.sudo().trainer_signed_on

    @api.multi
    def signing_token(self):
        """The token of the QR code the trainer shows (issue 17): this
        slot's id and the end of its signing window, signed with the
        database's secret; it expires with the window."""
        self.ensure_one()
        _start, end = self._signing_window()
        expiry = fields.Datetime.from_string(end).strftime('%Y%m%d%H%M%S')
        return '%s-%s' % (expiry, self._token_signature(expiry))

    @api.multi
    def check_signing_token(self, token):
        """Whether ``token`` is this slot's and its window still open."""
        self.ensure_one()
        expiry, _sep, signature = (token or '').partition('-')
        if not (expiry.isdigit() and hmac.compare_digest(
                signature, self._token_signature(expiry))):
            return False
        end = datetime.datetime.strptime(expiry, '%Y%m%d%H%M%S')
        return fields.Datetime.to_string(end) >= fields.Datetime.now()

    @api.multi
    def _token_signature(self, expiry):
        secret = self.env['ir.config_parameter'].sudo().get_param(
            'database.secret')
        message = ('training.slot.sign:%d:%s' % (self.id, expiry)).encode()
        return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()

    @api.multi
    def countersignature_label(self):
        """'Countersigned by … on 07/12/2026 at 17:05' in the session's
        time zone, for the signed sheets."""
        self.ensure_one()
        slot = self.sudo()
        if not slot.trainer_signed_on:
            return _('Not countersigned')
        moment = slot.session_id._local(slot.trainer_signed_on)
        return _('Countersigned electronically by %(name)s on %(date)s at '
                 '%(time)s') % {'name': slot.trainer_signed_by_id.name,
                                'date': moment.strftime('%d/%m/%Y'),
                                'time': moment.strftime('%H:%M')}

    @api.multi
    def hours_label(self, tz=None):
        """The slot's local hours (in ``tz``, else the session's time
        zone), with both dates when it runs over several days:
        '05/12/2026 09:00 - 11/12/2026 18:00' (mails, documents, portal)."""
        self.ensure_one()
        session = self.sudo().session_id
        if tz:
            session = session.with_context(tz=tz)
        start, end = session._local(self.date_start), \
            session._local(self.date_end)
        if start.date() == end.date():
            return '%s %s - %s' % (start.strftime('%d/%m/%Y'),
                                   start.strftime('%H:%M'),
                                   end.strftime('%H:%M'))
        return '%s - %s' % (start.strftime('%d/%m/%Y %H:%M'),
                            end.strftime('%d/%m/%Y %H:%M'))

    @api.multi
    def _local_time(self, value):
        """A UTC datetime string as the session's local day and hour."""
        return self.sudo().session_id._local(value).strftime('%d/%m/%Y %H:%M')

    @api.multi
    def countersign(self, signature):
        """The slot's trainer countersigns its attendance (issue 17), once
        its signing window is open: the lines still unsigned and not
        recorded become absent (excused ones stay excused), and the
        trainees can no longer sign."""
        self.ensure_one()
        self.check_access_rights('read')
        self.check_access_rule('read')
        if not self.portal_can_record():
            raise AccessError(_('Only the trainers of this slot countersign '
                                'its attendance.'))
        slot = self.sudo()
        if slot.trainer_signed_on:
            raise UserError(_('This slot is already countersigned.'))
        start, _end = slot._signing_window()
        if fields.Datetime.now() < start:
            raise UserError(_('The attendance of this slot opens at %s.')
                            % slot._local_time(start))
        values = {'trainer_signature': checked_png(signature),
                  'trainer_signed_on': fields.Datetime.now(),
                  'trainer_signed_by_id': self.env.uid}
        unsigned = slot.attendance_ids.filtered(
            lambda att: not att.signed_on and att.state == 'todo' and
            att.registration_id.state in REGISTERED_STATES)
        self.env['training.attendance'].browse(unsigned.ids)._add_history(
            'countersigned', 'absent')
        unsigned.write({'state': 'absent'})
        with_private(slot, SIGNATURE_KEY).write(values)
        return True

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
