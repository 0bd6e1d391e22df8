# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2.extras import execute_values

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .private_context import SIGNATURE_KEY, has_private, with_private
from .signature import checked_png, keep_signed_rows, signing_evidence
from .training_registration import (REGISTERED_STATES, TRAINING_USER_GROUP,
                                    TUTOR_GROUP)

ATTENDANCE_STATES = [
    ('todo', 'To record'),
    ('present', 'Present'),
    ('absent', 'Absent'),
    ('excused', 'Excused'),
]
VALIDATOR_GROUPS = (
    TUTOR_GROUP,
    'training_session.group_training_session_manager',
)
RECORDED_FIELDS = {'state', 'comment'}
# set by the validation only, never written directly
VALIDATION_FIELDS = {'validated_by_id', 'validated_on'}
# the trainee's signature and its evidence: written by sign() only, never
# changed afterwards (a database trigger keeps them)
SIGNATURE_FIELDS = ('signature', 'signed_on', 'signed_by_id', 'signed_ip',
                    'signed_user_agent')
# what a line is about: fixed (the related ones would write through)
IDENTITY_FIELDS = {'registration_id', 'slot_id', 'session_id', 'partner_id',
                   'sequence_id', 'date_start'}


class TrainingAttendance(models.Model):
    """The attendance of one registered trainee at one slot (manual 004):
    created for every slot of a registration, recorded by the trainer,
    validated by a tutor, then locked."""
    _name = 'training.attendance'
    _description = 'Attendance'
    _order = 'date_start, partner_id'

    registration_id = fields.Many2one(
        'training.registration',
        string='Registration',
        required=True,
        index=True,
        ondelete='cascade',
    )
    slot_id = fields.Many2one(
        'training.slot',
        string='Slot',
        required=True,
        index=True,
        ondelete='cascade',
    )
    session_id = fields.Many2one(
        related='registration_id.session_id',
        store=True,
        index=True,
        readonly=True,
    )
    partner_id = fields.Many2one(
        related='registration_id.partner_id',
        string='Trainee',
        store=True,
        index=True,
        readonly=True,
    )
    sequence_id = fields.Many2one(
        related='slot_id.sequence_id',
        readonly=True,
    )
    date_start = fields.Datetime(
        related='slot_id.date_start',
        store=True,
        readonly=True,
    )
    state = fields.Selection(
        ATTENDANCE_STATES,
        string='Attendance',
        default='todo',
        required=True,
    )
    comment = fields.Text(
        help='Visible to the trainee on their page.',
    )
    validated_by_id = fields.Many2one(
        'res.users',
        string='Validated by',
        readonly=True,
    )
    validated_on = fields.Datetime(
        string='Validated on',
        readonly=True,
    )
    signature = fields.Binary(
        string='Signature',
        attachment=False,
        readonly=True,
        copy=False,
        help='Drawn by the trainee on their phone (issue 17).',
    )
    signed_on = fields.Datetime(
        string='Signed on',
        readonly=True,
        copy=False,
        help='The server\'s time when the trainee signed.',
    )
    signed_by_id = fields.Many2one(
        'res.users',
        string='Signed by',
        readonly=True,
        copy=False,
    )
    signed_ip = fields.Char(
        string='Signed from (IP address)',
        readonly=True,
        copy=False,
    )
    signed_user_agent = fields.Char(
        string='Signed with (browser)',
        readonly=True,
        copy=False,
    )
    history_ids = fields.One2many(
        'training.attendance.history',
        'attendance_id',
        string='History',
        readonly=True,
    )
    is_recorded = fields.Boolean(
        compute='_compute_is_recorded',
        help='Attendance recorded or validated: the line can no longer '
             'disappear with its slot or registration.',
    )

    _sql_constraints = [
        ('registration_slot_unique', 'UNIQUE (registration_id, slot_id)',
         'A trainee has one attendance per slot.'),
    ]

    @api.depends('state', 'validated_on', 'signed_on')
    def _compute_is_recorded(self):
        for att in self:
            att.is_recorded = att.state != 'todo' or \
                bool(att.validated_on or att.signed_on)

    @api.model_cr
    def init(self):
        keep_signed_rows(self.env.cr, self._table, 'signed_on',
                         SIGNATURE_FIELDS)

    # ------------------------------------------------------------ signing
    @api.multi
    def sign(self, signature):
        """The trainee signs their attendance at this slot (issue 17):
        ``signature`` the drawn PNG (base64 or data URL). Only the trainee
        of the line, enrolled, during the slot's signing window, before
        the trainer countersigns; stored with the server's time, the
        address and browser it came from, and the line set present."""
        self.ensure_one()
        self.check_access_rights('read')
        self.check_access_rule('read')
        line = self.sudo()
        if line.partner_id != self.env.user.partner_id:
            raise AccessError(_('Only the trainee of this attendance signs '
                                'it.'))
        line._check_can_sign()
        ip_address, user_agent = signing_evidence()
        values = {
            'signature': checked_png(signature),
            'signed_on': fields.Datetime.now(),
            'signed_by_id': self.env.uid,
            'signed_ip': ip_address,
            'signed_user_agent': user_agent,
            'state': 'present',
        }
        # the author is the trainee, as the user
        self._add_history('signed', values['state'])
        with_private(line, SIGNATURE_KEY).write(values)
        return True

    @api.multi
    def signature_label(self):
        """'Signed electronically on 07/12/2026 at 09:12' in the session's
        time zone, for the signed sheets."""
        self.ensure_one()
        if not self.signed_on:
            return _('Not signed')
        moment = self.sudo().session_id._local(self.signed_on)
        return _('Signed electronically on %(date)s at %(time)s') % {
            'date': moment.strftime('%d/%m/%Y'),
            'time': moment.strftime('%H:%M')}

    @api.multi
    def _check_can_sign(self):
        """UserError unless this line may be signed now."""
        self.ensure_one()
        if self.signed_on:
            raise UserError(_('This attendance is already signed.'))
        if self.registration_id.state not in REGISTERED_STATES:
            raise UserError(_('Only enrolled trainees sign their '
                              'attendance.'))
        if self.slot_id.trainer_signed_on or self.validated_on:
            raise UserError(_('The attendance of this slot is closed: the '
                              'trainer countersigned it or a tutor '
                              'validated it.'))
        if not self.slot_id.signing_open():
            start, end = self.slot_id._signing_window()
            raise UserError(_(
                'The attendance of this slot is signed from %(start)s to '
                '%(end)s.') % {
                    'start': self.slot_id._local_time(start),
                    'end': self.slot_id._local_time(end)})

    @api.multi
    def correct(self, state, reason):
        """Correct the attendance of signed lines: ``state`` with its
        ``reason``, kept with its author in the lines' history; the
        signature stays as it was given. Training users (and Operational
        Managers once a tutor validated) only."""
        self._check_corrector()
        if state not in dict(self._fields['state'].selection):
            raise UserError(_('Unknown attendance state: %s.') % state)
        if not (reason or '').strip():
            raise UserError(_('Give the reason of the correction.'))
        self.check_access_rights('write')
        self.check_access_rule('write')
        lines = self.filtered(lambda att: att.state != state)
        lines._add_history('correction', state, reason.strip())
        with_private(lines, SIGNATURE_KEY).write({'state': state})
        return True

    @api.model
    def _check_corrector(self):
        """AccessError unless the user is a training user."""
        if not self.env.user.has_group(TRAINING_USER_GROUP):
            raise AccessError(_('Only training users correct a signed '
                              'attendance.'))

    @api.multi
    def _add_history(self, event, state_after, reason=False):
        """A line of history per attendance, by the user, inserted in one
        statement (a countersignature marks hundreds of lines absent)."""
        if not self:
            return
        now = fields.Datetime.now()
        execute_values(self.env.cr, """
            INSERT INTO training_attendance_history (attendance_id, event,
                   user_id, state_before, state_after, reason, date,
                   create_uid, create_date, write_uid, write_date)
            VALUES %s""", [
                (line.id, event, self.env.uid, line.state, state_after,
                 reason or None, now, self.env.uid, now, self.env.uid, now)
                for line in self])
        self.invalidate_cache(['history_ids'], self.ids)

    @api.model
    def _create_missing(self, registrations=None, slots=None):
        """The attendance lines missing for ``registrations`` (of every slot
        of their sessions) or for ``slots`` (of every registered trainee of
        their sessions), in one INSERT whatever their number."""
        registrations = registrations or self.env['training.registration']
        slots = slots or self.env['training.slot']
        if not (registrations or slots):
            return
        self.env.cr.execute("""
            INSERT INTO training_attendance
                (registration_id, slot_id, session_id, partner_id,
                 date_start, state, create_uid, create_date, write_uid,
                 write_date)
            SELECT reg.id, slot.id, reg.session_id, reg.partner_id,
                   slot.date_start, 'todo', %(uid)s,
                   now() at time zone 'UTC', %(uid)s,
                   now() at time zone 'UTC'
              FROM training_registration reg
              JOIN training_sequence seq ON seq.session_id = reg.session_id
              JOIN training_slot slot ON slot.sequence_id = seq.id
             WHERE reg.state IN %(states)s AND reg.id IN %(registrations)s
            UNION
            SELECT reg.id, slot.id, reg.session_id, reg.partner_id,
                   slot.date_start, 'todo', %(uid)s,
                   now() at time zone 'UTC', %(uid)s,
                   now() at time zone 'UTC'
              FROM training_slot slot
              JOIN training_sequence seq ON seq.id = slot.sequence_id
              JOIN training_registration reg
                ON reg.session_id = seq.session_id
             WHERE reg.state IN %(states)s AND slot.id IN %(slots)s
            ON CONFLICT (registration_id, slot_id) DO NOTHING
        """, {'uid': self.env.uid, 'states': REGISTERED_STATES,
              'registrations': tuple(registrations.ids) or (0,),
              'slots': tuple(slots.ids) or (0,)})
        # the one2many caches of the records concerned are now stale
        registrations.invalidate_cache(['attendance_ids'])
        slots.invalidate_cache(['attendance_ids'])
        self.invalidate_cache()

    @api.multi
    def _check_not_recorded(self):
        recorded = self.filtered('is_recorded')
        if recorded:
            raise UserError(_(
                'Attendance is already recorded for %s: this slot or '
                'registration cannot be removed. Cancel the registration or '
                'the sequence instead.') % ', '.join(sorted(set(
                    recorded.sudo().mapped('partner_id.name')))))

    @api.multi
    def write(self, vals):
        private = has_private(self, SIGNATURE_KEY)
        if not private and set(SIGNATURE_FIELDS).intersection(vals):
            raise UserError(_('A signature is given by its trainee, from '
                              'their own page, and never changed.'))
        if not private and 'state' in vals and self.filtered('signed_on'):
            raise UserError(_('This attendance is signed: correct it with a '
                              'reason (Corriger), the signature stays.'))
        if self.env.uid != SUPERUSER_ID and set(vals) - RECORDED_FIELDS and \
                not self.env.user.has_group(TRAINING_USER_GROUP):
            raise UserError(_('Trainers and tutors record the attendance and '
                              'its comment, nothing else.'))
        if IDENTITY_FIELDS.intersection(vals) or (
                VALIDATION_FIELDS.intersection(vals) and
                self.env.uid != SUPERUSER_ID):
            raise UserError(_(
                'The trainee, slot and validation of an attendance line are '
                'not changed directly: validate it with the validation '
                'action.'))
        if RECORDED_FIELDS.intersection(vals) and \
                self.filtered('validated_on') and \
                not self.env.user.has_group(
                    'training_session.group_training_session_manager'):
            raise UserError(_(
                'This attendance was validated by a tutor: only an '
                'Operational Manager can change it.'))
        return super(TrainingAttendance, self).write(vals)

    @api.multi
    def action_validate(self):
        """The tutor's validation: who and when, then locked."""
        if not any(self.env.user.has_group(group)
                   for group in VALIDATOR_GROUPS):
            raise UserError(_('Only tutors and Operational Managers validate '
                              'attendance.'))
        # validated once: by whom and when stays
        lines = self.filtered(lambda att: not att.validated_on)
        todo = lines.filtered(lambda att: att.state == 'todo')
        if todo:
            raise UserError(_(
                'Record the attendance of %s before validating.') % ', '.join(
                    sorted(set(todo.sudo().mapped('partner_id.name')))))
        # the user's rules first; the validation fields then only through
        # this method (no context key a caller could pass)
        lines.check_access_rights('write')
        lines.check_access_rule('write')
        return lines.sudo().write({'validated_by_id': self.env.uid,
                                   'validated_on': fields.Datetime.now()})

    @api.multi
    def unlink(self):
        self._check_not_recorded()
        return super(TrainingAttendance, self).unlink()
