# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class TrainingPopulation(models.Model):
    """A set of users. A session with populations is visible only to the
    users of one of them (see the record rules)."""
    _name = 'training.population'
    _description = 'Training population'
    _order = 'name'

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    user_ids = fields.Many2many(
        'res.users',
        'training_population_user_rel',
        'population_id',
        'user_id',
        string='Users',
    )
    active = fields.Boolean(default=True)
