# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class TrainingValidityMixin(models.AbstractModel):
    """A right held on a certification scheme for a period: an entity's
    habilitation or a trainer's qualification. ``date_to`` empty: no end."""
    _name = 'training.validity.mixin'
    _description = 'Validity period on a certification scheme'

    scheme_id = fields.Many2one(
        'training.certification.scheme',
        string='Certification scheme',
        required=True,
        ondelete='restrict',
        index=True,
    )
    date_from = fields.Date(string='Valid from', required=True)
    date_to = fields.Date(
        string='Valid to',
        help='Last day of validity; empty when it has no end.',
    )
    active = fields.Boolean(default=True)

    @api.constrains('date_from', 'date_to')
    def _check_validity_dates(self):
        for record in self:
            if record.date_to and record.date_to < record.date_from:
                raise ValidationError(_(
                    'The end of validity cannot be before its start.'))

    @api.model
    def _valid_on_domain(self, day):
        """Domain of the records valid on ``day`` (a date string)."""
        return [('date_from', '<=', day),
                '|', ('date_to', '=', False), ('date_to', '>=', day)]

    @api.multi
    def is_valid_on(self, day):
        """Whether this record is valid on ``day`` (a date string)."""
        self.ensure_one()
        return self.date_from <= day and (not self.date_to
                                          or self.date_to >= day)
