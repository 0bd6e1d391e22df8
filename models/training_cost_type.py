# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class TrainingCostType(models.Model):
    """A kind of training cost: trainer fees, room hire, catering,
    travel..."""
    _name = 'training.cost.type'
    _description = 'Training cost type'
    _order = 'sequence, name'

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
