# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html_escape, plaintext2html

# download_action: training.certificate imports it from here
from .training_certification_certificate_mixin import (  # noqa: F401
    DELEGATE_GROUP, DOWNLOAD_DAYS, download_action)
from .training_certification_trainer_check_mixin import (
    TRAINER_SEARCH_FIELDS)
from .training_registration import REGISTERED_STATES, TRAINING_USER_GROUP

MANAGER_GROUP = \
    'training_session.group_training_session_certification_manager'
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
# a session is entered from 3 months before to 1 month after its end date
ENTRY_MONTHS_BEFORE = 3
ENTRY_MONTHS_AFTER = 1
ZIP_RE = re.compile(r'^\d{5}$')
# set by the workflow buttons only, never written directly
WORKFLOW_FIELDS = {'name', 'state', 'user_id', 'trainer_id',
                   'trainer_check',
                   'generated_on', 'download_until', 'certificates_file',
                   'certificates_filename'}
# what the entity enters, only while the session is in its hands
ENTITY_FIELDS = TRAINER_SEARCH_FIELDS | {
    'scheme_id', 'certificate_type_id', 'platform_id',
    'place_zip', 'place_city', 'training_kind', 'date_end',
    'training_session_id'}
# what the trainer writes, only while the session is in their hands
TRAINER_FIELDS = {'return_comment'}


class TrainingCertificationSession(models.Model):
    """A certification session ("session de certification", manual 003):
    the entity (a delegate or a manager) enters it with its trainer and
    candidates, the trainer records the results, the entity generates the
    certificates of the candidates who passed. Here the session, its entry
    and its workflow; the trainer check, the certificates and the time
    zone ("today") are in their mixins. No activities: the entities' users
    are portal users, and Odoo 11 stores the next activity's deadline in a
    field only internal users may write (creating a session would
    fail)."""
    _name = 'training.certification.session'
    _inherit = ['mail.thread',
                'training.certification.trainer.check.mixin',
                'training.certification.certificate.mixin',
                'training.timezone.mixin']
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
                    'The certificate %(certificate)s is not one of the '
                    'scheme %(scheme)s.') % {
                        'certificate':
                            session.certificate_type_id.display_name,
                        'scheme': session.scheme_id.display_name})

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
                    '%(platform)s is not a teaching platform declared by '
                    '%(entity)s.') % {
                        'platform': platform.display_name,
                        'entity': session.entity_id.name})
            if platform and (session.place_zip, session.place_city) != (
                    platform.zip, platform.city):
                # printed on the certificates: the platform's, nothing else
                raise ValidationError(_(
                    'The place of the session is its teaching platform: '
                    '%(zip)s %(city)s.') % {
                        'zip': platform.zip or '',
                        'city': platform.city or ''})

    @api.constrains('training_session_id', 'scheme_id')
    def _check_training_session(self):
        for session in self.sudo().filtered('training_session_id'):
            if session.training_session_id.certification_id != \
                    session.scheme_id:
                raise ValidationError(_(
                    'The training session %(session)s does not lead to the '
                    'certification %(certification)s.') % {
                        'session': session.training_session_id.display_name,
                        'certification': session.scheme_id.display_name})

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
        vals = self._trainer_check_reset(vals)
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
                'This can only be done on sessions in the state "%(state)s": '
                '%(sessions)s.'
            ) % {'state': label, 'sessions': ', '.join(wrong.mapped('name'))})

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
                '%(entity)s holds no habilitation for %(scheme)s valid on the '
                'end date %(date_end)s.') % {
                    'entity': self.entity_id.name,
                    'scheme': self.scheme_id.display_name,
                    'date_end': end.strftime('%d/%m/%Y')},
            'too_early': _(
                'A session ending on %(date_end)s can be entered from '
                '%(entry_start)s on (three months before its end date).') % {
                'date_end': end.strftime('%d/%m/%Y'),
                'entry_start': (
                    end - relativedelta(months=ENTRY_MONTHS_BEFORE)
                ).strftime('%d/%m/%Y')},
            'too_late': _(
                'A session ending on %(date_end)s can be entered until '
                '%(entry_end)s (one month after its end date).') % {
                'date_end': end.strftime('%d/%m/%Y'),
                'entry_end': (
                    end + relativedelta(months=ENTRY_MONTHS_AFTER)
                ).strftime('%d/%m/%Y')},
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
    def unlink(self):
        now = self._now()
        kept = self.filtered(lambda session: (
            session.state == 'generated'
            and fields.Datetime.from_string(session.download_until) >= now))
        if kept:
            raise UserError(_(
                'Certificates were generated for %(sessions)s: it can no '
                'longer be deleted. It is deleted automatically %(days)d days '
                'after the generation.') % {
                    'sessions': ', '.join(kept.mapped('name')),
                    'days': DOWNLOAD_DAYS})
        # through the ORM, so that their PDFs go with them
        self.sudo().mapped('certificate_ids').unlink()
        return super(TrainingCertificationSession, self).unlink()

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
