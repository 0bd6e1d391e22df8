# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import datetime
import logging
import re

from dateutil.relativedelta import relativedelta
from werkzeug.urls import url_encode

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html_escape, plaintext2html

from .training_registration import REGISTERED_STATES, TRAINING_USER_GROUP

_logger = logging.getLogger(__name__)

DELEGATE_GROUP = \
    'training_session.group_training_session_certification_delegate'
MANAGER_GROUP = \
    'training_session.group_training_session_certification_manager'
TRAINER_GROUP = 'training_session.group_training_session_trainer'
STATES = [
    ('draft', 'Entity entry'),
    ('trainer_validation', 'Trainer validation'),
    ('entity_validation', 'Entity validation'),
    ('generated', 'Certificates generated'),
]
TRAINING_KINDS = [
    ('initial', 'Initial training'),
    ('refresher', 'Refresher (MAC)'),
]
# outcome of the trainer check, in the order the checks are made
TRAINER_CHECKS = [
    ('not_found', 'Person not found'),
    ('ambiguous', 'Several people match'),
    ('not_trainer', 'Not a trainer'),
    ('not_qualified', 'No qualification for the scheme'),
    ('qualification_expired', 'Qualification not valid on the end date'),
    ('ok', 'Qualified trainer'),
]
# a session is entered from 3 months before to 1 month after its end date
ENTRY_MONTHS_BEFORE = 3
ENTRY_MONTHS_AFTER = 1
# certificates are downloadable for 15 days, then deleted with the session
DOWNLOAD_DAYS = 15
ZIP_RE = re.compile(r'^\d{5}$')
# set by the workflow buttons only, never written directly
WORKFLOW_FIELDS = {'name', 'state', 'user_id', 'trainer_id',
                   'trainer_check',
                   'generated_on', 'download_until', 'certificates_file',
                   'certificates_filename'}
# how the trainer is looked for
TRAINER_SEARCH_FIELDS = {'trainer_national_number', 'trainer_lastname',
                         'trainer_firstname', 'trainer_birthdate'}
# what the entity enters, only while the session is in its hands
ENTITY_FIELDS = TRAINER_SEARCH_FIELDS | {
    'scheme_id', 'certificate_type_id', 'platform_id',
    'place_zip', 'place_city', 'training_kind', 'date_end',
    'training_session_id'}
# what the trainer writes, only while the session is in their hands
TRAINER_FIELDS = {'return_comment'}


def _literal(text):
    """``text`` for an =ilike match of itself only: the LIKE wildcards
    escaped."""
    return re.sub(r'([\\%_])', r'\\\1', text.strip())


def download_action(record, field, filename_field):
    """The action that downloads the file in ``field`` of ``record``."""
    return {
        'type': 'ir.actions.act_url',
        'target': 'self',
        'url': '/web/content?%s' % url_encode({
            'model': record._name, 'id': record.id, 'field': field,
            'filename_field': filename_field, 'download': 'true'}),
    }


class TrainingCertificationSession(models.Model):
    """A certification session ("session de certification", manual 003):
    the entity (a delegate or a manager) enters it with its trainer and
    candidates, the trainer records the results, the entity generates the
    certificates of the candidates who passed."""
    _name = 'training.certification.session'
    _inherit = ['mail.thread', 'mail.activity.mixin',
                'training.download.window.mixin']
    _download_fields = ('certificates_file',)
    _description = 'Certification session'
    _order = 'date_end desc, id desc'
    _sql_constraints = [
        ('name_unique', 'UNIQUE (name)',
         'The number of a certification session is unique.'),
    ]

    name = fields.Char(
        string='Number',
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: _('New'),
    )
    entity_id = fields.Many2one(
        'res.partner',
        string='Entity',
        required=True,
        index=True,
        ondelete='restrict',
        domain=[('is_company', '=', True)],
        default=lambda self: self.env.user.certification_entity_id,
        track_visibility='onchange',
        help='The habilitated entity that declares the session: the '
             'certification entity of the user who creates it.',
    )
    user_id = fields.Many2one(
        'res.users',
        string='Declared by',
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.user,
        copy=False,
    )
    state = fields.Selection(
        STATES,
        string='Status',
        default='draft',
        required=True,
        readonly=True,
        copy=False,
        index=True,
        track_visibility='onchange',
    )
    allowed_scheme_ids = fields.Many2many(
        'training.certification.scheme',
        string='Schemes of the habilitations',
        compute='_compute_allowed_scheme_ids',
        help='The schemes of the entity\'s habilitations valid on the end '
             'date (or still valid, before the end date is known).',
    )
    scheme_id = fields.Many2one(
        'training.certification.scheme',
        string='Scheme and level',
        required=True,
        ondelete='restrict',
        track_visibility='onchange',
    )
    requires_teaching_platform = fields.Boolean(
        related='scheme_id.requires_teaching_platform',
        readonly=True,
    )
    certificate_type_id = fields.Many2one(
        'training.certificate.type',
        string='Certificate',
        required=True,
        ondelete='restrict',
        track_visibility='onchange',
        help='The certificate issued to the candidates who pass.',
    )
    platform_id = fields.Many2one(
        'res.partner',
        string='Teaching platform',
        ondelete='restrict',
        help='Required when the scheme requires a teaching platform: one of '
             'the platforms the entity declared; its postal code and city '
             'are the place of the session.',
    )
    place_zip = fields.Char(
        string='Postal code',
        required=True,
        track_visibility='onchange',
    )
    place_city = fields.Char(
        string='City',
        required=True,
        track_visibility='onchange',
    )
    training_kind = fields.Selection(
        TRAINING_KINDS,
        string='Identification',
        required=True,
        default='initial',
        track_visibility='onchange',
        help='Initial training, or refresher of the skills ("maintien et '
             'actualisation des compétences", MAC).',
    )
    date_end = fields.Date(
        string='End date',
        required=True,
        index=True,
        track_visibility='onchange',
        help='Last day of the session: the certificates are valid from '
             'this date. The session can be entered from three months '
             'before to one month after it.',
    )
    trainer_national_number = fields.Char(
        string='Trainer\'s national number',
        help='Give the national number, or the last name, first name and '
             'birth date of the trainer, then check the trainer.',
    )
    trainer_lastname = fields.Char(string='Trainer\'s last name')
    trainer_firstname = fields.Char(string='Trainer\'s first name')
    trainer_birthdate = fields.Date(string='Trainer\'s birth date')
    trainer_check = fields.Selection(
        TRAINER_CHECKS,
        string='Trainer check',
        readonly=True,
        copy=False,
        help='Outcome of the last check of the trainer.',
    )
    trainer_check_message = fields.Char(
        compute='_compute_trainer_check_message',
        string='Trainer check result',
    )
    trainer_id = fields.Many2one(
        'res.partner',
        string='Trainer',
        readonly=True,
        copy=False,
        index=True,
        ondelete='restrict',
        track_visibility='onchange',
        help='Set by the trainer check: a person with the trainer role '
             'who holds a qualification for the scheme valid on the end '
             'date.',
    )
    training_session_id = fields.Many2one(
        'training.session',
        string='Training session',
        ondelete='set null',
        groups=TRAINING_USER_GROUP,
        domain="[('certification_id', '=', scheme_id)]",
        help='The training session certified (one leading to the same '
             'certification): its registered participants can be added as '
             'candidates.',
    )
    return_comment = fields.Text(
        string='Comment to the entity',
        copy=False,
        help='Written by the trainer to return the session to the entity '
             '(required to return it); kept in the history.',
    )
    candidate_ids = fields.One2many(
        'training.certification.candidate',
        'session_id',
        string='Candidates',
        copy=False,
    )
    certificate_ids = fields.One2many(
        'training.certificate',
        'session_id',
        string='Certificates',
        readonly=True,
        copy=False,
    )
    generated_on = fields.Datetime(
        string='Certificates generated on',
        readonly=True,
        copy=False,
    )
    download_until = fields.Datetime(
        string='Downloadable until',
        readonly=True,
        copy=False,
        index=True,
        help='The certificates can be downloaded for 15 days after their '
             'generation; the session and its certificates are then '
             'deleted.',
    )
    can_download = fields.Boolean(
        compute='_compute_can_download',
        string='Certificates downloadable',
    )
    certificates_file = fields.Binary(
        string='All the certificates',
        attachment=True,
        readonly=True,
        copy=False,
        groups=DELEGATE_GROUP,
    )
    certificates_filename = fields.Char(string='File name', readonly=True,
                                        copy=False)
    candidate_count = fields.Integer(
        string='Candidates',
        compute='_compute_candidate_counts',
    )
    passed_count = fields.Integer(
        string='Candidates who passed',
        compute='_compute_candidate_counts',
    )

    @api.depends('entity_id', 'date_end')
    def _compute_allowed_scheme_ids(self):
        habilitations = self.env['training.habilitation'].sudo().search(
            [('entity_id', 'in', self.mapped('entity_id').ids)])
        today = fields.Date.to_string(self._today())
        for session in self:
            day = session.date_end
            session.allowed_scheme_ids = habilitations.filtered(
                lambda hab: hab.entity_id == session.entity_id and (
                    hab.is_valid_on(day) if day
                    else not hab.date_to or hab.date_to >= today)
            ).mapped('scheme_id')

    @api.depends('trainer_check', 'trainer_id')
    def _compute_trainer_check_message(self):
        for session in self:
            session.trainer_check_message = session._trainer_check_text(
                session.trainer_check, session.trainer_id)

    @api.depends('state', 'download_until')
    def _compute_can_download(self):
        now = self._now()
        for session in self:
            session.can_download = session.state == 'generated' and \
                fields.Datetime.from_string(session.download_until) >= now

    @api.multi
    def _compute_candidate_counts(self):
        data = self.env['training.certification.candidate'].read_group(
            [('session_id', 'in', self.ids)], ['session_id', 'result'],
            ['session_id', 'result'], lazy=False)
        counts = {}
        for line in data:
            by_result = counts.setdefault(line['session_id'][0], {})
            by_result[line['result']] = line['__count']
        for session in self:
            by_result = counts.get(session.id, {})
            session.candidate_count = sum(by_result.values())
            session.passed_count = by_result.get('pass', 0)

    @api.constrains('entity_id', 'scheme_id', 'date_end')
    def _check_habilitation(self):
        for session in self._without_habilitation():
            raise ValidationError(session._entry_problem_text(
                'no_habilitation'))

    @api.constrains('scheme_id', 'certificate_type_id')
    def _check_certificate_type(self):
        for session in self:
            if session.certificate_type_id.scheme_id != session.scheme_id:
                raise ValidationError(_(
                    'The certificate %s is not one of the scheme %s.') % (
                    session.certificate_type_id.display_name,
                    session.scheme_id.display_name))

    @api.constrains('scheme_id', 'platform_id', 'entity_id', 'place_zip',
                    'place_city')
    def _check_platform(self):
        for session in self:
            platform = session.platform_id
            if session.scheme_id.requires_teaching_platform and \
                    not platform:
                raise ValidationError(_(
                    'The scheme %s requires a teaching platform: choose one '
                    'of the platforms the entity declared.'
                ) % session.scheme_id.display_name)
            if platform and not (platform.is_teaching_platform and
                                 platform.parent_id == session.entity_id):
                raise ValidationError(_(
                    '%s is not a teaching platform declared by %s.') % (
                    platform.display_name, session.entity_id.name))
            if platform and (session.place_zip, session.place_city) != (
                    platform.zip, platform.city):
                # printed on the certificates: the platform's, nothing else
                raise ValidationError(_(
                    'The place of the session is its teaching platform: %s '
                    '%s.') % (platform.zip or '', platform.city or ''))

    @api.constrains('training_session_id', 'scheme_id')
    def _check_training_session(self):
        for session in self.sudo().filtered('training_session_id'):
            if session.training_session_id.certification_id != \
                    session.scheme_id:
                raise ValidationError(_(
                    'The training session %s does not lead to the '
                    'certification %s.') % (
                    session.training_session_id.display_name,
                    session.scheme_id.display_name))

    @api.constrains('place_zip')
    def _check_place_zip(self):
        for session in self:
            if not ZIP_RE.match(session.place_zip or ''):
                raise ValidationError(_(
                    'The postal code of the place must have 5 digits '
                    '(got "%s").') % (session.place_zip,))

    @api.onchange('scheme_id')
    def _onchange_scheme_id(self):
        types = self.scheme_id.certificate_type_ids
        if self.certificate_type_id not in types:
            self.certificate_type_id = types if len(types) == 1 else False
        if not self.scheme_id.requires_teaching_platform:
            self.platform_id = False

    @api.onchange('training_session_id')
    def _onchange_training_session_id(self):
        training = self.training_session_id
        if training.date_end and not self.date_end:
            self.date_end = fields.Date.to_string(
                training._local(training.date_end).date())

    @api.onchange('platform_id')
    def _onchange_platform_id(self):
        if self.platform_id:
            self.place_zip = self.platform_id.zip
            self.place_city = self.platform_id.city

    # ------------------------------------------------------------ CRUD
    @api.model
    def create(self, vals):
        if self.env.uid != SUPERUSER_ID:
            vals = {name: value for name, value in vals.items()
                    if name not in WORKFLOW_FIELDS}
            if not vals.get('entity_id') and \
                    not self.env.user.certification_entity_id:
                raise UserError(_(
                    'Your user has no certification entity: ask an '
                    'administrator to set it on your user.'))
        if self.env.uid != SUPERUSER_ID or \
                vals.get('name', _('New')) == _('New'):
            vals['name'] = self.env['ir.sequence'].sudo().next_by_code(
                'training.certification.session') or _('New')
        session = super(TrainingCertificationSession, self).create(vals)
        session._check_entry_window()
        session.message_subscribe(partner_ids=session.user_id.partner_id.ids)
        return session

    @api.multi
    def write(self, vals):
        if self.env.uid != SUPERUSER_ID:
            self._check_write(vals)
        if TRAINER_SEARCH_FIELDS.intersection(vals) or \
                {'scheme_id', 'date_end'}.intersection(vals):
            # the trainer is to check again
            vals = dict(vals, trainer_check=False, trainer_id=False)
        previous_trainers = {session: session.trainer_id for session in self}
        result = super(TrainingCertificationSession, self).write(vals)
        if 'date_end' in vals:
            self._check_entry_window()
            # the candidates' birth dates are checked against it
            self.sudo().mapped('candidate_ids')._check_birthdate()
        for session, previous in previous_trainers.items():
            if previous and previous != session.trainer_id:
                # a replaced trainer hears no more of the session
                session.sudo().message_unsubscribe(partner_ids=previous.ids)
        return result

    @api.multi
    def _check_write(self, vals):
        if WORKFLOW_FIELDS.intersection(vals):
            raise UserError(_(
                'The status, the declaring user and the trainer of a '
                'certification session are set by its buttons only.'))
        if 'entity_id' in vals:
            # the record rules check the entity before the write only
            raise UserError(_(
                'The entity of a certification session never changes.'))
        if ENTITY_FIELDS.intersection(vals):
            self._check_entity_can_edit()
        if TRAINER_FIELDS.intersection(vals):
            self._check_trainer_can_act()

    @api.multi
    def _write_workflow(self, vals):
        """Write ``vals`` as the workflow does, past the checks of
        ``write`` (which refuses the workflow fields)."""
        return super(TrainingCertificationSession, self).write(vals)

    # ------------------------------------------------------------ rules
    @api.model
    def _today(self):
        """Today in the user's time zone, as a date."""
        return fields.Date.from_string(fields.Date.context_today(
            self.with_context(tz=self.env.context.get('tz') or
                              self.env.user.tz or 'Europe/Paris')))

    @api.model
    def _now(self):
        """Now, in UTC, as a datetime."""
        return fields.Datetime.from_string(fields.Datetime.now())

    @api.multi
    def _check_entity_user(self):
        """Only the entity's delegates (for the sessions they declared) and
        managers act for the entity. Checked session by session: the record
        rules of another role (trainer) may give access to the record."""
        if self.env.uid == SUPERUSER_ID:
            return
        user = self.env.user
        if not user.has_group(DELEGATE_GROUP):
            raise AccessError(_(
                'Only the delegates and managers of the entity can do this.'))
        manager = user.has_group(MANAGER_GROUP)
        foreign = self.sudo().filtered(lambda session: (
            session.entity_id != user.certification_entity_id or
            not manager and session.user_id != user))
        if foreign:
            raise AccessError(_(
                'Only the delegate who declared %s or a manager of its '
                'entity can do this.') % ', '.join(foreign.mapped('name')))

    @api.multi
    def _check_state(self, state):
        wrong = self.filtered(lambda session: session.state != state)
        if wrong:
            label = dict(self._fields['state']._description_selection(
                self.env))[state]
            raise UserError(_(
                'This can only be done on sessions in the state "%s": %s.'
            ) % (label, ', '.join(wrong.mapped('name'))))

    @api.multi
    def _check_entity_can_edit(self):
        self._check_entity_user()
        if self.filtered(lambda session: session.state != 'draft'):
            raise UserError(_(
                'The session can only be changed while the entity enters '
                'it. In entity validation, use "Modify the session": it '
                'goes back to entry, then to the trainer again.'))

    @api.multi
    def _check_trainer_can_act(self):
        """Only the session's trainer acts in trainer validation."""
        if self.env.uid == SUPERUSER_ID:
            return
        partner = self.env.user.partner_id
        if self.filtered(lambda session: session.trainer_id != partner):
            raise AccessError(_(
                'Only the trainer of the session can do this.'))
        if self.filtered(
                lambda session: session.state != 'trainer_validation'):
            raise UserError(_(
                'The trainer records the results and returns the session '
                'only while it is in trainer validation.'))

    @api.multi
    def _without_habilitation(self):
        """The sessions whose entity holds no habilitation for their
        scheme valid on their end date (one search for all)."""
        habilitations = self.env['training.habilitation'].sudo().search([
            ('entity_id', 'in', self.mapped('entity_id').ids),
            ('scheme_id', 'in', self.mapped('scheme_id').ids)])
        valid = {(hab.entity_id.id, hab.scheme_id.id, session.id)
                 for session in self for hab in habilitations
                 if hab.is_valid_on(session.date_end)}
        return self.filtered(lambda session: (
            session.entity_id.id, session.scheme_id.id, session.id)
            not in valid)

    @api.multi
    def _entry_problem(self):
        """Why the session cannot be entered today, as a code
        ('no_habilitation', 'too_early', 'too_late'), or False."""
        self.ensure_one()
        if self._without_habilitation():
            return 'no_habilitation'
        today = self._today()
        end = fields.Date.from_string(self.date_end)
        if today < end - relativedelta(months=ENTRY_MONTHS_BEFORE):
            return 'too_early'
        if today > end + relativedelta(months=ENTRY_MONTHS_AFTER):
            return 'too_late'
        return False

    @api.multi
    def _entry_problem_text(self, problem):
        self.ensure_one()
        end = fields.Date.from_string(self.date_end)
        return {
            'no_habilitation': _(
                '%s holds no habilitation for %s valid on the end date '
                '%s.') % (self.entity_id.name, self.scheme_id.display_name,
                          end.strftime('%d/%m/%Y')),
            'too_early': _(
                'A session ending on %s can be entered from %s on (three '
                'months before its end date).') % (
                end.strftime('%d/%m/%Y'),
                (end - relativedelta(months=ENTRY_MONTHS_BEFORE)).strftime(
                    '%d/%m/%Y')),
            'too_late': _(
                'A session ending on %s can be entered until %s (one month '
                'after its end date).') % (
                end.strftime('%d/%m/%Y'),
                (end + relativedelta(months=ENTRY_MONTHS_AFTER)).strftime(
                    '%d/%m/%Y')),
        }[problem]

    @api.multi
    def _check_entry_window(self):
        """A session is entered from three months before to one month
        after its end date, with a habilitation valid on its end date
        (manual 003)."""
        for session in self:
            problem = session._entry_problem()
            if problem:
                raise ValidationError(session._entry_problem_text(problem))

    # ------------------------------------------------------------ trainer
    @api.multi
    def _find_trainer_people(self):
        """The people matching the trainer's national number, or else
        their last name, first name and birth date (any contact: the
        trainer may belong to another organisation)."""
        self.ensure_one()
        Partner = self.env['res.partner'].sudo()
        number = re.sub(r'\s', '', self.trainer_national_number or '')
        if number:
            return Partner.search(
                [('training_national_number', '=', number)])
        if self.trainer_lastname and self.trainer_firstname and \
                self.trainer_birthdate:
            return Partner.search([
                ('lastname', '=ilike', _literal(self.trainer_lastname)),
                ('firstname', '=ilike', _literal(self.trainer_firstname)),
                ('birthdate_date', '=', self.trainer_birthdate)])
        raise UserError(_(
            'Give the trainer\'s national number, or their last name, first '
            'name and birth date.'))

    @api.multi
    def _trainer_check_code(self, people):
        """The first check ``people`` fails, in order: the person exists
        (only one), has the trainer role, holds a qualification for the
        scheme, valid on the end date; 'ok' when all pass."""
        self.ensure_one()
        if not people:
            return 'not_found'
        if len(people) > 1:
            return 'ambiguous'
        trainer_group = self.env.ref(TRAINER_GROUP)
        if not self.env['res.users'].sudo().search_count([
                ('partner_id', '=', people.id),
                ('groups_id', 'in', trainer_group.ids)]):
            return 'not_trainer'
        qualifications = self.env['training.trainer.qualification'].sudo(
        ).search([('trainer_id', '=', people.id),
                  ('scheme_id', '=', self.scheme_id.id)])
        if not qualifications:
            return 'not_qualified'
        if not qualifications.filtered(
                lambda qual: qual.is_valid_on(self.date_end)):
            return 'qualification_expired'
        return 'ok'

    @api.model
    def _trainer_check_text(self, code, trainer):
        if not code:
            return False
        if code == 'ok':
            return _('%s has the trainer role and a qualification for this '
                     'scheme valid on the end date.') % trainer.name
        return {
            'not_found': _(
                'Nobody matches: check the national number, or the last '
                'name, first name and birth date.'),
            'ambiguous': _(
                'Several people match: give the trainer\'s national number '
                'instead.'),
            'not_trainer': _(
                'This person does not have the trainer role.'),
            'not_qualified': _(
                'This trainer holds no qualification for this scheme.'),
            'qualification_expired': _(
                'This trainer\'s qualification for this scheme is not valid '
                'on the end date of the session.'),
        }[code]

    @api.multi
    def action_check_trainer(self):
        """Look for the trainer and record the outcome of the checks; the
        session's trainer is set only when every check passes."""
        self._check_entity_can_edit()
        for session in self:
            people = session._find_trainer_people()
            code = session._trainer_check_code(people)
            previous = session.trainer_id
            session._write_workflow({
                'trainer_check': code,
                'trainer_id': people.id if code == 'ok' else False})
            if previous and previous != session.trainer_id:
                # a replaced trainer hears no more of the session
                session.sudo().message_unsubscribe(partner_ids=previous.ids)
        return True

    @api.multi
    def _check_trainer_qualified(self):
        """The trainer must still pass every check (the qualification may
        have changed since the trainer was checked)."""
        for session in self:
            if not session.trainer_id:
                raise UserError(_(
                    'Check the trainer of %s first.') % session.name)
            code = session._trainer_check_code(session.trainer_id)
            if code != 'ok':
                raise UserError(session._trainer_check_text(
                    code, session.trainer_id))

    # ------------------------------------------------------------ actions
    @api.multi
    def action_submit(self):
        """Step 1 done: the session goes to its trainer."""
        self._check_entity_user()
        self._check_state('draft')
        for session in self.filtered(
                lambda session: not session.candidate_ids):
            raise UserError(_(
                'Add the candidates of %s first.') % session.name)
        self._check_entry_window()
        self._check_trainer_qualified()
        self._write_workflow({'state': 'trainer_validation',
                              'return_comment': False})
        for session in self:
            session.sudo().message_subscribe(
                partner_ids=session.trainer_id.ids)
        return True

    @api.multi
    def action_add_session_participants(self):
        """Add the participants registered to the linked training session
        as candidates, but those already there."""
        self.ensure_one()
        self._check_entity_can_edit()
        if not self.training_session_id:
            raise UserError(_('Link a training session first.'))
        partners = self.training_session_id.registration_ids.filtered(
            lambda reg: reg.state in REGISTERED_STATES).mapped('partner_id')
        incomplete = partners.filtered(lambda partner: not (
            partner.lastname and partner.firstname
            and partner.birthdate_date))
        if incomplete:
            raise UserError(_(
                'Fill in the last name, first name and birth date of these '
                'participants first: %s.') % ', '.join(
                incomplete.mapped('name')))
        Candidate = self.env['training.certification.candidate']
        known = {(cand.lastname, cand.firstname, cand.birthdate)
                 for cand in self.candidate_ids}
        for partner in partners - self.candidate_ids.mapped('partner_id'):
            values = Candidate._normalise({
                'session_id': self.id, 'partner_id': partner.id,
                'lastname': partner.lastname,
                'firstname': partner.firstname,
                'birthdate': partner.birthdate_date,
                'email': partner.email,
                'national_number': partner.training_national_number})
            identity = (values['lastname'], values['firstname'],
                        values['birthdate'])
            if identity not in known:
                known.add(identity)
                Candidate.create(values)
        return True

    @api.multi
    def action_send_results(self):
        """Step 2 done: the trainer checked the identities and recorded
        every result; the session goes back to the entity."""
        self._check_trainer_can_act()
        self.mapped('candidate_ids')._check_results_recorded()
        return self._write_workflow({'state': 'entity_validation'})

    @api.multi
    def action_return(self):
        """The trainer returns the session to the entity with a comment
        (an error in the entry, say), posted in the history."""
        self._check_trainer_can_act()
        for session in self.filtered(
                lambda session: not (session.return_comment or '').strip()):
            raise UserError(_(
                'Explain in a comment what the entity must correct before '
                'returning %s.') % session.name)
        for session in self:
            session.message_post(
                body='<p>%s</p>%s' % (
                    html_escape(_('Returned to the entity by the trainer:')),
                    plaintext2html(session.return_comment.strip())),
                subtype='training_session.mt_certification_returned',
                message_type='comment')
        return self._write_workflow({'state': 'draft'})

    @api.multi
    def portal_trainer_step(self, results, action=None, comment=None):
        """The trainer's step from the portal (issue 7, manual 003): the
        candidates' ``results`` {candidate id: 'pass', 'fail' or ''}, then
        ``action`` 'send' (the results to the entity) or 'return' (the
        session back to the entity with ``comment``); as the user."""
        self.ensure_one()
        self._check_trainer_can_act()
        candidates = self.candidate_ids
        if set(results) - set(candidates.ids):
            raise AccessError(_('These candidates are not of this '
                                'session.'))
        for candidate in candidates.filtered(lambda cand: cand.id in results):
            result = results[candidate.id] or False
            if result not in (False, 'pass', 'fail'):
                raise UserError(_('Unknown result: %s.') % result)
            if candidate.result != result:
                candidate.result = result
        if action == 'send':
            self.action_send_results()
        elif action == 'return':
            self.return_comment = comment
            self.action_return()
        return True

    @api.multi
    def action_modify(self):
        """Step 3: the entity changes the session instead of generating
        the certificates; it goes back to entry, then to the trainer."""
        self._check_entity_user()
        self._check_state('entity_validation')
        return self._write_workflow({'state': 'draft'})

    @api.multi
    def action_generate_certificates(self):
        """Step 3 done: a numbered certificate for each candidate who
        passed, from the end date on; never twice."""
        self._check_entity_user()
        for session in self.filtered(lambda session: (
                session.state == 'generated'
                or session.sudo().certificate_ids)):
            raise UserError(_(
                'The certificates of %s were already generated: no '
                'duplicate is issued.') % session.name)
        self._check_state('entity_validation')
        today = self._today()
        for session in self.filtered(lambda session: (
                today < fields.Date.from_string(session.date_end))):
            raise UserError(_(
                'The certificates of %s can be generated from its end date '
                'on, %s.') % (session.name, fields.Date.from_string(
                    session.date_end).strftime('%d/%m/%Y')))
        for session in self._without_habilitation():
            raise UserError(session._entry_problem_text('no_habilitation'))
        self._check_trainer_qualified()
        for session in self.filtered(lambda session: not any(
                result == 'pass'
                for result in session.candidate_ids.mapped('result'))):
            raise UserError(_(
                'No candidate of %s passed: there is no certificate to '
                'generate.') % session.name)
        for session in self:
            session._generate_certificates()
        return True

    @api.multi
    def _generate_certificates(self):
        self.ensure_one()
        now = self._now()
        Certificate = self.env['training.certificate'].sudo()
        certificates = Certificate.browse()
        for candidate in self.candidate_ids.filtered(
                lambda candidate: candidate.result == 'pass'):
            certificates |= Certificate.create(
                self._certificate_values(candidate, now))
        whole = certificates._store_pdfs()
        self._write_workflow({
            'state': 'generated',
            'generated_on': fields.Datetime.to_string(now),
            'download_until': fields.Datetime.to_string(
                now + datetime.timedelta(days=DOWNLOAD_DAYS)),
            'certificates_file': base64.b64encode(whole),
            'certificates_filename': _('Certificates %s.pdf') % self.name,
        })

    @api.multi
    def _certificate_values(self, candidate, now):
        """Valid from the end date, and when the scheme sets a validity,
        until the day before the same date that many months later."""
        start = fields.Date.from_string(self.date_end)
        months = self.scheme_id.validity_months
        end = start + relativedelta(months=months, days=-1) if months \
            else False
        return {
            'name': self.env['ir.sequence'].sudo().next_by_code(
                'training.certificate'),
            'session_id': self.id,
            'candidate_id': candidate.id,
            'scheme_id': self.scheme_id.id,
            'certificate_type_id': self.certificate_type_id.id,
            'training_kind': self.training_kind,
            'trainer_id': self.trainer_id.id,
            'date_start': self.date_end,
            'date_end': fields.Date.to_string(end) if end else False,
            'generated_on': fields.Datetime.to_string(now),
        }

    @api.multi
    def _check_download(self):
        """The entity downloads the certificates for 15 days after their
        generation."""
        self._check_entity_user()
        now = self._now()
        for session in self:
            if session.state != 'generated':
                raise UserError(_(
                    'The certificates of %s are not generated yet.'
                ) % session.name)
            until = fields.Datetime.from_string(session.download_until)
            if now > until:
                raise UserError(_(
                    'The certificates of %s could be downloaded until %s: '
                    'they are no longer available.') % (
                    session.name, fields.Datetime.context_timestamp(
                        self, until).strftime('%d/%m/%Y %H:%M')))

    @api.multi
    def _download_sessions(self):
        return self

    @api.multi
    def action_download_certificates(self):
        """The PDF of all the certificates of the session."""
        self.ensure_one()
        self._check_download()
        return download_action(self, 'certificates_file',
                               'certificates_filename')

    @api.multi
    def unlink(self):
        now = self._now()
        kept = self.filtered(lambda session: (
            session.state == 'generated'
            and fields.Datetime.from_string(session.download_until) >= now))
        if kept:
            raise UserError(_(
                'Certificates were generated for %s: it can no longer be '
                'deleted. It is deleted automatically %d days after the '
                'generation.') % (', '.join(kept.mapped('name')),
                                  DOWNLOAD_DAYS))
        # through the ORM, so that their PDFs go with them
        self.sudo().mapped('certificate_ids').unlink()
        return super(TrainingCertificationSession, self).unlink()

    @api.model
    def _cron_purge(self, batch_size=200):
        """Delete the sessions whose certificates were generated more than
        15 days ago, with their candidates, certificates and PDFs, batch by
        batch; running it again finds nothing more to delete."""
        now = fields.Datetime.to_string(self._now())
        Session = self.sudo()
        while True:
            sessions = Session.search([('state', '=', 'generated'),
                                       ('download_until', '<', now)],
                                      limit=batch_size)
            if not sessions:
                return True
            _logger.info('Deleting %d certification sessions whose '
                         'certificates were generated %d days ago.',
                         len(sessions), DOWNLOAD_DAYS)
            sessions.unlink()
            self.env['training.session.mail.schedule']._commit()

    @api.multi
    def _track_subtype(self, init_values):
        self.ensure_one()
        if 'state' in init_values:
            subtype = {
                'trainer_validation':
                    'training_session.mt_certification_submitted',
                'entity_validation':
                    'training_session.mt_certification_results',
                'generated': 'training_session.mt_certification_generated',
            }.get(self.state)
            if subtype:
                return subtype
        return super(TrainingCertificationSession, self)._track_subtype(
            init_values)
