# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class TrainingActionComponentVolume(models.Model):
    """Volumes of a component for one unit: centre hours, company hours or
    flat fees, with the headcount and the average, minimum, maximum and
    total volume per trainee (manual 002)."""
    _name = 'training.action.component.volume'
    _description = 'Component volume'
    _order = 'component_id, unit'

    component_id = fields.Many2one('training.action.component',
                                   required=True, index=True,
                                   ondelete='cascade')
    name = fields.Char(string='Label', required=True)
    unit = fields.Selection(
        [('centre_hours', 'Trainee hours in the centre (hc)'),
         ('company_hours', 'Trainee hours in a company (he)'),
         ('flat_fee', 'Flat fee (fp)')],
        required=True, default='centre_hours')
    headcount = fields.Integer()
    volume_average = fields.Float(string='Average volume')
    volume_min = fields.Float(string='Minimum volume')
    volume_max = fields.Float(string='Maximum volume')
    volume_total = fields.Float(string='Total volume')

    @api.onchange('headcount', 'volume_average')
    def _onchange_total(self):
        if self.headcount and self.volume_average:
            self.volume_total = self.headcount * self.volume_average

    @api.constrains('volume_min', 'volume_average', 'volume_max')
    def _check_volumes(self):
        for volume in self:
            low, mid, high = (volume.volume_min, volume.volume_average,
                              volume.volume_max)
            if (low and mid and low > mid) or (mid and high and mid > high):
                raise ValidationError(_(
                    '%s: the volumes must satisfy minimum <= average <= '
                    'maximum.') % volume.name)
