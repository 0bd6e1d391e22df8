# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class TrainingSessionMailSchedule(models.Model):
    """One estimated send of a session mail: for the session, or for one of
    its sequences. Red when past and not sent, green when upcoming."""
    _name = 'training.session.mail.schedule'
    _description = 'Estimated send of a session mail'
    _order = 'scheduled_date, id'

    mail_id = fields.Many2one('training.session.mail', required=True,
                              ondelete='cascade', index=True)
    session_id = fields.Many2one(related='mail_id.session_id', store=True,
                                 readonly=True, index=True)
    kind = fields.Selection(related='mail_id.kind', readonly=True)
    sequence_id = fields.Many2one('training.sequence', string='Sequence',
                                  ondelete='cascade')
    reference_date = fields.Datetime(
        readonly=True,
        help='The session or sequence date the send was computed from: '
             'when it moves, the send is due again.')
    scheduled_date = fields.Datetime(string='Estimated send', readonly=True)
    sent_date = fields.Datetime(string='Sent on', readonly=True)
    state = fields.Selection(
        [('planned', 'Planned'), ('late', 'Late'), ('sent', 'Sent')],
        compute='_compute_state')

    @api.depends('scheduled_date', 'sent_date')
    def _compute_state(self):
        now = fields.Datetime.now()
        for line in self:
            if line.sent_date:
                line.state = 'sent'
            elif line.scheduled_date and line.scheduled_date < now:
                line.state = 'late'
            else:
                line.state = 'planned'
