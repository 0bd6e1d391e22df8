# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.training_registration import FUNDING_STATUSES


class TrainingRegistrationWizard(models.TransientModel):
    """Register several trainees to a session at once (manual 004): seats
    in alphabetical order (a many2many keeps no order of its own), the
    others on the waiting list, attendance lines for every slot."""
    _name = 'training.registration.wizard'
    _description = 'Register trainees'

    session_id = fields.Many2one('training.session', required=True,
                                 ondelete='cascade')
    partner_ids = fields.Many2many('res.partner', string='Trainees',
                                   required=True)
    # RSA needs each trainee's CAF and CLI numbers: set on the registration
    funding_status = fields.Selection(
        [status for status in FUNDING_STATUSES if status[0] != 'rsa'],
        string='Funding status')

    @api.multi
    def action_register(self):
        self.ensure_one()
        already = self.session_id.registration_ids.mapped('partner_id')
        partners = self.partner_ids - already
        if not partners:
            raise UserError(_('These trainees are already registered to '
                              'this session.'))
        registrations = self.session_id.register_partners(
            partners, state='confirmed', funding_status=self.funding_status)
        action = self.env.ref(
            'training_session.training_registration_action_session').read()[0]
        action['domain'] = [('id', 'in', registrations.ids)]
        return action
