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
    training_legal_representative = fields.Char(
        string='Legal representative',
        help='Who signs the certificates of completion (certificat de '
             'réalisation) for the organisation, e.g. "Claire Martin, '
             'gérante".',
    )
    lheo_feed_folder = fields.Char(
        string='LHEO feed folder',
        help='Folder of the server where the scheduled action writes the '
             'regional catalogue feed (offre-formation-lheo.xml) every '
             'night. Empty: no file is written.',
    )
    lheo_feed_date = fields.Datetime(string='Last feed run', readonly=True)
    lheo_feed_status = fields.Text(string='Last feed result', readonly=True)
