# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .res_partner import normalise_firstname

EMAIL_RE = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')
# what the entity enters; the trainer records the result
IDENTITY_FIELDS = {'lastname', 'firstname', 'birthdate', 'email',
                   'national_number', 'partner_id'}


class TrainingCertificationCandidate(models.Model):
    """A candidate ("stagiaire") of a certification session: the entity
    enters their identity, the trainer checks it and records whether they
    passed (manual 003)."""
    _name = 'training.certification.candidate'
    _description = 'Certification candidate'
    _order = 'session_id, lastname, firstname, id'

    session_id = fields.Many2one(
        'training.certification.session',
        string='Certification session',
        required=True,
        index=True,
        ondelete='cascade',
    )
    session_state = fields.Selection(
        related='session_id.state',
        readonly=True,
    )
    lastname = fields.Char(string='Last name', required=True)
    firstname = fields.Char(string='First name', required=True)
    birthdate = fields.Date(string='Birth date', required=True)
    email = fields.Char(string='E-mail')
    national_number = fields.Char(string='National number')
    partner_id = fields.Many2one(
        'res.partner',
        string='Contact',
        ondelete='set null',
        help='The participant of the linked training session this '
             'candidate comes from.',
    )
    result = fields.Selection(
        [('fail', 'Failed'), ('pass', 'Passed')],
        string='Result',
        copy=False,
        help='Recorded by the trainer, after checking the candidate\'s '
             'identity.',
    )

    _sql_constraints = [
        ('identity_unique',
         'UNIQUE (session_id, lastname, firstname, birthdate)',
         'This candidate is already in the session.'),
    ]

    @api.constrains('email')
    def _check_email(self):
        for candidate in self.filtered('email'):
            if not EMAIL_RE.match(candidate.email):
                raise ValidationError(_(
                    '"%s" is not a valid e-mail address.') % candidate.email)

    @api.constrains('birthdate', 'session_id')
    def _check_birthdate(self):
        for candidate in self:
            if candidate.birthdate >= candidate.session_id.date_end:
                raise ValidationError(_(
                    'The birth date of %s must be before the end date of '
                    'the session.') % candidate.display_name)

    @api.model
    def _normalise(self, vals):
        """Names as LAST NAME and First Name, numbers without spaces."""
        vals = dict(vals)
        if vals.get('lastname'):
            vals['lastname'] = ' '.join(vals['lastname'].split()).upper()
        if vals.get('firstname'):
            vals['firstname'] = normalise_firstname(vals['firstname'])
        for name in ('email', 'national_number'):
            if vals.get(name):
                vals[name] = vals[name].strip()
        if vals.get('national_number'):
            vals['national_number'] = re.sub(r'\s', '',
                                             vals['national_number'])
        return vals

    @api.model
    def create(self, vals):
        if vals.get('result') and self.env.uid != SUPERUSER_ID:
            raise UserError(_('Only the trainer records the results.'))
        candidate = super(TrainingCertificationCandidate, self).create(
            self._normalise(vals))
        if self.env.uid != SUPERUSER_ID:
            candidate.session_id._check_entity_can_edit()
        return candidate

    @api.multi
    def write(self, vals):
        if self.env.uid != SUPERUSER_ID:
            if 'session_id' in vals:
                raise UserError(_(
                    'A candidate cannot move to another session: add them '
                    'to that session instead.'))
            if IDENTITY_FIELDS.intersection(vals):
                self.mapped('session_id')._check_entity_can_edit()
            if 'result' in vals:
                self.mapped('session_id')._check_trainer_can_act()
        return super(TrainingCertificationCandidate, self).write(
            self._normalise(vals))

    @api.multi
    def unlink(self):
        if self.env.uid != SUPERUSER_ID:
            self.mapped('session_id')._check_entity_can_edit()
        return super(TrainingCertificationCandidate, self).unlink()

    @api.multi
    def name_get(self):
        return [(candidate.id, '%s %s' % (candidate.lastname,
                                          candidate.firstname))
                for candidate in self]

    @api.multi
    def _check_results_recorded(self):
        missing = self.filtered(lambda candidate: not candidate.result)
        if missing:
            raise UserError(_(
                'Record whether each candidate passed or failed first: %s.'
            ) % ', '.join(missing.mapped('display_name')))
