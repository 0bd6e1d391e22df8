# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class TrainingFunding(models.Model):
    """A funding of a session: funder, scheme and amount (manual 001)."""
    _name = 'training.funding'
    _description = 'Training funding'
    _order = 'session_id, id'

    session_id = fields.Many2one('training.session', string='Session',
                                 required=True, ondelete='cascade',
                                 index=True)
    funder_id = fields.Many2one('res.partner', string='Funder',
                                required=True)
    scheme_id = fields.Many2one('training.scheme', string='Scheme')
    amount = fields.Monetary(required=True)
    comment = fields.Char()
    currency_id = fields.Many2one(
        related='session_id.company_id.currency_id', readonly=True)

    _sql_constraints = [
        ('amount_positive', 'CHECK (amount >= 0)',
         'A funding cannot be negative.'),
    ]
