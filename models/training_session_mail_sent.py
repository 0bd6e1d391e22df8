# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class TrainingSessionMailSent(models.Model):
    """One recipient of one estimated send: the key that makes a mail go
    once per person and occurrence, the record the templates render, and the
    log of the attempt."""
    _name = 'training.session.mail.sent'
    _description = 'Session mail recipient'
    _order = 'id'

    schedule_id = fields.Many2one('training.session.mail.schedule',
                                  required=True, ondelete='cascade',
                                  index=True)
    partner_id = fields.Many2one('res.partner', string='Recipient',
                                 required=True, ondelete='cascade')
    session_id = fields.Many2one(related='schedule_id.session_id',
                                 readonly=True)
    sequence_id = fields.Many2one(related='schedule_id.sequence_id',
                                  readonly=True)
    state = fields.Selection(
        [('todo', 'To send'), ('sent', 'Sent'), ('failed', 'Failed')],
        default='todo', required=True)
    attempts = fields.Integer(default=0)
    error = fields.Text()
    sent_date = fields.Datetime(string='Sent on')

    _sql_constraints = [
        ('schedule_partner_unique', 'UNIQUE (schedule_id, partner_id)',
         'A mail goes once per person and occurrence.'),
    ]
