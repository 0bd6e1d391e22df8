# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the portal needs of a session: who may see it unpublished, who
follows it, its trainees' directory (manual 004), and the catalogue the
trainees ask to attend from."""
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .training_registration import (REGISTERED_STATES, TRAINEE_GROUP,
                                    TRAINING_USER_GROUP)

# a context key that only restricts a registrant list to the directory
# (a client sending it sees less, never more)
DIRECTORY_ONLY_KEY = 'training_directory_only'


class TrainingSession(models.Model):
    _inherit = 'training.session'

    enrolled_partner_ids = fields.Many2many(
        'res.partner',
        string='Enrolled trainees',
        compute='_compute_enrolled_partner_ids',
        search='_search_enrolled_partner_ids',
        help='The trainees whose registration is confirmed or done: they '
             'see the session, its planning and their comments on the '
             'portal, published or not (manual 004, 9).',
    )

    @api.depends('registration_ids.state', 'registration_ids.partner_id')
    def _compute_enrolled_partner_ids(self):
        for session in self:
            session.enrolled_partner_ids = session.registration_ids.filtered(
                lambda reg: reg.state in REGISTERED_STATES
            ).mapped('partner_id')

    @api.model
    def _search_enrolled_partner_ids(self, operator, value):
        """The sessions where ``value`` (partner ids) is enrolled; one
        query, whatever the caller may read (the record rules of the
        trainees go through it)."""
        if operator not in ('=', 'in'):
            raise UserError(_('Enrolled trainees are searched by '
                              'equality only.'))
        if isinstance(value, models.BaseModel):
            value = value.ids
        ids = [value] if isinstance(value, int) else list(value or [])
        # who is enrolled where is the back office's: anyone else (a
        # trainee's record rule included) searches their own enrolments
        if self.env.uid != SUPERUSER_ID and \
                not self.env.user.has_group(TRAINING_USER_GROUP):
            ids = [partner_id for partner_id in ids
                   if partner_id == self.env.user.partner_id.id]
        if not ids:
            return [('id', '=', 0)]
        self.env.cr.execute("""
            SELECT DISTINCT session_id FROM training_registration
             WHERE partner_id IN %s AND state IN %s""",
                            (tuple(ids), REGISTERED_STATES))
        return [('id', 'in', [row[0] for row in self.env.cr.fetchall()])]

    # ---------------------------------------------------------- staff
    @api.multi
    def portal_staff_role(self):
        """'tutor' when the user follows this session as its tutor,
        'trainer' when they teach it (the session's trainers or a slot's),
        else False."""
        self.ensure_one()
        partner = self.env.user.partner_id
        session = self.sudo()
        if partner in session.tutor_ids:
            return 'tutor'
        slots = session.slot_ids
        if partner in session.trainer_ids | slots.mapped('trainer_ids') | \
                slots.mapped('cotrainer_id'):
            return 'trainer'
        return False

    @api.multi
    def _check_portal_tutor(self):
        """AccessError unless the user is a tutor of this session."""
        if self.portal_staff_role() != 'tutor':
            raise AccessError(_('Only the tutors of this session may do '
                                'this.'))

    # ------------------------------------------------------ directory
    @api.multi
    def registrant_list(self):
        """The registered trainees a registrant list prints, by name: all
        of them, or those who agreed to appear in the directory when the
        context asks for the directory only (manual 004, 4)."""
        registrations = self.attendance_sheet()['registrations']
        if self.env.context.get(DIRECTORY_ONLY_KEY):
            registrations = registrations.filtered(
                lambda reg: reg.partner_id.directory_consent)
        return registrations

    @api.multi
    def directory_registrations(self):
        """The registered trainees who agreed to appear in the directory:
        what the trainees, the trainers and the tutors of the session see
        of each other on the portal."""
        self.check_access_rights('read')
        self.check_access_rule('read')
        return self.with_context(**{DIRECTORY_ONLY_KEY: True}).sudo() \
            .registrant_list()

    @api.multi
    def portal_tutor_trainees(self):
        """The registered trainees of this session, for its tutor (the
        full list, their contact details included)."""
        self._check_portal_tutor()
        return self.sudo().registrant_list().mapped('partner_id')

    # ------------------------------------------------------ catalogue
    @api.model
    def _portal_catalogue_domain(self):
        """The sessions a user may see in the portal's catalogue: published
        (never drafts), not started, not cancelled or done, and open to
        everyone or to one of the user's populations."""
        return [('publication_state', '=', 'published'),
                ('state', 'in', ('created', 'confirmed')),
                ('date_start', '>', fields.Datetime.now()),
                ('company_id', 'child_of', [self.env.user.company_id.id]),
                '|', ('population_ids', '=', False),
                ('population_ids.user_ids', 'in', [self.env.uid])]

    @api.model
    def portal_catalogue(self):
        return self.sudo().search(self._portal_catalogue_domain(),
                                  order='date_start')

    @api.multi
    def portal_request_registration(self):
        """The user's registration request to this catalogue session: a
        request the back office confirms."""
        self.ensure_one()
        if not self.env.user.has_group(TRAINEE_GROUP) or \
                not self.sudo().search_count(
                    self._portal_catalogue_domain() + [('id', '=', self.id)]):
            raise AccessError(_('This session is not in your catalogue.'))
        partner = self.env.user.partner_id
        Registration = self.env['training.registration'].sudo()
        if Registration.search_count([('session_id', '=', self.id),
                                      ('partner_id', '=', partner.id)]):
            raise UserError(_('You already asked to attend %s.') %
                            self.sudo().display_name)
        registration = Registration.create({
            'session_id': self.id, 'partner_id': partner.id,
            'state': 'draft'})
        registration.message_post(body=_(
            'Registration request made on the portal.'),
            author_id=partner.id)
        return registration
