# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError

# records whose files are certificates: downloaded by the entity within the
# window, written by the workflow only
CERTIFICATE_MODELS = {
    'training.certification.session': lambda records: records,
    'training.certificate': lambda records: records.mapped('session_id'),
}


class IrAttachment(models.Model):
    """Odoo 11 checks an attachment against its record only, not against
    the field it stores: the certificates' PDFs get the rules of their
    download instead (manual 003)."""
    _inherit = 'ir.attachment'

    @api.model
    def check(self, mode, values=None):
        super(IrAttachment, self).check(mode, values=values)
        if self.env.uid != SUPERUSER_ID and self:
            self._check_certificate_files(mode)

    @api.multi
    def _check_certificate_files(self, mode):
        self.env.cr.execute(
            'SELECT res_model, res_id FROM ir_attachment '
            'WHERE id IN %s AND res_field IS NOT NULL '
            'AND res_model IN %s',
            (tuple(self.ids), tuple(CERTIFICATE_MODELS)))
        files = self.env.cr.fetchall()
        if not files:
            return
        if mode != 'read':
            raise AccessError(_('Certificates are written by their '
                                'certification session only.'))
        for model, sessions_of in CERTIFICATE_MODELS.items():
            ids = [res_id for res_model, res_id in files if res_model == model]
            if ids:
                sessions_of(self.env[model].browse(ids))._check_download()
