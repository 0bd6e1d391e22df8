# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class TrainingTrainerQualification(models.Model):
    """A trainer's qualification ("qualification formateur") on a scheme
    for a period: the trainer of a certification session must hold one
    valid on its end date (manual 003)."""
    _name = 'training.trainer.qualification'
    _inherit = 'training.validity.mixin'
    _description = 'Trainer qualification'
    _order = 'trainer_id, scheme_id, date_from desc'

    trainer_id = fields.Many2one(
        'res.partner',
        string='Trainer',
        required=True,
        ondelete='cascade',
        index=True,
    )

    @api.multi
    def name_get(self):
        return [(qual.id, '%s / %s' % (qual.trainer_id.name,
                                       qual.scheme_id.display_name))
                for qual in self]
