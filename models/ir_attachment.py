# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError

from .training_registration import TRAINING_USER_GROUP

# documents of one trainee (the convocation): theirs only, outside the
# back office (trainers and tutors read the registrations of their sessions)
TRAINEE_FILE_MODELS = ('training.registration',)
# the sessions' own files: for the back office; the portal pages give
# portal users what is theirs
SESSION_FILE_MODELS = ('training.session', 'training.sequence',
                       'training.slot')
TRAINING_FILE_MODELS = TRAINEE_FILE_MODELS + SESSION_FILE_MODELS
# records whose files are certificates (training.download.window.mixin):
# downloaded by the entity within the window, written by the workflow only
CERTIFICATE_MODELS = ('training.certification.session',
                      'training.certificate')


class IrAttachment(models.Model):
    """Odoo 11 checks an attachment against its record only, not against
    the field it stores nor whose document it is: the certificates' PDFs
    get the rules of their download instead (manual 003), and a trainee's
    documents are theirs only (issue 7)."""
    _inherit = 'ir.attachment'

    @api.model
    def check(self, mode, values=None):
        super(IrAttachment, self).check(mode, values=values)
        if self.env.uid == SUPERUSER_ID:
            return
        if self:
            self._check_certificate_files(mode)
        self._check_training_files(values)

    @api.model
    def _check_training_files(self, values=None):
        """Outside the back office: a registration's documents for its
        trainee only, the sessions' files for no portal user."""
        if not self._outside_back_office():
            return
        rows = self._training_file_rows(self.ids)
        if values and values.get('res_model') in TRAINING_FILE_MODELS:
            rows.append((None, values['res_model'], values.get('res_id')))
        refused = self._refused_training_files(rows)
        if refused:
            raise AccessError(refused.pop()[1])

    @api.model
    def _outside_back_office(self):
        """Whether the training files' rules apply to the user."""
        return self.env.uid != SUPERUSER_ID and \
            not self.env.user.has_group(TRAINING_USER_GROUP)

    @api.model
    def _training_file_rows(self, ids):
        """[(id, res_model, res_id)] of the attachments ``ids`` that are
        files of training records (not their binary fields)."""
        if not ids:
            return []
        self.env.cr.execute(
            'SELECT id, res_model, res_id FROM ir_attachment '
            'WHERE id IN %s AND res_field IS NULL AND res_model IN %s',
            (tuple(ids), TRAINING_FILE_MODELS))
        return self.env.cr.fetchall()

    @api.model
    def _refused_training_files(self, rows):
        """{(attachment id, why)} of ``rows`` [(id, res_model, res_id)]
        that the user, outside the back office, may not touch."""
        if not rows:
            return set()
        partner = self.env.user.partner_id
        registrations = self.env['training.registration'].sudo().browse(
            {res_id for _id, model, res_id in rows
             if model in TRAINEE_FILE_MODELS and res_id}).exists()
        others = set(registrations.filtered(
            lambda reg: reg.partner_id != partner).ids)
        refused = set()
        for att_id, model, res_id in rows:
            if model in TRAINEE_FILE_MODELS and res_id in others:
                refused.add((att_id, _('These documents are another '
                                       'trainee\'s.')))
            elif model in SESSION_FILE_MODELS and self.env.user.share:
                refused.add((att_id, _('The documents of a session are '
                                       'given on your portal pages.')))
        return refused

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False,
                access_rights_uid=None):
        """Without the files refused by ``_refused_training_files``, as
        Odoo leaves out those of records the user may not read."""
        ids = super(IrAttachment, self)._search(
            args, offset=offset, limit=limit, order=order, count=False,
            access_rights_uid=access_rights_uid)
        if ids and self._outside_back_office():
            refused = {att_id for att_id, why in self._refused_training_files(
                self._training_file_rows(ids))}
            ids = [att_id for att_id in ids if att_id not in refused]
        return len(ids) if count else ids

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
        for model in CERTIFICATE_MODELS:
            ids = [res_id for res_model, res_id in files if res_model == model]
            if ids:
                self.env[model].browse(ids)._check_download_window()
