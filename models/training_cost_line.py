# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class TrainingCostLine(models.Model):
    """A cost of a session: its type, amount (proposed from the course),
    distribution flat or per trainee, supplier and supporting documents
    (manual 001)."""
    _name = 'training.cost.line'
    _description = 'Training cost'
    _order = 'session_id, id'

    session_id = fields.Many2one('training.session', string='Session',
                                 required=True, ondelete='cascade',
                                 index=True)
    cost_type_id = fields.Many2one('training.cost.type', string='Cost type',
                                   required=True)
    amount = fields.Monetary(
        help='Flat amount, or amount per trainee.')
    distribution = fields.Selection(
        [('flat', 'Flat'), ('per_trainee', 'Per trainee')],
        default='flat', required=True)
    quantity = fields.Integer(
        default=1,
        help='Number of trainees, for a cost per trainee.')
    total = fields.Monetary(compute='_compute_total', store=True)
    supplier_id = fields.Many2one('res.partner', string='Supplier')
    document_type = fields.Selection(
        [('quote', 'Quote'), ('order', 'Purchase order'),
         ('invoice', 'Invoice'), ('agreement', 'Training agreement'),
         ('other', 'Other')],
        string='Document type')
    attachment_ids = fields.Many2many(
        'ir.attachment', 'training_cost_line_attachment_rel',
        'cost_line_id', 'attachment_id', string='Documents')
    currency_id = fields.Many2one(
        related='session_id.company_id.currency_id', readonly=True)

    _sql_constraints = [
        ('amount_positive', 'CHECK (amount >= 0 AND quantity >= 0)',
         'Costs and quantities cannot be negative.'),
    ]

    @api.depends('amount', 'distribution', 'quantity')
    def _compute_total(self):
        for line in self:
            line.total = line.amount * (
                line.quantity if line.distribution == 'per_trainee' else 1)

    @api.constrains('distribution', 'quantity')
    def _check_quantity(self):
        for line in self:
            if line.distribution == 'per_trainee' and line.quantity < 1:
                raise ValidationError(_(
                    'A cost per trainee needs a quantity (number of '
                    'trainees).'))

    @api.onchange('cost_type_id')
    def _onchange_cost_type_id(self):
        amount = self._course_amount(self.session_id.course_id,
                                     self.cost_type_id)
        if amount is not None:
            self.amount = amount

    @api.model
    def _course_amount(self, course, cost_type):
        """The course's default amount for ``cost_type``, None if none."""
        default = course.default_cost_ids.filtered(
            lambda cost: cost.cost_type_id == cost_type)
        return default[0].amount if default else None

    @api.model
    def create(self, vals):
        if 'amount' not in vals and vals.get('session_id') and \
                vals.get('cost_type_id'):
            amount = self._course_amount(
                self.env['training.session'].browse(
                    vals['session_id']).course_id,
                self.env['training.cost.type'].browse(vals['cost_type_id']))
            if amount is not None:
                vals = dict(vals, amount=amount)
        return super(TrainingCostLine, self).create(vals)
