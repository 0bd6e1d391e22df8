# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..models.res_partner import CONTACT_FIELDS


class TrainingContactWizard(models.TransientModel):
    """A tutor completes the contact details of a trainee of their sessions
    (manual 004, 8: "il peut ajouter les éléments manquants, surtout
    l'EMAIL"), with the back office's checks. Tutors do not edit contacts
    otherwise."""
    _name = 'training.contact.wizard'
    _description = 'Complete contact details'

    partner_id = fields.Many2one('res.partner', string='Trainee',
                                 required=True, readonly=True,
                                 ondelete='cascade')
    email = fields.Char(string='E-mail')
    phone = fields.Char()
    mobile = fields.Char(string='Mobile phone')

    @api.model
    def create(self, vals):
        # a transient model has no access rights in Odoo 11, and its
        # many2one's name is read as superuser: the tutors of the trainee
        # and training users only (its default taken)
        wizard = super(TrainingContactWizard, self).create(vals)
        wizard.partner_id._check_contact_completer()
        return wizard

    @api.model
    def default_get(self, fields_list):
        values = super(TrainingContactWizard, self).default_get(fields_list)
        partner = self.env['res.partner'].browse(
            values.get('partner_id') or self.env.context.get('active_id'))
        if partner:
            values['partner_id'] = partner.id
            for name in CONTACT_FIELDS:
                values.setdefault(name, partner[name])
        return values

    @api.multi
    def action_save(self):
        self.ensure_one()
        self.partner_id.tutor_update_contact(
            {name: self[name] for name in CONTACT_FIELDS})
        return {'type': 'ir.actions.act_window_close'}
