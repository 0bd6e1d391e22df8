# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class TrainingCourseCost(models.Model):
    """The default amount of a cost type for the sessions of a course,
    proposed on their cost lines (manual 001)."""
    _name = 'training.course.cost'
    _description = 'Default cost of a course'

    course_id = fields.Many2one('training.course', required=True,
                                ondelete='cascade', index=True)
    cost_type_id = fields.Many2one('training.cost.type', string='Cost type',
                                   required=True)
    amount = fields.Monetary(required=True)
    currency_id = fields.Many2one(
        related='course_id.company_id.currency_id', readonly=True)

    _sql_constraints = [
        ('course_type_unique', 'UNIQUE (course_id, cost_type_id)',
         'A course has one default amount per cost type.'),
    ]
