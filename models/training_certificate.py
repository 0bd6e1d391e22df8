# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io

from PyPDF2 import PdfFileReader, PdfFileWriter

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf

from .training_certification_session import (
    DELEGATE_GROUP, TRAINING_KINDS, download_action)

REPORT = 'training_session.action_report_certificate'


def split_pages(pdf):
    """One PDF file per page of ``pdf`` (bytes)."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    files = []
    for index in range(reader.getNumPages()):
        writer = PdfFileWriter()
        writer.addPage(reader.getPage(index))
        stream = io.BytesIO()
        writer.write(stream)
        files.append(stream.getvalue())
    return files


class TrainingCertificate(models.Model):
    """A certificate issued to a candidate who passed a certification
    session (manual 003): numbered, printed once as a PDF when the entity
    generates the certificates, downloadable for 15 days, never issued
    twice."""
    _name = 'training.certificate'
    _inherit = 'training.download.window.mixin'
    _description = 'Certificate'
    _download_fields = ('pdf_file',)
    _order = 'session_id, name'

    name = fields.Char(string='Number', required=True, readonly=True,
                       copy=False, index=True)
    session_id = fields.Many2one(
        'training.certification.session', string='Certification session',
        required=True, readonly=True, index=True, ondelete='cascade')
    candidate_id = fields.Many2one(
        'training.certification.candidate', string='Candidate',
        required=True, readonly=True, index=True, ondelete='cascade')
    lastname = fields.Char(related='candidate_id.lastname', readonly=True)
    firstname = fields.Char(related='candidate_id.firstname',
                            readonly=True)
    birthdate = fields.Date(related='candidate_id.birthdate', readonly=True)
    entity_id = fields.Many2one(related='session_id.entity_id',
                                readonly=True)
    scheme_id = fields.Many2one(
        'training.certification.scheme', string='Scheme and level',
        required=True, readonly=True, ondelete='restrict')
    certificate_type_id = fields.Many2one(
        'training.certificate.type', string='Certificate',
        required=True, readonly=True, ondelete='restrict')
    training_kind = fields.Selection(TRAINING_KINDS,
                                     string='Identification', readonly=True)
    place_zip = fields.Char(related='session_id.place_zip', readonly=True)
    place_city = fields.Char(related='session_id.place_city',
                             readonly=True)
    trainer_id = fields.Many2one('res.partner', string='Trainer',
                                 readonly=True, ondelete='restrict')
    date_start = fields.Date(
        string='Valid from', required=True, readonly=True,
        help='The end date of the certification session.')
    date_end = fields.Date(
        string='Valid until', readonly=True,
        help='Last day of validity, when the scheme defines a validity.')
    generated_on = fields.Datetime(string='Generated on', required=True,
                                   readonly=True)
    download_until = fields.Datetime(related='session_id.download_until',
                                     readonly=True)
    pdf_file = fields.Binary(string='PDF', attachment=True, readonly=True,
                             groups=DELEGATE_GROUP)
    pdf_filename = fields.Char(string='File name', readonly=True)

    _sql_constraints = [
        ('candidate_unique', 'UNIQUE (candidate_id)',
         'No duplicate is issued: this candidate already has a '
         'certificate.'),
        ('name_unique', 'UNIQUE (name)',
         'The certificate number must be unique.'),
    ]

    @api.model
    def portal_my_certificates(self):
        """The certificates of the user, as the candidate of a linked
        training session, while their session's download window is open
        (manual 003: 15 days, then purged); as sudo, for the portal
        (trainees read no certificate otherwise)."""
        return self.sudo().search([
            ('candidate_id.partner_id', '=', self.env.user.partner_id.id),
            ('session_id.state', '=', 'generated'),
            ('session_id.download_until', '>=', fields.Datetime.to_string(
                self.env['training.certification.session']._now())),
        ], order='generated_on desc, name')

    @api.multi
    def certificate_texts(self):
        """(to whom it is awarded, its validity): whole sentences in the
        entity's language, dates as DD/MM/YYYY."""
        self.ensure_one()
        self = self.with_context(lang=self.entity_id.lang or self.env.lang)
        start, end, birthdate = (
            fields.Date.from_string(value).strftime('%d/%m/%Y')
            if value else False
            for value in (self.date_start, self.date_end, self.birthdate))
        award = _('Awarded to %(lastname)s %(firstname)s, born on '
                  '%(birthdate)s') % {
            'lastname': self.lastname, 'firstname': self.firstname,
            'birthdate': birthdate}
        if end:
            return award, _('Valid from %(start)s to %(end)s') % {
                'start': start, 'end': end}
        return award, _('Valid from %s') % start

    @api.multi
    def _render_pdfs(self):
        """(one PDF of all the certificates, [one PDF per certificate]),
        with one run of wkhtmltopdf: each certificate is one page; should
        one ever take more, each is printed on its own instead."""
        report = self.env.ref(REPORT).sudo()
        whole = report.render_qweb_pdf(self.ids)[0]
        if not whole.startswith(b'%PDF'):
            raise UserError(_('The certificates could not be printed as '
                              'PDF: check that wkhtmltopdf is installed.'))
        files = split_pages(whole)
        if len(files) != len(self):
            files = [report.render_qweb_pdf(certificate.ids)[0]
                     for certificate in self]
            whole = merge_pdf(files)
        return whole, files

    @api.multi
    def _store_pdfs(self):
        """Print the certificates and keep each one's PDF; return the
        PDF of all of them."""
        whole, files = self._render_pdfs()
        for certificate, pdf in zip(self, files):
            certificate.write({
                'pdf_file': base64.b64encode(pdf),
                'pdf_filename': _(
                    'Certificate %(number)s - %(lastname)s %(firstname)s.pdf'
                ) % {'number': certificate.name,
                     'lastname': certificate.lastname,
                     'firstname': certificate.firstname}})
        return whole

    @api.multi
    def _download_sessions(self):
        return self.mapped('session_id')

    @api.multi
    def action_download(self):
        self.ensure_one()
        self.session_id._check_download()
        return download_action(self, 'pdf_file', 'pdf_filename')
