# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class TrainingScheme(models.Model):
    """A scheme ("dispositif"): the public or internal programme a training
    belongs to or is funded by (CPF, plan de développement, PRF...)."""
    _name = 'training.scheme'
    _description = 'Training scheme'
    _order = 'name'

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ('code_unique', 'UNIQUE (code)',
         'The code of a training scheme must be unique.'),
    ]
