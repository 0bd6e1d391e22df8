# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessError, UserError


class TrainingDownloadWindowMixin(models.AbstractModel):
    """Binary fields downloadable by the certification entity within the
    window only (manual 003: 15 days after the generation).

    Odoo 11 reads an ``attachment=True`` binary as superuser, so the checks
    of ``ir.attachment`` never run when the field is read through its
    record (``read``, ``search_read``, ``export_data``, prefetching): the
    values are emptied here, where every one of those paths fills the
    cache, for the records the user may not download."""
    _name = 'training.download.window.mixin'
    _description = 'Files downloadable within a window'

    # the binary fields under the window
    _download_fields = ()

    @api.multi
    def _download_sessions(self):
        """The certification sessions whose window rules these records."""
        raise NotImplementedError

    @api.multi
    def _read_from_database(self, field_names, inherited_field_names=None):
        super(TrainingDownloadWindowMixin, self)._read_from_database(
            field_names, inherited_field_names or [])
        names = [name for name in self._download_fields
                 if name in field_names]
        if names and self.env.uid != SUPERUSER_ID:
            for record in self._closed_downloads():
                for name in names:
                    record._cache[name] = False

    @api.multi
    def _check_download_window(self):
        """An AccessError (a 403 over HTTP, not a 500) when the user may
        not download the files of these records now."""
        try:
            self._download_sessions()._check_download()
        except UserError as error:
            raise AccessError(error.name)

    @api.multi
    def _closed_downloads(self):
        """Those of these records the user may not download now."""
        closed = self.browse()
        for record in self.exists():
            try:
                record._check_download_window()
            except AccessError:
                closed |= record
        return closed
