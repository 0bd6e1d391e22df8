# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class TrainingActionComponent(models.Model):
    """A component ("composante") of a funded action: its dates bound the
    dates of its sessions (manual 002)."""
    _name = 'training.action.component'
    _description = 'Funded action component'
    _order = 'action_id, number'

    action_id = fields.Many2one('training.action', string='Action',
                                required=True, index=True,
                                ondelete='cascade')
    number = fields.Char(required=True)
    code = fields.Char()
    name = fields.Char(string='Label', required=True)
    date_start = fields.Date(string='Start', required=True)
    date_end = fields.Date(string='End', required=True)
    city = fields.Char()
    zip = fields.Char(string='Postal code')
    volume_ids = fields.One2many('training.action.component.volume',
                                 'component_id', string='Volumes')
    session_ids = fields.One2many('training.session', 'component_id',
                                  string='Sessions')

    _sql_constraints = [
        ('number_unique', 'UNIQUE (action_id, number)',
         'The component number must be unique within its action.'),
    ]

    @api.constrains('date_start', 'date_end')
    def _check_dates(self):
        for component in self:
            if component.date_end < component.date_start:
                raise ValidationError(_(
                    'Component %s: the end must be after the start.'
                ) % component.display_name)
        self.mapped('session_ids')._check_component_dates()

    @api.multi
    def name_get(self):
        return [(comp.id, ' - '.join(
            part for part in (comp.number, comp.code, comp.name) if part))
            for comp in self]
