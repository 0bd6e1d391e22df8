# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class TrainingSessionImportLine(models.TransientModel):
    """One line of a partner sessions file, as shown in the preview."""
    _name = 'training.session.import.line'
    _description = 'Partner session import line'
    _order = 'line_number'

    wizard_id = fields.Many2one('training.session.import.wizard',
                                required=True, ondelete='cascade')
    line_number = fields.Integer(string='Line')
    external_ref = fields.Char(string='External reference')
    name = fields.Char(string='Label')
    status = fields.Selection(
        [('valid', 'To import'), ('existing', 'Already imported'),
         ('error', 'Rejected'), ('imported', 'Imported')])
    message = fields.Text(string='Errors')
    values_repr = fields.Text()
