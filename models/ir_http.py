# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, models
from odoo.exceptions import AccessError
from odoo.http import request

from .ir_attachment import CERTIFICATE_MODELS


class IrHttp(models.AbstractModel):
    """``/web/content`` and ``/web/image`` read a binary field through its
    record, then the file as superuser: for the certificates, the download
    rules (the entity, within the 15 days) apply there too, not only until
    the hourly purge."""
    _inherit = 'ir.http'

    @classmethod
    def binary_content(cls, xmlid=None, model='ir.attachment', id=None,
                       field='datas', **kwargs):
        env = kwargs.get('env') or request.env
        if model in CERTIFICATE_MODELS and id and env.uid != SUPERUSER_ID:
            records = env[model].browse(int(id)).exists()
            try:
                records._check_download_window()
            except AccessError:
                return (403, [], None)
        return super(IrHttp, cls).binary_content(
            xmlid=xmlid, model=model, id=id, field=field, **kwargs)
