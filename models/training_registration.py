# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

import icalendar
import pytz
from psycopg2.extras import execute_values

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.models import MAGIC_COLUMNS

from .private_context import DEFER_SEATS_KEY, has_private, with_private

# States in which a participant counts as registered (takes a seat, has
# attendance lines and locks the session's planning).
REGISTERED_STATES = ('confirmed', 'done')
# who sees costs, fundings and the trainees' benefit data
TRAINING_USER_GROUP = 'training_session.group_training_session_user'
# the participants' roles
TUTOR_GROUP = 'training_session.group_training_session_tutor'
TRAINEE_GROUP = 'training_session.group_training_session_trainee'
FUNDING_STATUSES = [
    ('job_seeker', 'Job seeker'),
    ('rsa', 'RSA benefit'),
    ('employee_plan', 'Employee - skills development plan'),
    ('cpf', 'Personal training account (CPF)'),
    ('work_study', 'Work-study contract'),
    ('self_funded', 'Self-funded'),
    ('other', 'Other'),
]


class TrainingRegistration(models.Model):
    """A trainee's registration ("inscription") to a session."""
    _name = 'training.registration'
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _description = 'Training registration'
    _order = 'session_id, partner_id'

    session_id = fields.Many2one(
        'training.session',
        string='Session',
        required=True,
        index=True,
        ondelete='cascade',
        track_visibility='onchange',
    )
    partner_id = fields.Many2one(
        'res.partner',
        string='Trainee',
        required=True,
        index=True,
        ondelete='restrict',
        track_visibility='onchange',
    )
    state = fields.Selection(
        [('draft', 'Request'),
         ('waiting', 'Waiting list'),
         ('confirmed', 'Enrolled'),
         ('done', 'Attended'),
         ('cancelled', 'Cancelled')],
        string='Status',
        default='draft',
        required=True,
        copy=False,
        track_visibility='onchange',
    )
    date_registered = fields.Datetime(
        string='Registration date',
        default=fields.Datetime.now,
        copy=False,
    )
    funding_status = fields.Selection(
        FUNDING_STATUSES,
        string='Funding status',
        groups=TRAINING_USER_GROUP,
        track_visibility='onchange',
    )
    caf_number = fields.Char(
        string='CAF number',
        groups=TRAINING_USER_GROUP,
        help='Family allowance fund number, required for an RSA benefit.',
    )
    cli_number = fields.Char(
        string='CLI number',
        groups=TRAINING_USER_GROUP,
        help='Local integration commission number, required for an RSA '
             'benefit.',
    )
    complementary_funding = fields.Char(
        string='Complementary funding',
        groups=TRAINING_USER_GROUP)
    document_ids = fields.Many2many(
        'ir.attachment', 'training_registration_attachment_rel',
        'registration_id', 'attachment_id', string='Documents',
        help='Documents of this registration: for INTER sessions, the '
             'convocation sent to the trainee comes from here.')
    attendance_ids = fields.One2many(
        'training.attendance',
        'registration_id',
        string='Attendance',
    )
    email = fields.Char(related='partner_id.email', readonly=True)
    phone = fields.Char(related='partner_id.phone', readonly=True)
    session_type = fields.Selection(related='session_id.session_type',
                                    readonly=True)
    session_date_start = fields.Datetime(
        related='session_id.date_start',
        string='Session start',
        readonly=True,
    )
    company_id = fields.Many2one(
        related='session_id.company_id',
        store=True,
        readonly=True,
    )

    _sql_constraints = [
        ('session_partner_unique', 'UNIQUE (session_id, partner_id)',
         'This trainee is already registered to this session.'),
    ]

    @api.constrains('funding_status', 'caf_number', 'cli_number')
    def _check_rsa_numbers(self):
        for reg in self.filtered(lambda reg: reg.funding_status == 'rsa'):
            if not (reg.caf_number and reg.cli_number):
                raise ValidationError(_(
                    '%s receives the RSA benefit: the CAF and CLI numbers are '
                    'required.') % reg.partner_id.name)

    @api.model
    def create(self, vals):
        # On a serialisation failure (two registrations for the last seats,
        # see _take_seats), Odoo's request layer runs the call again with
        # the same arguments, and mail.thread.create adds the creator's
        # follower command to the dict it is given: on the caller's dict,
        # the replay would subscribe them twice ("A partner cannot follow
        # twice the same object"). Whatever the layers below change, they
        # change a copy; the seats are counted again in the new
        # transaction.
        vals = copy_values(vals)
        state = vals.get('state', self.env.context.get('default_state'))
        if state in REGISTERED_STATES and vals.get('session_id'):
            # the session's seats locked before anything else (a batch's
            # too): the request that loses the race fails here, before
            # doing any work, and is retried sooner and with less contention
            self.check_access_rights('create')
            self._lock_seats(self.env['training.session'].browse(
                vals['session_id']))
        registration = super(TrainingRegistration, self).create(vals)
        if not has_private(self, DEFER_SEATS_KEY):
            registration._after_registering()
        return registration

    @api.model
    def _create_batch(self, session, partners, values):
        """Registrations of ``partners`` (in this order: the first ones get
        the seats) to ``session`` with ``values``, inserted in one
        statement, as create() would make them without tracking (their
        defaults, stored related fields, constraints, access rules);
        _after_registering is left to the caller. Values that are not
        plain columns go through create(), one by one."""
        if not partners:
            return self.browse()
        # the log columns are the ORM's (create() ignores them too)
        values = {name: value for name, value in dict(
            self.default_get(list(self._fields)), **values).items()
            if name not in MAGIC_COLUMNS}
        values.update(session_id=session.id,
                      company_id=session.company_id.id)
        columns = [name for name in values
                   if self._fields[name].store and
                   self._fields[name].column_type and
                   name != 'partner_id']
        if set(values) - set(columns) - {'partner_id'}:
            Registration = with_private(self, DEFER_SEATS_KEY)
            created = [Registration.create(dict(values, partner_id=partner.id))
                       for partner in partners]
            return self.browse([reg.id for reg in created])
        self.check_access_rights('create')
        # the fields of a group (funding) as create() would check them
        self.check_field_access_rights('write', columns)
        self._lock_seats(session)
        row = tuple(self._fields[name].convert_to_column(
            values[name], self) for name in columns)
        now = fields.Datetime.now()
        ids = [line[0] for line in execute_values(self.env.cr, """
            INSERT INTO training_registration (partner_id, %s, create_uid,
                   create_date, write_uid, write_date)
            VALUES %%s RETURNING id""" % ', '.join(
            '"%s"' % name for name in columns), [
            (partner.id,) + row + (self.env.uid, now, self.env.uid, now)
            for partner in partners], fetch=True)]
        registrations = self.browse(ids)
        # what depends on the new rows (the session's counts...)
        registrations.modified(['partner_id'] + columns)
        registrations.recompute()
        registrations._validate_fields(columns)
        registrations.check_access_rule('create')
        return registrations

    @api.multi
    def _after_registering(self):
        """Checks and consequences of new registrations, for a whole batch:
        a slot first, seats within capacity, attendance lines."""
        self._check_can_register(self.mapped('session_id'))
        self.filtered(
            lambda reg: reg.state in REGISTERED_STATES)._take_seats()
        self._sync_attendances()
        self._notify_registered()

    @api.multi
    def _notify_registered(self):
        """What the enrolled ones receive at once: the mails triggered by
        the registration and one calendar invitation per sequence."""
        enrolled = self.filtered(lambda reg: reg.state in REGISTERED_STATES)
        self.env['training.session.mail']._send_on_registration(enrolled)
        self.env['training.calendar.invitation']._sync(self)

    @api.multi
    def write(self, vals):
        if 'session_id' in vals and self.filtered(
                lambda reg: reg.session_id.id != vals['session_id']):
            raise UserError(_(
                'A registration does not move to another session: cancel it '
                'and register the trainee to the other session.'))
        enrolling = self.browse()
        if vals.get('state') in REGISTERED_STATES:
            enrolling = self.filtered(
                lambda reg: reg.state not in REGISTERED_STATES)
        leaving = self.browse()
        if 'state' in vals and vals['state'] not in REGISTERED_STATES:
            leaving = self.filtered(
                lambda reg: reg.state in REGISTERED_STATES)
        # locked first, as in create
        self._lock_seats(enrolling.mapped('session_id'))
        result = super(TrainingRegistration, self).write(vals)
        if enrolling:
            enrolling._take_seats()
        if 'state' in vals:
            self._sync_attendances()
            self.env['training.session.mail']._send_on_registration(
                enrolling.filtered(
                    lambda reg: reg.state in REGISTERED_STATES))
            self.env['training.calendar.invitation']._sync(self)
        if leaving:
            self.env['training.session.mail']._forget_registration(leaving)
            self._promote_waiting(leaving.mapped('session_id'))
        return result

    @api.multi
    def unlink(self):
        self.mapped('attendance_ids')._check_not_recorded()
        sessions = self.filtered(
            lambda reg: reg.state in REGISTERED_STATES).mapped('session_id')
        self.env['training.calendar.invitation'].search([
            ('registration_id', 'in', self.ids)])._send_cancel(immediate=True)
        self.env['training.session.mail']._forget_registration(self)
        result = super(TrainingRegistration, self).unlink()
        self.browse()._promote_waiting(sessions)
        return result

    @api.multi
    def _take_seats(self):
        """Keep the registrations that fit in their session's maximum
        capacity enrolled, the earliest first, and put the others on the
        waiting list.
        The sessions' rows are locked first, so that two users taking the
        last seat at the same time cannot both get it: the second waits,
        then fails to serialise and is retried, and sees the seat taken."""
        sessions = self.mapped('session_id')
        self._lock_seats(sessions)
        counts = self._registered_counts(sessions)
        full = self.browse()
        for reg in self.sorted(lambda reg: (reg.date_registered, reg.id),
                               reverse=True):
            maximum = reg.session_id.capacity_max
            if maximum and counts.get(reg.session_id.id, 0) > maximum:
                full |= reg
                counts[reg.session_id.id] -= 1
        if full:
            super(TrainingRegistration, full).write({'state': 'waiting'})
            for reg in full:
                reg.message_post(body=_(
                    'The session is full: put on the waiting list.'))
        return full

    # ------------------------------------------------- seats and waiting list
    @api.model
    def _register_partners(self, session, partners, values):
        """Register ``partners`` (in this order, the first ones get the
        seats) to ``session`` with ``values``, as one operation: seats and
        attendance lines are handled once for the whole batch (the
        session's ``register_partners``)."""
        self._check_can_register(session)
        registrations = self.with_context(
            tracking_disable=True, mail_create_nolog=True,
            mail_create_nosubscribe=True)._create_batch(
            session, partners, values)
        registrations._after_registering()
        return registrations

    @api.model
    def _check_can_register(self, sessions):
        """Trainees register once the session has a slot (a workshop in
        manual 004): their attendance lines follow its slots."""
        empty = sessions.filtered(lambda session: not session.slot_ids)
        if empty:
            raise UserError(_(
                'No trainee can be registered to %s yet: add at least one '
                'slot (workshop) first; the registered trainees are then '
                'attached to every slot.') % ', '.join(
                empty.mapped('display_name')))

    @api.model
    def _state_counts(self, sessions):
        """{session id: {registration state: count}} of ``sessions``, in one
        query."""
        if not sessions.ids:
            return {}
        data = self.sudo().read_group(
            [('session_id', 'in', sessions.ids)], ['session_id', 'state'],
            ['session_id', 'state'], lazy=False)
        counts = {}
        for line in data:
            counts.setdefault(line['session_id'][0], {})[line['state']] = \
                line['__count']
        return counts

    @api.model
    def _registered_counts(self, sessions):
        """{session id: number of registered participants} of ``sessions``,
        in one query."""
        return {session_id: sum(by_state.get(state, 0)
                                for state in REGISTERED_STATES)
                for session_id, by_state in self._state_counts(
                    sessions).items()}

    @api.model
    def _lock_seats(self, sessions):
        """Lock the rows of ``sessions`` until the end of the transaction,
        and update them so that a concurrent transaction that counted seats
        before fails to serialise (and is retried) instead of counting
        stale seats."""
        if sessions.ids:
            self.env.cr.execute(
                'UPDATE training_session SET write_date = write_date '
                'WHERE id IN %s', (tuple(sessions.ids),))

    @api.model
    def _promote_waiting(self, sessions):
        """Enrol the waiting list of ``sessions`` in order while seats are
        available, for the sessions still to run."""
        sessions = sessions.filtered(
            lambda session: session.state not in ('done', 'cancelled'))
        if not sessions:
            return
        self._lock_seats(sessions)
        counts = self._registered_counts(sessions)
        waiting = self.search(
            [('session_id', 'in', sessions.ids), ('state', '=', 'waiting')],
            order='date_registered, id')
        promoted = waiting.browse()
        for reg in waiting:
            session = reg.session_id
            if session.capacity_max and \
                    counts.get(session.id, 0) >= session.capacity_max:
                continue
            counts[session.id] = counts.get(session.id, 0) + 1
            promoted |= reg
        if promoted:
            promoted.write({'state': 'confirmed'})
            for reg in promoted:
                reg.message_post(body=_(
                    'A seat became available: enrolled from the waiting '
                    'list.'))

    @api.multi
    def _sync_attendances(self):
        """Attendance lines for every slot of the registered ones; those not
        recorded yet removed for the others."""
        registered = self.filtered(
            lambda reg: reg.state in REGISTERED_STATES)
        self.env['training.attendance']._create_missing(
            registrations=registered)
        (self - registered).mapped('attendance_ids').filtered(
            lambda att: not att.is_recorded).unlink()

    @api.multi
    def attended_hours(self):
        """Hours of the slots the trainee was present at."""
        self.ensure_one()
        return sum(self.attendance_ids.filtered(
            lambda att: att.state == 'present').mapped(
            'slot_id.duration_hours'))

    @api.multi
    def signed_hours(self):
        """Hours of the slots the trainee signed and was present at: what
        the certificate of completion certifies (issue 17)."""
        self.ensure_one()
        return sum(self.sudo().attendance_ids.filtered(
            lambda att: att.signed_on and att.state == 'present').mapped(
            'slot_id.duration_hours'))

    @api.multi
    def completion_texts(self):
        """The paragraphs of the certificate of completion (the Ministry
        of Labour's certificat de réalisation), in the trainee's
        language."""
        self.ensure_one()
        reg = self.with_context(lang=self.partner_id.lang or self.env.lang)
        session = reg.session_id
        company = session.company_id
        dates = session._local_dates()
        signed = format_hours(reg.signed_hours())
        employer = reg.partner_id.parent_id
        trainee = _('%(trainee)s, employee of %(employer)s,') % {
            'trainee': reg.partner_id.name, 'employer': employer.name} \
            if employer else reg.partner_id.name
        return {
            'intro': _('I, the undersigned %(representative)s, legal '
                       'representative of %(organisation)s, provider of the '
                       'action contributing to the development of skills, '
                       'certify that:') % {
                'representative': company.training_legal_representative or
                '...', 'organisation': company.name},
            'trainee': trainee,
            'action': _('has attended the action: %s') % session.title,
            'period': _('which took place from %(start)s to %(end)s for a '
                        'duration of %(hours)s hours.') % {
                'start': dates[0], 'end': dates[1], 'hours': signed},
            'attendance': _('Attendance: %(signed)s hours signed out of '
                            '%(planned)s hours planned.') % {
                'signed': signed,
                'planned': format_hours(session.duration_hours)},
            'place_date': _('Done at %(city)s, on %(date)s') % {
                'city': company.city or '',
                'date': fields.Date.from_string(fields.Date.context_today(
                    reg)).strftime('%d/%m/%Y')},
        }

    @api.multi
    def action_generate_convocation(self):
        """Print each registration's convocation and keep it in its
        documents (manual 001: INTER sessions convene from there)."""
        report = self.env.ref('training_session.action_report_convocation')
        for reg in self:
            pdf = report.render_qweb_pdf(reg.ids)[0]
            attachment = self.env['ir.attachment'].create({
                'name': _('Convocation - %s.pdf') % reg.partner_id.name,
                'datas_fname': _('Convocation - %s.pdf') % reg.partner_id.name,
                'datas': base64.b64encode(pdf),
                'res_model': reg._name, 'res_id': reg.id,
                'mimetype': 'application/pdf',
            })
            reg.document_ids = [(4, attachment.id)]
        return True

    @api.multi
    def action_send_convocation(self):
        """Send each trainee their convocation with the registration's
        documents (manual 001: how INTER sessions convene), generating the
        convocation first when there is no document; their calendar
        invitations are updated."""
        for reg in self:
            if reg.session_id.session_type != 'inter':
                raise UserError(_(
                    'The session %s is not an INTER session: its '
                    'convocations go with its e-mail settings.') %
                    reg.session_id.display_name)
            if reg.state not in REGISTERED_STATES:
                raise UserError(_('%s is not enrolled: no convocation to '
                                  'send.') % reg.partner_id.name)
            if not reg.partner_id.email:
                raise UserError(_('%s has no e-mail address.') %
                                reg.partner_id.name)
        self.filtered(lambda reg: not reg.document_ids) \
            .action_generate_convocation()
        template = self.env.ref(
            'training_session.mail_template_registration_convocation')
        for reg in self:
            template.send_mail(reg.id, email_values={
                'recipient_ids': [(4, reg.partner_id.id)],
                'attachment_ids': reg.document_ids.ids})
            reg.message_post(body=_('Convocation sent with: %s') % ', '.join(
                reg.document_ids.mapped('name')))
        self.env['training.calendar.invitation'].search([
            ('registration_id', 'in', self.ids)])._send_update()
        return True

    # ----------------------------------------------------------- calendar
    @api.multi
    def _invitable(self):
        """[(registration id, session id)] of those of these registrations
        whose trainee gets calendar invitations, in one query: enrolled in
        a live session and reachable by e-mail."""
        if not self:
            return []
        self.env.cr.execute("""
            SELECT reg.id, reg.session_id
              FROM training_registration reg
              JOIN training_session session ON session.id = reg.session_id
              JOIN res_partner partner ON partner.id = reg.partner_id
             WHERE reg.id IN %s AND reg.state IN %s
               AND session.state != 'cancelled'
               AND COALESCE(partner.email, '') != ''
             ORDER BY reg.id""", (tuple(self.ids), REGISTERED_STATES))
        return self.env.cr.fetchall()

    @api.multi
    def _ics_uid(self, sequence):
        """Stable UID of the invitation of this trainee to ``sequence``:
        the same for every update and the cancellation."""
        self.ensure_one()
        uuid = self.env['ir.config_parameter'].sudo().get_param(
            'database.uuid')
        return 'training-sequence-%d-registration-%d@%s' % (
            sequence.id, self.id, uuid)

    @api.multi
    def _ics_event(self, sequence, revision=0, cancelled=False):
        """The VEVENT of ``sequence`` for this trainee: its first slot's
        start to its last slot's end (or its planned dates), in UTC so that
        every client shows the local hour, whatever the daylight saving
        time; each slot listed in the description in local time."""
        self.ensure_one()
        session = self.session_id
        slots = sequence.slot_ids.sorted('date_start')
        # the zone of the session's mails, whoever sends
        zone = session.user_id.tz or self.env.user.tz or 'Europe/Paris'
        # both dates of a slot over several days
        lines = ['%s%s' % (
            slot.hours_label(zone),
            ', %s' % slot.place_id.name if slot.place_id else '')
            for slot in slots]
        if sequence.url:
            lines.append(sequence.url)
        place = slots[:1].place_id or session.place_id
        event = icalendar.Event()
        event.add('uid', self._ics_uid(sequence))
        event.add('sequence', revision)
        event.add('dtstamp', fields.Datetime.from_string(
            fields.Datetime.now()).replace(tzinfo=pytz.utc))
        for name, value in (('dtstart', sequence.date_start),
                            ('dtend', sequence.date_end)):
            if value:  # none left when cancelling a sequence without slots
                event.add(name, fields.Datetime.from_string(value).replace(
                    tzinfo=pytz.utc))
        # the month of a monthly session in the trainee's language
        title = session.with_context(
            lang=self.partner_id.lang or self.env.lang).title
        event.add('summary', '%s - %s' % (title, sequence.name))
        event.add('description', '\n'.join(lines))
        if place:
            event.add('location', ', '.join(filter(None, (
                place.name, place.street, place.zip, place.city))))
        event.add('status', 'CANCELLED' if cancelled else 'CONFIRMED')
        if self.partner_id.email:
            event.add('attendee', 'mailto:%s' % self.partner_id.email,
                      parameters={'CN': self.partner_id.name,
                                  'ROLE': 'REQ-PARTICIPANT',
                                  'RSVP': 'FALSE'})
        organizer = session.company_id.email or self.env.user.email
        if organizer:
            event.add('organizer', 'mailto:%s' % organizer,
                      parameters={'CN': session.company_id.name})
        return event

    @api.multi
    def ics_invitation(self, sequence, method='REQUEST', revision=0):
        """An iTIP invitation (REQUEST) or cancellation (CANCEL) of this
        trainee to ``sequence``, as bytes."""
        self.ensure_one()
        calendar = self._ics_calendar(method)
        calendar.add_component(self._ics_event(
            sequence, revision, cancelled=method == 'CANCEL'))
        return calendar.to_ical()

    @api.model
    def _ics_calendar(self, method):
        calendar = icalendar.Calendar()
        calendar.add('prodid', '-//training_session//Odoo//FR')
        calendar.add('version', '2.0')
        calendar.add('method', method)
        return calendar

    @api.multi
    def ics_sequence_file(self, sequence):
        """One sequence of the trainee's planning as an .ics file (the
        portal's download per sequence)."""
        self.ensure_one()
        calendar = self._ics_calendar('PUBLISH')
        calendar.add_component(self._ics_event(
            sequence, self._ics_revisions().get(sequence.id, 0)))
        return calendar.to_ical()

    @api.multi
    def _ics_revisions(self):
        """{sequence id: revision of the invitation sent}: a downloaded file
        carries it, or calendars would take it for an older version."""
        self.ensure_one()
        return {inv.sequence_id.id: inv.revision
                for inv in self.env['training.calendar.invitation'].sudo()
                .search([('registration_id', '=', self.id)])}

    @api.multi
    def action_download_ics(self):
        """The trainee's planning as one .ics file: one event per sequence
        (pre-work included, cancelled sequences left out)."""
        self.ensure_one()
        calendar = self._ics_calendar('PUBLISH')
        revisions = self._ics_revisions()
        for sequence in self.session_id.sequence_ids.filtered(
                lambda seq: seq.status != 'cancelled' and seq.date_start):
            calendar.add_component(self._ics_event(
                sequence, revisions.get(sequence.id, 0)))
        name = '%s.ics' % self.session_id.code
        attachment = self.env['ir.attachment'].create({
            'name': name, 'datas_fname': name,
            'datas': base64.b64encode(calendar.to_ical()),
            'mimetype': 'text/calendar',
            'res_model': self._name, 'res_id': self.id,
        })
        return {'type': 'ir.actions.act_url', 'target': 'self',
                'url': '/web/content/%d?download=true' % attachment.id}

    # ------------------------------------------------------------ reports
    # Whole sentences, so that each is one term to translate; in the
    # trainee's language.
    @api.multi
    def convocation_texts(self):
        """(greeting, introduction) of the convocation."""
        self = self.with_context(lang=self.partner_id.lang or self.env.lang)
        return (_('Dear %s,') % self.partner_id.name,
                _('You are registered to the training session %(session)s '
                  '(%(code)s). Please attend the following slots:') % {
                    'session': self.session_id.title,
                    'code': self.session_id.code})

    @api.multi
    def certificate_text(self):
        self = self.with_context(lang=self.partner_id.lang or self.env.lang)
        session = self.session_id
        dates = session._local_dates()
        return _('We certify that %(trainee)s attended the training session '
                 '%(session)s (%(code)s), from %(start)s to %(end)s, for '
                 '%(attended)s hours out of %(planned)s hours planned.') % {
            'trainee': self.partner_id.name, 'session': session.title,
            'code': session.code, 'start': dates[0], 'end': dates[1],
            'attended': format_hours(self.attended_hours()),
            'planned': format_hours(session.duration_hours)}

    @api.multi
    def name_get(self):
        return [(reg.id, '%s - %s' % (reg.session_id.display_name,
                                      reg.partner_id.display_name))
                for reg in self]

    @api.multi
    def action_confirm(self):
        return self.write({'state': 'confirmed'})

    @api.multi
    def action_cancel(self):
        return self.write({'state': 'cancelled'})

    @api.multi
    def action_reset(self):
        return self.write({'state': 'draft'})


def copy_values(value):
    """A copy of the dicts, lists and tuples of ``value`` (create or write
    values, x2many commands), at every depth, the other values as they are
    (records included): what the ORM and its overrides may change in
    place."""
    if isinstance(value, dict):
        return {key: copy_values(item) for key, item in value.items()}
    if type(value) in (list, tuple):
        return type(value)(copy_values(item) for item in value)
    return value


def format_hours(hours):
    """7.5 -> '7.5', 14.0 -> '14'."""
    return ('%.2f' % hours).rstrip('0').rstrip('.')
