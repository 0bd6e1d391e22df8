# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .private_context import by_workflow


class TrainingChangeRequestLine(models.Model):
    """A line of the summary of a decided change request ("récapitulatif",
    manual 002): what a field was and what the request made it, as it read
    when the request was validated or refused. Once the request is
    applied, the session reads as its "after": the comparison is kept
    here, never computed again."""
    _name = 'training.change.request.line'
    _description = 'Change request summary line'
    _order = 'request_id, sequence, id'

    request_id = fields.Many2one('training.change.request',
                                 string='Change request', required=True,
                                 index=True, ondelete='cascade',
                                 readonly=True)
    sequence = fields.Integer(readonly=True)
    name = fields.Char(string='Field', required=True, readonly=True)
    value_before = fields.Text(string='Value before', readonly=True)
    value_after = fields.Text(string='Value after', readonly=True)

    @api.model
    def create(self, vals):
        self._check_by_workflow()
        return super(TrainingChangeRequestLine, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_by_workflow()
        return super(TrainingChangeRequestLine, self).write(vals)

    @api.multi
    def unlink(self):
        self._check_by_workflow()
        return super(TrainingChangeRequestLine, self).unlink()

    @api.model
    def _check_by_workflow(self):
        """Written by the validation and the refusal only: what a decided
        request shows is what was decided."""
        if not by_workflow(self):
            raise UserError(_('The summary of a change request is recorded '
                              'by its validation or its refusal only.'))
