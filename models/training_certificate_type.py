# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class TrainingCertificateType(models.Model):
    """A certificate a certification scheme issues, e.g. "SST-1" or
    "Amiante s/s4-1 Opérateur de chantier" (manual 003)."""
    _name = 'training.certificate.type'
    _description = 'Certificate type'
    _order = 'scheme_id, name'

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    scheme_id = fields.Many2one(
        'training.certification.scheme',
        string='Certification scheme',
        required=True,
        ondelete='restrict',
        index=True,
    )
    active = fields.Boolean(default=True)

    @api.multi
    def name_get(self):
        return [(ctype.id, '[%s] %s' % (ctype.code, ctype.name)
                 if ctype.code else ctype.name) for ctype in self]
