# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

_logger = logging.getLogger(__name__)


class TrainingActionComponentVolume(models.Model):
    """Volumes of a component for one unit: centre hours, company hours or
    flat fees, with the headcount and the average, minimum, maximum and
    total volume per trainee (manual 002).

    The total of a line of hours is its headcount times its average volume,
    whoever saves the line (form, RPC, import); a line of flat fees has no
    figures but its number of flat fees, entered as its total."""
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
    flat_fee_count = fields.Float(
        string='Number of flat fees', readonly=True,
        help='The total of a line of flat fees, as entered.')
    volume_total = fields.Float(
        string='Total volume', compute='_compute_volume_total',
        inverse='_inverse_volume_total', store=True,
        help='Hours: the headcount times the average volume. Flat fees: '
             'the number of flat fees.')

    @api.depends('unit', 'headcount', 'volume_average', 'flat_fee_count')
    def _compute_volume_total(self):
        for volume in self:
            volume.volume_total = volume._expected_total()

    @api.multi
    def _inverse_volume_total(self):
        """A line of flat fees keeps the total it is given; a line of hours
        refuses a total other than its figures'."""
        for volume in self:
            if volume.unit == 'flat_fee':
                volume.flat_fee_count = volume.volume_total
            elif float_compare(volume.volume_total, volume._expected_total(),
                               precision_digits=2):
                raise ValidationError(_(
                    '%(line)s: the total of a line of hours is its headcount '
                    'times its average volume (%(expected)s), not '
                    '%(total)s.') % {
                        'line': volume.name,
                        'expected': volume._expected_total(),
                        'total': volume.volume_total})

    @api.constrains('volume_min', 'volume_average', 'volume_max')
    def _check_volumes(self):
        for volume in self:
            low, mid, high = (volume.volume_min, volume.volume_average,
                              volume.volume_max)
            if (low and mid and low > mid) or (mid and high and mid > high):
                raise ValidationError(_(
                    '%s: the volumes must satisfy minimum <= average <= '
                    'maximum.') % volume.name)

    @api.model_cr
    def init(self):
        """Bring the lines saved before the total was computed to their
        figures, at every installation and update: Odoo computes a stored
        field only when it creates its column, and this one was a plain
        field that only the form filled (lines saved by RPC or import kept
        0). Lines of flat fees keep the total they were given; a line of
        hours without its headcount or its average keeps its total and is
        logged, there are no figures to follow."""
        cr = self.env.cr
        # flat_fee_count is NULL on the lines saved before it existed only
        cr.execute("""
            UPDATE training_action_component_volume
               SET flat_fee_count = COALESCE(volume_total, 0)
             WHERE unit = %s AND flat_fee_count IS NULL
        """, ('flat_fee',))
        cr.execute("""
            UPDATE training_action_component_volume
               SET volume_total = headcount * volume_average
             WHERE unit != %s AND headcount != 0 AND volume_average != 0
               AND volume_total IS DISTINCT FROM headcount * volume_average
        """, ('flat_fee',))
        cr.execute("""
            SELECT id FROM training_action_component_volume
             WHERE unit != %s AND volume_total != 0
               AND (COALESCE(headcount, 0) = 0
                    OR COALESCE(volume_average, 0) = 0)
        """, ('flat_fee',))
        unfollowed = [row[0] for row in cr.fetchall()]
        if unfollowed:
            _logger.warning(
                'Component volumes %s: lines of hours with a total but no '
                'headcount or no average volume, kept as they are; enter '
                'their figures.', unfollowed)

    @api.multi
    def _expected_total(self):
        """The total the figures of the line give."""
        self.ensure_one()
        if self.unit == 'flat_fee':
            return self.flat_fee_count
        return self.headcount * self.volume_average
