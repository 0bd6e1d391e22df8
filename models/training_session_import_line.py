# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .private_context import IMPORT_KEY, has_private


class TrainingSessionImportLine(models.Model):
    """One session of an imported file, as previewed and then imported:
    its status, its errors, and its parsed values (JSON) that the import
    creates the session from."""
    _name = 'training.session.import.line'
    _description = 'Partner session import line'
    _order = 'import_id, line_number, id'

    import_id = fields.Many2one('training.session.import', string='Import',
                                required=True, ondelete='cascade',
                                index=True, readonly=True)
    line_number = fields.Integer(string='Line', readonly=True)
    external_ref = fields.Char(string='External reference', readonly=True)
    name = fields.Char(string='Label', readonly=True)
    status = fields.Selection(
        [('valid', 'To import'), ('existing', 'Already imported'),
         ('error', 'Rejected'), ('imported', 'Imported')], readonly=True,
        index=True)
    message = fields.Text(string='Errors', readonly=True)
    values_json = fields.Text(string='Parsed values', readonly=True)

    @api.model
    def create(self, vals):
        self._check_by_import()
        return super(TrainingSessionImportLine, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_by_import()
        return super(TrainingSessionImportLine, self).write(vals)

    @api.multi
    def unlink(self):
        self._check_by_import()
        return super(TrainingSessionImportLine, self).unlink()

    @api.model
    def _check_by_import(self):
        """Written by the preview and the import only: a client never
        turns a rejected line into one to import."""
        if not has_private(self, IMPORT_KEY):
            raise UserError(_('The lines of an import are written by its '
                              'preview and its import only.'))
