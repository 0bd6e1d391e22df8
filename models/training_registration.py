# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# States in which a participant counts as registered (and locks the
# session's planning).
REGISTERED_STATES = ('confirmed', 'done')


class TrainingRegistration(models.Model):
    """A trainee's registration ("inscription") to a session."""
    _name = 'training.registration'
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _description = 'Training registration'
    _order = 'session_id, partner_id'

    session_id = fields.Many2one(
        'training.session',
        string='Session',
        required=True,
        index=True,
        ondelete='cascade',
        track_visibility='onchange',
    )
    partner_id = fields.Many2one(
        'res.partner',
        string='Trainee',
        required=True,
        index=True,
        ondelete='restrict',
        track_visibility='onchange',
    )
    state = fields.Selection(
        [('draft', 'Request'),
         ('confirmed', 'Enrolled'),
         ('done', 'Attended'),
         ('cancelled', 'Cancelled')],
        string='Status',
        default='draft',
        required=True,
        copy=False,
        track_visibility='onchange',
    )
    date_registered = fields.Datetime(
        string='Registration date',
        default=fields.Datetime.now,
        copy=False,
    )
    email = fields.Char(related='partner_id.email', readonly=True)
    phone = fields.Char(related='partner_id.phone', readonly=True)
    session_date_start = fields.Datetime(
        related='session_id.date_start',
        string='Session start',
        readonly=True,
    )
    company_id = fields.Many2one(
        related='session_id.company_id',
        store=True,
        readonly=True,
    )

    _sql_constraints = [
        ('session_partner_unique', 'UNIQUE (session_id, partner_id)',
         'This trainee is already registered to this session.'),
    ]

    @api.multi
    def name_get(self):
        return [(reg.id, '%s - %s' % (reg.session_id.display_name,
                                      reg.partner_id.display_name))
                for reg in self]

    @api.multi
    def action_confirm(self):
        return self.write({'state': 'confirmed'})

    @api.multi
    def action_cancel(self):
        return self.write({'state': 'cancelled'})

    @api.multi
    def action_reset(self):
        return self.write({'state': 'draft'})
