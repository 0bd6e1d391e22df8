# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from stdnum.fr import siret as stdnum_siret

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

ACTIVITY_NUMBER_RE = re.compile(r'^\d{11}$')


class ResPartner(models.Model):
    _inherit = 'res.partner'

    # same name and size as in l10n_fr, so that both modules can be installed
    siret = fields.Char(string='SIRET', size=14)
    training_activity_number = fields.Char(
        string='Training activity number',
        size=11,
        help='Number of the declaration of activity of a training '
             'organisation ("numéro de déclaration d\'activité"), 11 digits.',
    )

    @api.constrains('siret')
    def _check_siret(self):
        for partner in self.filtered('siret'):
            if not stdnum_siret.is_valid(partner.siret):
                raise ValidationError(_(
                    '%s: the SIRET number %s is not valid (14 digits with a '
                    'valid check digit).') % (partner.name, partner.siret))

    @api.constrains('training_activity_number')
    def _check_training_activity_number(self):
        for partner in self.filtered('training_activity_number'):
            if not ACTIVITY_NUMBER_RE.match(partner.training_activity_number):
                raise ValidationError(_(
                    '%s: the training activity number must have 11 digits.'
                ) % partner.name)

    @api.model
    def _normalise_siret(self, vals):
        if vals.get('siret'):
            vals['siret'] = re.sub(r'\s', '', vals['siret'])
        return vals

    @api.model
    def create(self, vals):
        return super(ResPartner, self).create(self._normalise_siret(vals))

    @api.multi
    def write(self, vals):
        return super(ResPartner, self).write(self._normalise_siret(vals))
