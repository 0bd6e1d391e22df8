# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class TrainingRoom(models.Model):
    _name = 'training.room'
    _description = 'Training room'
    _order = 'place_id, name'

    name = fields.Char(required=True)
    place_id = fields.Many2one(
        'res.partner',
        string='Place',
        help='The building or site where the room is.',
    )
    capacity = fields.Integer()
    equipment = fields.Text(translate=True)
    company_id = fields.Many2one(
        'res.company',
        default=lambda self: self.env.user.company_id,
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ('capacity_positive', 'CHECK (capacity >= 0)',
         'The capacity of a room cannot be negative.'),
    ]
