# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class TrainingCertificationScheme(models.Model):
    """A certification a course leads to, with its level (e.g. SST level 1):
    the scheme of certification sessions, of the entities' habilitations
    and of the trainers' qualifications (manual 003)."""
    _name = 'training.certification.scheme'
    _description = 'Certification scheme'
    _order = 'name, level'

    name = fields.Char(required=True, translate=True)
    level = fields.Char()
    code = fields.Char()
    requires_teaching_platform = fields.Boolean(
        help='Sessions of this scheme must take place on one of the '
             "entity's declared teaching platforms.",
    )
    validity_months = fields.Integer(
        string='Validity (months)',
        help='How long a certificate of this scheme stays valid; 0 means '
             'no end of validity.',
    )
    certificate_type_ids = fields.One2many(
        'training.certificate.type',
        'scheme_id',
        string='Certificate types',
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ('validity_months_positive', 'CHECK (validity_months >= 0)',
         'The validity of a certificate cannot be negative.'),
    ]

    @api.multi
    def name_get(self):
        return [
            (scheme.id, '%s - %s' % (scheme.name, scheme.level)
             if scheme.level else scheme.name)
            for scheme in self
        ]
