# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = 'res.company'

    training_hours_per_day = fields.Float(
        string='Training hours per day',
        default=7.0,
        help='Number of hours that make one training day: used to express '
             'slot durations in days.',
    )
