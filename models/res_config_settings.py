# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    training_hours_per_day = fields.Float(
        related='company_id.training_hours_per_day',
        string='Training hours per day',
    )
