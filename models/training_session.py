# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from babel.dates import format_date

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .training_course import SESSION_TYPES, check_capacities
from .private_context import (CODES_KEY, NEW_SESSION_KEY,
                              PERIODS_CHECKED_KEY,
                              by_workflow, has_private, with_private,
                              without_private)
from .session_codes import SessionCodes
from .training_mail_setting_mixin import SETTING_FIELDS
from .training_registration import REGISTERED_STATES, TRAINING_USER_GROUP

# Values a session takes from its course when it is created from it.
COURSE_FIELDS = [
    'certification_id', 'session_type', 'organisation_id', 'capacity_min',
    'capacity_target', 'capacity_max', 'scheme_id', 'funding_eligible',
    'comment', 'population_ids', 'survey_id', 'calendar_invitations',
    'planning_lock', 'what_to_bring',
]
PLANNING_MANAGER_GROUP = 'training_session.group_training_session_manager'
YEAR_RE = re.compile(r'^\d{4}$')
# Data of a funded session that change only through change requests once
# the funder validated it.
FUNDED_FIELDS = {'component_id', 'session_number', 'place_id', 'seats'}


class TrainingSession(models.Model):
    _name = 'training.session'
    _inherit = ['mail.thread', 'mail.activity.mixin',
                'training.create.trigger.mixin', 'training.timezone.mixin']
    _description = 'Training session'
    _order = 'date_start desc, code desc'

    def _default_year(self):
        return str(fields.Date.from_string(
            fields.Date.context_today(self)).year)

    code = fields.Char(
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: _('New'),
        help='Generated from the year: YYYY-NNNN, one counter per year.',
    )
    name = fields.Char(
        string='Label',
        required=True,
        track_visibility='onchange',
    )
    course_id = fields.Many2one(
        'training.course',
        string='Course',
        index=True,
        track_visibility='onchange',
    )
    year = fields.Char(
        required=True,
        size=4,
        default=_default_year,
        track_visibility='onchange',
        help='Year of the session: its code is numbered within it.',
    )
    month = fields.Date(
        track_visibility='onchange',
        # manual 004: sessions organised by month
        help='For sessions organised by month: any day of the month, kept '
             'as its first day; the session is then shown by its month and '
             'year.',
    )
    month_label = fields.Char(string='Month of the session',
                              compute='_compute_month_label')
    title = fields.Char(
        string='Title in documents',
        compute='_compute_title',
        help='How documents, e-mails and calendars name the session: its '
             'label, after its month for a session organised by month '
             '(e.g. "mars 2027 — Accompagnement emploi").',
    )
    user_id = fields.Many2one(
        'res.users',
        string='Responsible',
        default=lambda self: self.env.user,
        track_visibility='onchange',
    )
    company_id = fields.Many2one(
        'res.company',
        default=lambda self: self.env.user.company_id,
    )
    certification_id = fields.Many2one(
        'training.certification.scheme',
        string='Certification',
    )
    session_type = fields.Selection(
        SESSION_TYPES,
        string='Session type',
        default='intra',
        required=True,
        track_visibility='onchange',
    )
    organisation_id = fields.Many2one(
        'res.partner',
        string='Training organisation',
        track_visibility='onchange',
    )
    capacity_min = fields.Integer(string='Minimum capacity')
    capacity_target = fields.Integer(string='Target capacity')
    capacity_max = fields.Integer(
        string='Maximum capacity',
        track_visibility='onchange',
    )
    scheme_id = fields.Many2one('training.scheme', string='Scheme')
    funding_eligible = fields.Boolean(string='Eligible for funding')
    comment = fields.Text(string='Comments')
    population_ids = fields.Many2many(
        'training.population',
        'training_session_population_rel',
        'session_id',
        'population_id',
        string='Populations',
        help='When set, only the users of these populations (and the '
             'operational managers) see the session.',
    )
    publication_state = fields.Selection(
        [('draft', 'Draft'), ('published', 'Published')],
        string='Publication',
        default='draft',
        required=True,
        copy=False,
        track_visibility='onchange',
        help='Draft sessions are not offered for registration and never '
             'exported. Publishing is done by hand, or by the validation of '
             'the funder\'s change request that creates or changes the '
             'session.',
    )
    state = fields.Selection(
        [('created', 'Created'),
         ('confirmed', 'Confirmed'),
         ('done', 'Done'),
         ('cancelled', 'Cancelled')],
        string='Status',
        default='created',
        required=True,
        readonly=True,
        copy=False,
        track_visibility='onchange',
    )
    trainer_ids = fields.Many2many(
        'res.partner',
        'training_session_trainer_rel',
        'session_id',
        'partner_id',
        string='Trainers',
        help='Trainers of the session; they are proposed on its new slots.',
    )
    tutor_ids = fields.Many2many(
        'res.partner',
        'training_session_tutor_rel',
        'session_id',
        'partner_id',
        string='Tutors',
    )
    notification_comment_convocation = fields.Text(
        string='Convocation notification comment',
        help='Shown in the convocation e-mails.',
    )
    what_to_bring = fields.Text(
        string='What to bring',
        help='Printed on the convocation.',
    )
    notification_comment_organisation = fields.Text(
        string='Training organisation notification comment',
        help='Shown in the e-mails sent to the training organisation.',
    )
    sequence_ids = fields.One2many(
        'training.sequence',
        'session_id',
        string='Sequences',
        copy=False,
    )
    slot_ids = fields.One2many(
        'training.slot',
        'session_id',
        string='Slots',
        copy=False,
    )
    registration_ids = fields.One2many(
        'training.registration',
        'session_id',
        string='Registrations',
        copy=False,
    )
    date_start = fields.Datetime(
        string='Start',
        compute='_compute_dates',
        store=True,
        help='Start of the first sequence, pre-work included.',
    )
    date_end = fields.Datetime(
        string='End',
        compute='_compute_dates',
        store=True,
        help='End of the last sequence, pre-work included.',
    )
    duration_hours = fields.Float(
        string='Duration (hours)',
        compute='_compute_durations',
        store=True,
        help='Sum of the slots, pre-work sequences excluded.',
    )
    duration_days = fields.Float(
        string='Duration (days)',
        compute='_compute_durations',
        store=True,
        help='Sum of the slots, pre-work sequences excluded.',
    )
    component_id = fields.Many2one(
        'training.action.component',
        string='Funded action component',
        index=True,
        track_visibility='onchange',
        help='The dates of the session must lie within the component\'s.',
    )
    action_id = fields.Many2one(
        related='component_id.action_id',
        store=True,
        readonly=True,
    )
    external_ref = fields.Char(
        string='External reference',
        copy=False,
        index=True,
        help='Reference of the session in the partner\'s system, for '
             'imported sessions: importing it again changes nothing.',
    )
    is_validated = fields.Boolean(
        string='Validated by the funder',
        readonly=True,
        copy=False,
        help='Set by a validated change request: the session can no longer '
             'be deleted, and its funded data change only through change '
             'requests.',
    )
    session_number = fields.Char(
        string='Session number',
        help='Number of the session within its component.',
    )
    seats = fields.Integer(
        string='Seats',
        help='Number of seats declared to the funder.',
    )
    place_id = fields.Many2one(
        'res.partner',
        string='Session place',
    )
    info_session_ids = fields.One2many(
        'training.info.session',
        'session_id',
        string='Information sessions',
        copy=False,
    )
    registered_count = fields.Integer(
        string='Registered',
        compute='_compute_registered_count',
    )
    waiting_count = fields.Integer(
        string='Waiting list',
        compute='_compute_registered_count',
    )
    seats_available = fields.Integer(
        string='Seats available',
        compute='_compute_registered_count',
        help='Maximum capacity less the registered participants; 0 when the '
             'session has no maximum capacity.',
    )
    minimum_reached = fields.Boolean(
        string='Minimum reached',
        compute='_compute_registered_count',
    )
    survey_id = fields.Many2one(
        'survey.survey',
        string='Evaluation',
        track_visibility='onchange',
    )
    mail_ids = fields.One2many(
        'training.session.mail', 'session_id', string='E-mail settings',
        copy=True, groups=TRAINING_USER_GROUP,
        help='Pre-filled from the course, else from the company, when the '
             'session is created; copied by the duplication.')
    calendar_invitations = fields.Boolean(
        string='Calendar invitations',
        help='Each enrolled participant receives one calendar invitation '
             'per sequence when registering, updated when the convocation '
             'is sent or a slot moves, cancelled with the sequence or the '
             'registration.')
    planning_lock = fields.Boolean(
        string='Lock the planning at the first registration',
        default=True,
        track_visibility='onchange',
        # manual 001 locks, manual 004 (5, NOTA) adds workshops later
        help='Once a participant is registered, only Operational Managers '
             'and Administrators change the dates, sequences and slots. '
             'When unticked, users add, move and remove workshops after the '
             'registrations, and the workshops added are attached to every '
             'registered trainee. Once participants are registered, only '
             'an Operational Manager or an Administrator changes this '
             'setting.')
    calendar_invitation_ids = fields.One2many(
        'training.calendar.invitation', 'session_id',
        string='Calendar invitations sent', readonly=True,
        groups=TRAINING_USER_GROUP)
    cost_line_ids = fields.One2many(
        'training.cost.line', 'session_id', string='Costs', copy=False,
        groups=TRAINING_USER_GROUP)
    funding_ids = fields.One2many(
        'training.funding', 'session_id', string='Fundings', copy=False,
        groups=TRAINING_USER_GROUP)
    currency_id = fields.Many2one(
        related='company_id.currency_id', readonly=True)
    cost_total = fields.Monetary(
        string='Total cost', compute='_compute_costs', store=True,
        groups=TRAINING_USER_GROUP)
    funding_total = fields.Monetary(
        string='Total funding', compute='_compute_costs', store=True,
        groups=TRAINING_USER_GROUP)
    remaining_cost = fields.Monetary(
        string='Remaining cost', compute='_compute_costs', store=True,
        groups=TRAINING_USER_GROUP,
        help='Total cost less the fundings.')
    cost_per_trainee = fields.Monetary(
        string='Cost per trainee', compute='_compute_cost_per_trainee',
        groups=TRAINING_USER_GROUP,
        help='Total cost divided by the registered participants.')
    setup_reminder = fields.Char(
        compute='_compute_setup_reminder',
        groups=TRAINING_USER_GROUP,
        help='What is still to fill from the creation of the session on: '
             'its costs and its evaluation.')
    color = fields.Integer()

    _sql_constraints = [
        ('code_unique', 'UNIQUE (code)', 'The session code must be unique.'),
        ('external_ref_unique', 'UNIQUE (external_ref)',
         'Another session has this external reference.'),
        ('capacity_positive',
         'CHECK (capacity_min >= 0 AND capacity_target >= 0 '
         'AND capacity_max >= 0)',
         'Capacities cannot be negative.'),
    ]

    @api.depends('sequence_ids.date_start', 'sequence_ids.date_end')
    def _compute_dates(self):
        for session in self:
            starts = [d for d in session.sequence_ids.mapped('date_start')
                      if d]
            ends = [d for d in session.sequence_ids.mapped('date_end') if d]
            session.date_start = min(starts) if starts else False
            session.date_end = max(ends) if ends else False

    @api.depends('sequence_ids.is_prework', 'sequence_ids.duration_hours',
                 'sequence_ids.duration_days')
    def _compute_durations(self):
        for session in self:
            taught = session.sequence_ids.filtered(lambda s: not s.is_prework)
            session.duration_hours = sum(taught.mapped('duration_hours'))
            session.duration_days = sum(taught.mapped('duration_days'))

    @api.multi
    def _compute_registered_count(self):
        counts = self.env['training.registration']._state_counts(self)
        for session in self:
            by_state = counts.get(session.id, {})
            taken = sum(by_state.get(state, 0) for state in REGISTERED_STATES)
            session.registered_count = taken
            session.waiting_count = by_state.get('waiting', 0)
            session.seats_available = max(session.capacity_max - taken, 0)
            session.minimum_reached = taken >= session.capacity_min

    @api.depends('cost_line_ids.total', 'funding_ids.amount')
    def _compute_costs(self):
        for session in self:
            session.cost_total = sum(session.cost_line_ids.mapped('total'))
            session.funding_total = sum(session.funding_ids.mapped('amount'))
            session.remaining_cost = \
                session.cost_total - session.funding_total

    @api.multi
    def _compute_cost_per_trainee(self):
        for session in self:
            count = session.registered_count
            session.cost_per_trainee = \
                session.cost_total / count if count else 0.0

    @api.depends('cost_line_ids', 'survey_id')
    def _compute_setup_reminder(self):
        # whole sentences, for the translations
        reminders = {
            (True, True): _('Remember to fill in the costs and the '
                            'evaluation.'),
            (True, False): _('Remember to fill in the costs.'),
            (False, True): _('Remember to fill in the evaluation.'),
        }
        for session in self:
            session.setup_reminder = reminders.get(
                (not session.cost_line_ids, not session.survey_id), False)

    # -------------------------------------------------------- registrations
    # the seats and the waiting list are the registrations' (see
    # training.registration): here what the buttons, wizards and the
    # other models call on a session
    @api.multi
    @api.returns('training.registration', lambda records: records.ids)
    def register_partners(self, partners, **values):
        """Register ``partners`` (a recordset, or their ids over RPC; in
        this order, the first ones get the seats) with ``values``, as one
        operation: seats and attendance lines are handled once for the
        whole batch."""
        self.ensure_one()
        if not isinstance(partners, models.BaseModel):
            partners = self.env['res.partner'].browse(partners)
        return self.env['training.registration']._register_partners(
            self, partners, values)

    @api.multi
    def _registered_counts(self):
        """{session id: number of registered participants}, in one
        query."""
        return self.env['training.registration']._registered_counts(self)

    # -------------------------------------------------------------- reports
    @api.multi
    def attendance_sheet(self, sequences=None, cycle=None, per_page=10):
        """What an attendance sheet prints: the registered trainees by name
        and the half-days of the slots of ``sequences`` (or of the sequences
        of ``cycle``, or of all but pre-work), as pages of at most
        ``per_page`` half-day columns: [{'columns': [(date, 'am'|'pm')],
        'slots': ...}], with the trainees as 'registrations'."""
        self.ensure_one()
        if sequences is None:
            sequences = self.sequence_ids.filtered(
                lambda seq: not seq.is_prework and seq.status != 'cancelled'
                and (not cycle or seq.cycle == cycle))
        half_days = sorted({half_day for slot in sequences.mapped('slot_ids')
                            for half_day in slot.half_days()})
        # each half-day's hours, those of its slots
        hours = {}
        for slot in sequences.mapped('slot_ids').sorted('date_start'):
            for half_day, label in slot.half_day_hours().items():
                hours[half_day] = ', '.join(filter(None, (
                    hours.get(half_day), label)))
        registrations = self.registration_ids.filtered(
            lambda reg: reg.state in REGISTERED_STATES)
        # read the trainees in one query before sorting on their names
        registrations.mapped('partner_id').read(['name'])
        registrations = registrations.sorted(
            lambda reg: (reg.partner_id.name or '').lower())
        return {
            'registrations': registrations,
            'pages': [half_days[index:index + per_page]
                      for index in range(0, len(half_days), per_page)],
            'sequences': sequences,
            'hours': hours,
        }

    @api.multi
    def _validated_periods(self):
        """{session id: (first day, last day)} of the sessions among these
        that the funder validated, taken before a change of their planning
        and checked after it by _check_validated_periods; empty for the
        workflow (a change request being applied) and inside a save that
        checks them (see _checking_periods)."""
        if by_workflow(self) or has_private(self, PERIODS_CHECKED_KEY):
            return {}
        periods = {session.id: session._planning_bounds()
                   for session in self.filtered('is_validated')}
        # validated without dates (imported so): nothing to keep
        return {session_id: bounds for session_id, bounds in periods.items()
                if bounds}

    @api.model
    def _checking_periods(self, records, periods):
        """``records`` saving their nested planning without checking the
        periods at each step, when ``periods`` are checked after the
        save."""
        return with_private(records, PERIODS_CHECKED_KEY) if periods \
            else records

    @api.multi
    def _check_validated_periods(self, periods):
        """Refuse a change of planning that moved the first or last day of
        a validated session (``periods``: from _validated_periods): its
        dates are funded data, changed through a change request only."""
        for session in self.browse(list(periods)).exists():
            if session._planning_bounds() != periods[session.id]:
                raise UserError(_(
                    'The dates of %s were validated by the funder: they '
                    'change only through a change request (its slots can '
                    'move within its first and last days).'
                ) % session.display_name)

    @api.constrains('capacity_min', 'capacity_target', 'capacity_max')
    def _check_capacities(self):
        check_capacities(self)

    @api.constrains('component_id')
    def _check_component_dates(self):
        """A session of a funded component runs within the component's
        dates (manual 002)."""
        for session in self.filtered('component_id'):
            bounds = session._planning_bounds()
            if not bounds:
                continue
            component = session.component_id
            first, last = bounds
            start = fields.Date.from_string(component.date_start)
            end = fields.Date.from_string(component.date_end)
            if first < start or last > end:
                raise ValidationError(_(
                    'Session %(session)s runs from %(first)s to %(last)s, '
                    'outside the dates of its component %(component)s '
                    '(%(start)s to %(end)s).'
                ) % {'session': session.display_name,
                     'first': first.strftime('%d/%m/%Y'),
                     'last': last.strftime('%d/%m/%Y'),
                     'component': component.display_name,
                     'start': start.strftime('%d/%m/%Y'),
                     'end': end.strftime('%d/%m/%Y')})

    @api.multi
    def _planning_bounds(self):
        """(first day, last day), in local time, of the session's slots and
        of the planned dates of its sequences without slots; None when
        nothing is planned. Read from the sources, not from the stored
        dates, so that it holds inside constraints."""
        self.ensure_one()
        moments = []
        for sequence in self.sequence_ids:
            if sequence.slot_ids:
                moments += sequence.slot_ids.mapped('date_start')
                moments += sequence.slot_ids.mapped('date_end')
            else:
                moments += [d for d in (sequence.planned_date_start,
                                        sequence.planned_date_end) if d]
        if not moments:
            return None
        return (self._local(min(moments)).date(),
                self._local(max(moments)).date())

    @api.constrains('year')
    def _check_year(self):
        for session in self:
            session._assert_year_format(session.year)

    @api.model
    def _assert_year_format(self, year):
        if not YEAR_RE.match(str(year or '')):
            raise ValidationError(_(
                'The year must have four digits, e.g. 2027 (got "%s").'
            ) % (year,))

    @api.onchange('course_id')
    def _onchange_course_id(self):
        if self.course_id:
            for name, value in self._values_from_course(
                    self.course_id).items():
                self[name] = value

    @api.model
    def _values_from_course(self, course):
        """The values a new session of ``course`` starts with."""
        values = {'name': course.name}
        for name in COURSE_FIELDS:
            field = self._fields[name]
            value = course[name]
            if field.type == 'many2many':
                value = [(6, 0, value.ids)]
            elif field.type == 'many2one':
                value = value.id
            values[name] = value
        return values

    @api.depends('month')
    def _compute_month_label(self):
        locale = self.env.context.get('lang') or self.env.user.lang or \
            'fr_FR'
        for session in self.filtered('month'):
            session.month_label = format_date(
                fields.Date.from_string(session.month), 'MMMM y',
                locale=locale)

    @api.depends('name', 'month')
    def _compute_title(self):
        for session in self:
            session.title = session.name if not session.month else \
                '%s — %s' % (session.month_label, session.name)

    @api.model
    def _first_of_month(self, vals):
        """``vals`` with the month as its first day."""
        if vals.get('month'):
            day = fields.Date.from_string(vals['month'])
            vals = dict(vals, month=fields.Date.to_string(day.replace(day=1)))
        return vals

    @api.model
    def create(self, vals):
        vals = self._first_of_month(vals)
        if vals.get('month') and not vals.get('year'):
            vals['year'] = vals['month'][:4]
        if vals.get('course_id'):
            course = self.env['training.course'].browse(vals['course_id'])
            defaults = self._values_from_course(course)
            vals = dict(defaults, **vals)
        year = vals.get('year') or self._default_year()
        # checked before the code is drawn from the year's counter
        self._assert_year_format(year)
        self._check_validation_flag(vals)
        vals['code'] = self._next_code(year)
        session = without_private(super(TrainingSession, with_private(
            self, NEW_SESSION_KEY)).create(vals), NEW_SESSION_KEY)
        if 'mail_ids' not in vals:
            session._create_default_mails()
        return session

    @api.multi
    def _create_default_mails(self):
        """The e-mail settings of new sessions: each one's course's
        defaults, or its company's when the course has none, with their
        estimated sends; inserted together (an import creates them for a
        batch of sessions at once). Written as superuser: the sessions'
        creation is what the user was allowed, their settings follow from
        the configuration."""
        sessions = self.sudo()
        Default = self.env['training.mail.default'].sudo()
        defaults = Default.search([
            '|', ('course_id', 'in', sessions.mapped('course_id').ids),
            '&', ('course_id', '=', False),
            ('company_id', 'in', sessions.mapped('company_id').ids)])
        of_course, of_company = {}, {}
        for default in defaults:
            if default.course_id:
                of_course.setdefault(default.course_id.id, []).append(
                    default)
            else:
                of_company.setdefault(default.company_id.id, []).append(
                    default)
        rows = []
        for session in sessions:
            for default in of_course.get(session.course_id.id) or \
                    of_company.get(session.company_id.id, []):
                rows.append(dict(
                    {name: default[name] for name in SETTING_FIELDS
                     if name != 'template_id'},
                    template_id=default.template_id.id,
                    sequence=default.sequence, session_id=session.id))
        self.env['training.session.mail'].sudo()._insert_with_sends(rows)
        self.invalidate_cache(['mail_ids'], self.ids)

    @api.multi
    def _sync_mail_schedules(self):
        self.mapped('mail_ids')._sync_schedules()

    @api.model
    def _next_code(self, year):
        """Next code of ``year``: one ir.sequence with a date range (and so a
        counter) per year, e.g. 2026-0042; drawn from the SessionCodes of
        an import when it gives them."""
        codes = self.env.context.get(CODES_KEY)
        if isinstance(codes, SessionCodes):
            return codes.draw(year)
        return self.env['ir.sequence'].sudo().with_context(
            ir_sequence_date='%s-01-01' % year,
        ).next_by_code('training.session')

    @api.multi
    def write(self, vals):
        vals = self._first_of_month(vals)
        self._check_validation_flag(vals)
        if 'planning_lock' in vals:
            self._check_planning_lock_change(vals['planning_lock'])
        if FUNDED_FIELDS.intersection(vals) and \
                not by_workflow(self) and \
                self.filtered('is_validated'):
            raise UserError(_(
                'The funded data of a validated session (component, number, '
                'place, seats) change only through a change request.'))
        sequences, pending = self.env['training.sequence'] \
            ._grouping_calendar(vals, 'sequence_ids')
        self = self.with_env(sequences.env)
        periods = self._validated_periods() if 'sequence_ids' in vals \
            else {}
        result = super(TrainingSession, self._checking_periods(
            self, periods)).write(vals)
        self._check_validated_periods(periods)
        if pending:
            pending.flush(self.env)
        if 'capacity_max' in vals:
            self.env['training.registration']._promote_waiting(self)
        if {'calendar_invitations', 'state',
                'publication_state'}.intersection(vals):
            self.env['training.calendar.invitation']._sync(
                self.mapped('registration_ids'))
        return result

    @api.model
    def _check_validation_flag(self, vals):
        """The funder's validation is set by validating a change request
        only, never by a client's values."""
        if 'is_validated' in vals and \
                not by_workflow(self):
            raise UserError(_(
                'A session is validated by the funder through a change '
                'request only.'))

    @api.multi
    def unlink(self):
        self.mapped('slot_ids.attendance_ids')._check_not_recorded()
        if self.filtered('is_validated'):
            raise UserError(_(
                'A session validated by the funder cannot be deleted: cancel '
                'it with a change request that sets its seats to 0.'))
        counts = self._registered_counts()
        if any(counts.values()):
            raise UserError(_(
                'A session with registered participants cannot be deleted: '
                'cancel it instead.'))
        return super(TrainingSession, self).unlink()

    @api.multi
    def export_data(self, fields_to_export, raw_data=False):
        """Draft sessions are never exported (manual 001)."""
        published = self.filtered(
            lambda session: session.publication_state == 'published')
        return super(TrainingSession, published).export_data(
            fields_to_export, raw_data=raw_data)

    @api.depends('code', 'month')
    def _compute_display_name(self):
        super(TrainingSession, self)._compute_display_name()

    @api.multi
    def name_get(self):
        """A session organised by month is named by its month, in the
        user's language, then its label (manual 004); the others by their
        code and label."""
        return [(session.id, session.title if session.month
                 else '[%s] %s' % (session.code, session.name))
                for session in self]

    @api.model
    def name_search(self, name='', args=None, operator='ilike', limit=100):
        args = list(args or [])
        if name:
            args = ['|', ('code', operator, name),
                    ('name', operator, name)] + args
            return self.search(args, limit=limit).name_get()
        return super(TrainingSession, self).name_search(
            name=name, args=args, operator=operator, limit=limit)

    @api.multi
    def _track_subtype(self, init_values):
        self.ensure_one()
        if 'state' in init_values:
            subtype = {
                'confirmed': 'training_session.mt_session_confirmed',
                'done': 'training_session.mt_session_done',
                'cancelled': 'training_session.mt_session_cancelled',
            }.get(self.state)
            if subtype:
                return subtype
        if 'publication_state' in init_values and \
                self.publication_state == 'published':
            return 'training_session.mt_session_published'
        return super(TrainingSession, self)._track_subtype(init_values)

    # ------------------------------------------------------------ planning
    @api.multi
    def _live_sequences(self):
        """{session id: its sequences that are not cancelled and have
        dates}, in one search (pre-work included): what the calendar
        invitations cover."""
        result = {}
        for sequence in self.env['training.sequence'].search([
                ('session_id', 'in', self.ids),
                ('status', '!=', 'cancelled'),
                ('date_start', '!=', False), ('date_end', '!=', False)]):
            result.setdefault(sequence.session_id.id, []).append(sequence)
        return result

    @api.model
    def _may_change_locked_planning(self):
        """Whether the user changes the planning of sessions with
        registered participants: Operational Managers and Administrators
        (manual 001)."""
        return self.env.uid == SUPERUSER_ID or \
            self.env.user.has_group(PLANNING_MANAGER_GROUP)

    @api.multi
    def _check_planning_lock(self):
        """Refuse a change of dates or slots on sessions that lock their
        planning (``planning_lock``) and have registered participants,
        unless the user is an Operational Manager or an Administrator
        (manual 001). Sessions that do not lock it take workshops added,
        moved or removed later (manual 004)."""
        if self._may_change_locked_planning():
            return
        counts = self._registered_counts()
        locked = self.filtered(lambda session: session.planning_lock and
                               counts.get(session.id))
        if locked:
            raise UserError(_(
                'Participants are registered to %s: its dates and slots '
                'can no longer be changed. Ask an Operational Manager or '
                'an Administrator.'
            ) % ', '.join(locked.mapped('display_name')))

    @api.multi
    def _check_planning_lock_change(self, value):
        """Only Operational Managers and Administrators lock or unlock the
        planning of sessions with registered participants: users would
        otherwise lift the lock that binds them."""
        if self._may_change_locked_planning():
            return
        changed = self.filtered(
            lambda session: session.planning_lock != bool(value))
        counts = changed._registered_counts()
        refused = changed.filtered(lambda session: counts.get(session.id))
        if refused:
            raise UserError(_(
                'Participants are registered to %s: only an Operational '
                'Manager or an Administrator changes whether its planning '
                'is locked.') % ', '.join(refused.mapped('display_name')))

    # ------------------------------------------------- duplicate, period
    @api.multi
    def duplicate_on_dates(self, year, date_start, date_end):
        """Copy of this session for ``year`` from ``date_start`` to
        ``date_end`` (date strings), its sequences shifted at the same local
        hours (manual 001): made by the duplication wizard, see
        ``training.session.create.wizard._duplicate_session``."""
        self.ensure_one()
        return self.env['training.session.create.wizard']._duplicate_session(
            self, year, date_start, date_end)

    @api.multi
    def _set_period(self, date_start, date_end):
        """Make the session run from ``date_start`` to ``date_end`` (date
        strings): through its one planned sequence (created if needed);
        sessions planned with slots change through their slots."""
        self.ensure_one()
        start = fields.Date.from_string(date_start)
        end = fields.Date.from_string(date_end)
        if self._planning_bounds() == (start, end):
            return
        sequences = self.sequence_ids
        if sequences.mapped('slot_ids') or len(sequences) > 1:
            raise UserError(_(
                'The dates of %s come from its slots: change its slots '
                'instead.') % self.display_name)
        values = {'planned_date_start': self._utc_of_local(date_start, 9),
                  'planned_date_end': self._utc_of_local(date_end, 17)}
        if sequences:
            sequences.write(values)
        else:
            self.env['training.sequence'].create(dict(
                values, session_id=self.id, name=_('Session period')))

    # ------------------------------------------------------------ actions
    @api.multi
    def action_confirm(self):
        if self.filtered(lambda session: session.state != 'created'):
            raise UserError(_('Only created sessions can be confirmed.'))
        return self.write({'state': 'confirmed'})

    @api.multi
    def action_done(self):
        if self.filtered(lambda session: session.state != 'confirmed'):
            raise UserError(_('Only confirmed sessions can be closed.'))
        return self.write({'state': 'done'})

    @api.multi
    def action_cancel(self):
        if self.filtered(lambda session: session.state == 'done'):
            raise UserError(_('A session that is done cannot be cancelled.'))
        return self.write({'state': 'cancelled'})

    @api.multi
    def action_reset(self):
        if self.filtered(lambda session: session.state != 'cancelled'):
            raise UserError(_('Only cancelled sessions can be reset.'))
        return self.write({'state': 'created'})

    @api.multi
    def action_publish(self):
        return self.write({'publication_state': 'published'})

    @api.multi
    def action_unpublish(self):
        return self.write({'publication_state': 'draft'})
