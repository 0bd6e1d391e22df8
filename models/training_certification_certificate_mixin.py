# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import datetime
import logging

from dateutil.relativedelta import relativedelta
from werkzeug.urls import url_encode

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.job import job

from .background import dispatch

_logger = logging.getLogger(__name__)

DELEGATE_GROUP = \
    'training_session.group_training_session_certification_delegate'
# certificates are downloadable for 15 days, then deleted with the session
DOWNLOAD_DAYS = 15


def download_action(record, field, filename_field):
    """The action that downloads the file in ``field`` of ``record``."""
    return {
        'type': 'ir.actions.act_url',
        'target': 'self',
        'url': '/web/content?%s' % url_encode({
            'model': record._name, 'id': record.id, 'field': field,
            'filename_field': filename_field, 'download': 'true'}),
    }


class TrainingCertificationCertificateMixin(models.AbstractModel):
    """The certificates of a certification session (manual 003): their
    generation once the trainer sent the results, the file of all of them
    downloadable by the entity for 15 days, then the purge of the session.
    The model provides ``name``, ``state``, ``date_end``, ``scheme_id``,
    ``certificate_type_id``, ``training_kind``, ``trainer_id``,
    ``candidate_ids``, ``certificate_ids`` and the workflow's checks."""
    _name = 'training.certification.certificate.mixin'
    _inherit = 'training.download.window.mixin'
    _description = 'Certificates of a certification session'
    _download_fields = ('certificates_file',)

    generated_on = fields.Datetime(
        string='Certificates generated on',
        readonly=True,
        copy=False,
    )
    download_until = fields.Datetime(
        string='Downloadable until',
        readonly=True,
        copy=False,
        index=True,
        help='The certificates can be downloaded for 15 days after their '
             'generation; the session and its certificates are then '
             'deleted.',
    )
    can_download = fields.Boolean(
        compute='_compute_can_download',
        string='Certificates downloadable',
    )
    certificates_file = fields.Binary(
        string='All the certificates',
        attachment=True,
        readonly=True,
        copy=False,
        groups=DELEGATE_GROUP,
    )
    certificates_filename = fields.Char(string='File name', readonly=True,
                                        copy=False)

    @api.depends('state', 'download_until')
    def _compute_can_download(self):
        now = self._now()
        for session in self:
            session.can_download = session.state == 'generated' and \
                fields.Datetime.from_string(session.download_until) >= now

    @api.multi
    def action_generate_certificates(self):
        """Step 3 done: a numbered certificate for each candidate who
        passed, from the end date on; never twice."""
        self._check_entity_user()
        for session in self.filtered(lambda session: (
                session.state == 'generated'
                or session.sudo().certificate_ids)):
            raise UserError(_(
                'The certificates of %s were already generated: no '
                'duplicate is issued.') % session.name)
        self._check_state('entity_validation')
        today = self._today()
        for session in self.filtered(lambda session: (
                today < fields.Date.from_string(session.date_end))):
            raise UserError(_(
                'The certificates of %(session)s can be generated from its '
                'end date on, %(date_end)s.') % {
                    'session': session.name,
                    'date_end': fields.Date.from_string(
                        session.date_end).strftime('%d/%m/%Y')})
        for session in self._without_habilitation():
            raise UserError(session._entry_problem_text('no_habilitation'))
        self._check_trainer_qualified()
        for session in self.filtered(lambda session: not any(
                result == 'pass'
                for result in session.candidate_ids.mapped('result'))):
            raise UserError(_(
                'No candidate of %s passed: there is no certificate to '
                'generate.') % session.name)
        for session in self:
            session._generate_certificates()
        return True

    @api.multi
    def _generate_certificates(self):
        self.ensure_one()
        now = self._now()
        Certificate = self.env['training.certificate'].sudo()
        certificates = Certificate.browse()
        for candidate in self.candidate_ids.filtered(
                lambda candidate: candidate.result == 'pass'):
            certificates |= Certificate.create(
                self._certificate_values(candidate, now))
        whole = certificates._store_pdfs()
        self._write_workflow({
            'state': 'generated',
            'generated_on': fields.Datetime.to_string(now),
            'download_until': fields.Datetime.to_string(
                now + datetime.timedelta(days=DOWNLOAD_DAYS)),
            'certificates_file': base64.b64encode(whole),
            'certificates_filename': _('Certificates %s.pdf') % self.name,
        })

    @api.multi
    def _certificate_values(self, candidate, now):
        """Valid from the end date, and when the scheme sets a validity,
        until the day before the same date that many months later."""
        start = fields.Date.from_string(self.date_end)
        months = self.scheme_id.validity_months
        end = start + relativedelta(months=months, days=-1) if months \
            else False
        return {
            'name': self.env['ir.sequence'].sudo().next_by_code(
                'training.certificate'),
            'session_id': self.id,
            'candidate_id': candidate.id,
            'scheme_id': self.scheme_id.id,
            'certificate_type_id': self.certificate_type_id.id,
            'training_kind': self.training_kind,
            'trainer_id': self.trainer_id.id,
            'date_start': self.date_end,
            'date_end': fields.Date.to_string(end) if end else False,
            'generated_on': fields.Datetime.to_string(now),
        }

    @api.multi
    def _check_download(self):
        """The entity downloads the certificates for 15 days after their
        generation."""
        self._check_entity_user()
        now = self._now()
        for session in self:
            if session.state != 'generated':
                raise UserError(_(
                    'The certificates of %s are not generated yet.'
                ) % session.name)
            until = fields.Datetime.from_string(session.download_until)
            if now > until:
                raise UserError(_(
                    'The certificates of %(session)s could be downloaded '
                    'until %(until)s: they are no longer available.') % {
                        'session': session.name,
                        'until': fields.Datetime.context_timestamp(
                            self, until).strftime('%d/%m/%Y %H:%M')})

    @api.multi
    def _download_sessions(self):
        return self

    @api.multi
    def action_download_certificates(self):
        """The PDF of all the certificates of the session."""
        self.ensure_one()
        self._check_download()
        return download_action(self, 'certificates_file',
                               'certificates_filename')

    @api.model
    def _cron_purge(self, batch_size=200):
        """Delete the sessions whose certificates were generated more than
        15 days ago, with their candidates, certificates and PDFs, by
        background jobs, a batch each (see background.dispatch); running it
        again finds nothing more to delete."""
        dispatch(self.sudo().search(self._purge_domain()), '_job_purge',
                 _('Certification sessions to delete'), batch_size)
        return True

    @api.model
    def _purge_domain(self):
        return [('state', '=', 'generated'),
                ('download_until', '<', fields.Datetime.to_string(
                    self._now()))]

    @job
    @api.multi
    def _job_purge(self):
        """The background job of a batch of sessions to delete: those
        still to delete (none when run again)."""
        sessions = self.sudo().search([('id', 'in', self.ids)] +
                                      self._purge_domain())
        _logger.info('Deleting %d certification sessions whose '
                     'certificates were generated %d days ago.',
                     len(sessions), DOWNLOAD_DAYS)
        sessions.unlink()
        return _('%d certification sessions deleted.') % len(sessions)
