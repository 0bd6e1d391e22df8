# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class TrainingDocumentFolder(models.Model):
    """A folder of documents that training users put at the tutors'
    disposal ("Documents stagiaires", manual 004): tutors download them and
    send them to the trainees of their sessions.

    Its documents are attachments of the folder (res_model and res_id), so
    that reading one requires reading its folder: tutors can, trainers and
    trainees cannot. The many2many is what the upload widget of the form
    needs; ``create`` and ``write`` attach the uploaded files to the folder,
    and a document removed from the folder is deleted."""
    _name = 'training.document.folder'
    _description = 'Trainee document folder'
    _parent_name = 'parent_id'
    _rec_name = 'complete_name'
    _order = 'complete_name'

    name = fields.Char(required=True)
    complete_name = fields.Char(
        string='Full name',
        compute='_compute_complete_name',
        store=True,
    )
    parent_id = fields.Many2one(
        'training.document.folder',
        string='Parent folder',
        index=True,
        ondelete='restrict',
    )
    description = fields.Text()
    attachment_ids = fields.Many2many(
        'ir.attachment',
        'training_document_folder_attachment_rel',
        'folder_id',
        'attachment_id',
        string='Documents',
    )
    document_count = fields.Integer(
        string='Number of documents',
        compute='_compute_document_count',
    )

    @api.depends('name', 'parent_id.complete_name')
    def _compute_complete_name(self):
        for folder in self:
            if folder.parent_id:
                folder.complete_name = '%s / %s' % (
                    folder.parent_id.complete_name, folder.name)
            else:
                folder.complete_name = folder.name

    @api.depends('attachment_ids')
    def _compute_document_count(self):
        for folder in self:
            folder.document_count = len(folder.attachment_ids)

    @api.constrains('parent_id')
    def _check_parent_id(self):
        if not self._check_recursion():
            raise ValidationError(_('A folder cannot be inside itself.'))

    @api.model
    def create(self, vals):
        folder = super(TrainingDocumentFolder, self).create(vals)
        folder._attach_documents()
        return folder

    @api.multi
    def write(self, vals):
        before = self.mapped('attachment_ids') \
            if 'attachment_ids' in vals else None
        result = super(TrainingDocumentFolder, self).write(vals)
        if before is not None:
            self._attach_documents()
            (before - self.mapped('attachment_ids')).filtered(
                lambda doc: doc.res_model == self._name and
                doc.res_id in self.ids).unlink()
        return result

    @api.multi
    def unlink(self):
        self.mapped('attachment_ids').filtered(
            lambda doc: doc.res_model == self._name and
            doc.res_id in self.ids).unlink()
        return super(TrainingDocumentFolder, self).unlink()

    @api.multi
    def _attach_documents(self):
        """Attach the folder's new documents to it: the upload widget
        creates them with no record (res_id 0); a document of another
        record stays that record's."""
        for folder in self:
            documents = folder.attachment_ids.filtered(
                lambda doc: not doc.res_id)
            if documents:
                documents.write({'res_model': folder._name,
                                 'res_id': folder.id})
