# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    training_legal_representative = fields.Char(
        related='company_id.training_legal_representative',
        string='Legal representative',
    )
    training_hours_per_day = fields.Float(
        related='company_id.training_hours_per_day',
        string='Training hours per day',
    )
    lheo_feed_folder = fields.Char(
        related='company_id.lheo_feed_folder',
        string='LHEO feed folder',
    )
    lheo_feed_date = fields.Datetime(
        related='company_id.lheo_feed_date',
        string='Last feed run',
        readonly=True,
    )
    lheo_feed_status = fields.Text(
        related='company_id.lheo_feed_status',
        string='Last feed result',
        readonly=True,
    )
