# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class TrainingMailDefault(models.Model):
    """A default e-mail setting, of a course or (without course) of the
    company: copied to each new session (manual 001)."""
    _name = 'training.mail.default'
    _inherit = 'training.mail.setting.mixin'
    _description = 'Default e-mail setting'

    company_id = fields.Many2one(
        'res.company', required=True,
        default=lambda self: self.env.user.company_id)
    course_id = fields.Many2one('training.course', string='Course',
                                ondelete='cascade', index=True)
