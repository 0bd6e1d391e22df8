# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class TrainingHabilitation(models.Model):
    """An entity's habilitation ("habilitation") to certify a scheme for a
    period: certification sessions of the entity need one valid on their
    end date (manual 003)."""
    _name = 'training.habilitation'
    _inherit = 'training.validity.mixin'
    _description = 'Habilitation'
    _order = 'entity_id, scheme_id, date_from desc'

    entity_id = fields.Many2one(
        'res.partner',
        string='Entity',
        required=True,
        ondelete='cascade',
        index=True,
        domain=[('is_company', '=', True)],
    )
    reference = fields.Char()

    @api.multi
    def name_get(self):
        return [(hab.id, '%s / %s' % (hab.entity_id.name,
                                      hab.scheme_id.display_name))
                for hab in self]
