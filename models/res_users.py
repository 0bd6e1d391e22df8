# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = 'res.users'

    certification_entity_id = fields.Many2one(
        'res.partner',
        string='Certification entity',
        domain=[('is_company', '=', True)],
        help='The entity (an organisation) whose certification sessions '
             'this user declares (Delegate) or manages (Manager).',
    )

    @api.multi
    def write(self, vals):
        result = super(ResUsers, self).write(vals)
        if 'certification_entity_id' in vals:
            # record rules read the entity and are cached per user
            self.env['ir.rule'].clear_caches()
        return result
