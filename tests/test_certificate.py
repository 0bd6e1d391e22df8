# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import datetime
import subprocess
import tempfile
from unittest import mock

import psycopg2
from lxml import html

from odoo import tools
from odoo.exceptions import AccessError, UserError
from odoo.tools import mute_logger

from .common import CertificationCase, run_jobs

# the certificates are generated on 20 June 2027 at noon (UTC)
GENERATED = datetime.datetime(2027, 6, 20, 12, 0, 0)
UNTIL = GENERATED + datetime.timedelta(days=15)
SECOND = datetime.timedelta(seconds=1)


def pdf_text(pdf):
    with tempfile.NamedTemporaryFile(suffix='.pdf') as out:
        out.write(pdf)
        out.flush()
        return subprocess.check_output(
            ['pdftotext', '-layout', out.name, '-']).decode()


def pdf_pages(pdf):
    with tempfile.NamedTemporaryFile(suffix='.pdf') as out:
        out.write(pdf)
        out.flush()
        info = subprocess.check_output(['pdfinfo', out.name]).decode()
    return int([line.split()[-1] for line in info.splitlines()
                if line.startswith('Pages:')][0])


class CertificateCase(CertificationCase):
    """Sessions whose results were sent to the entity; certificates
    printed through wkhtmltopdf (real PDFs, also under the test runner)."""

    @classmethod
    def setUpClass(cls):
        super(CertificateCase, cls).setUpClass()
        cls._pdf_patch = mock.patch.dict(
            tools.config.options,
            {'test_report_directory': tempfile.mkdtemp()})
        cls._pdf_patch.start()

    @classmethod
    def tearDownClass(cls):
        cls._pdf_patch.stop()
        super(CertificateCase, cls).tearDownClass()

    @classmethod
    def _now(cls, moment):
        """Make ``moment`` (a naive UTC datetime) now and its day today."""
        Session = type(cls.env['training.certification.session'])
        patches = [mock.patch.object(Session, '_now', return_value=moment),
                   cls._today(moment.date())]
        for patch in patches:
            patch.start()
        return patches

    @classmethod
    def _stop(cls, patches):
        for patch in patches:
            patch.stop()

    @classmethod
    def _validated_session(cls, user, results=('pass', 'fail'), **vals):
        """A session with the candidates Fabre Régine and Faure Myriam
        whose ``results`` the trainer sent to the entity."""
        session = cls._submitted_session(user, **vals)
        as_trainer = session.sudo(cls.trainer)
        with cls._today(cls.TODAY):
            for candidate, result in zip(as_trainer.candidate_ids,
                                         results):
                candidate.result = result
            as_trainer.action_send_results()
        return session.sudo(user)

    @classmethod
    def _generated_session(cls, user, results=('pass', 'fail'),
                           moment=GENERATED, **vals):
        session = cls._validated_session(user, results, **vals)
        patches = cls._now(moment)
        try:
            session.action_generate_certificates()
        finally:
            cls._stop(patches)
        return session

    def _at(self, moment):
        patches = self._now(moment)
        self.addCleanup(self._stop, patches)


class TestGeneration(CertificateCase):

    @classmethod
    def setUpClass(cls):
        super(TestGeneration, cls).setUpClass()
        cls.session = cls._generated_session(cls.delegate_a)
        cls.passed, cls.failed = cls.session.candidate_ids.sorted(
            'lastname')

    def test_certificates_for_the_candidates_who_passed(self):
        session = self.session
        self.assertEqual(session.state, 'generated')
        certificate = session.certificate_ids
        self.assertEqual(certificate.candidate_id, self.passed)
        self.assertTrue(certificate.name.startswith('CERT-'))
        self.assertEqual(certificate.scheme_id, self.sst)
        self.assertEqual(certificate.certificate_type_id, self.sst_type)
        self.assertEqual(certificate.trainer_id, self.trainer.partner_id)
        # valid from the end date, for the 24 months of the scheme
        self.assertEqual(certificate.date_start, self.END)
        self.assertEqual(certificate.date_end, '2029-06-14')
        self.assertEqual(session.generated_on, '2027-06-20 12:00:00')
        self.assertEqual(session.download_until, '2027-07-05 12:00:00')
        generated = self.env.ref(
            'training_session.mt_certification_generated')
        self.assertEqual(session.message_ids[0].subtype_id, generated)

    def test_one_file_for_all_and_one_per_candidate(self):
        session = self._generated_session(
            self.delegate_a, results=('pass', 'pass'))
        whole = base64.b64decode(session.certificates_file)
        self.assertTrue(whole.startswith(b'%PDF'))
        self.assertEqual(pdf_pages(whole), 2)
        text = pdf_text(whole)
        for certificate in session.certificate_ids:
            self.assertIn(certificate.name, text)
        self.assertIn('FABRE', text)
        self.assertIn('FAURE', text)
        fabre, faure = session.certificate_ids.sorted('lastname')
        own = pdf_text(base64.b64decode(fabre.pdf_file))
        self.assertIn('FABRE', own)
        self.assertIn(fabre.name, own)
        self.assertNotIn('FAURE', own)
        self.assertEqual(pdf_pages(base64.b64decode(faure.pdf_file)), 1)
        self.assertTrue(fabre.pdf_filename.endswith('.pdf'))

    def test_certificate_content(self):
        certificate = self.session.certificate_ids
        report = self.env.ref('training_session.action_report_certificate')
        text = ' '.join(html.fromstring(report.render_qweb_html(
            certificate.ids)[0]).text_content().split())
        for expected in (certificate.name, 'FABRE', 'Régine', 'SST',
                         'Sauveteur secouriste du travail', 'SST-1',
                         self.trainer.partner_id.name, 'Marose Formation',
                         '26800', 'Étoile-sur-Rhône', self.session.name,
                         # born on, valid from and until
                         '06/04/1977', '15/06/2027', '14/06/2029'):
            self.assertIn(expected, text)
        self.assertNotIn('FAURE', text)

    def test_certificate_in_the_entity_language(self):
        """Generated by a user who reads English for an entity that reads
        French: the whole certificate is in French, its identification
        (initial training or refresher) included."""
        self.env.ref('base.lang_en').active = True
        self.entity_a.lang = 'fr_FR'
        self.delegate_a.lang = 'en_US'
        self.sst_type.with_context(lang='en_US').name = 'First aid at work'
        self.sst_type.with_context(lang='fr_FR').name = \
            'Sauveteur secouriste du travail'
        session = self._validated_session(self.delegate_a).with_context(
            lang=self.delegate_a.lang)
        self._at(GENERATED)
        session.action_generate_certificates()
        report = self.env.ref(
            'training_session.action_report_certificate').sudo(
            self.delegate_a).with_context(lang=self.delegate_a.lang)
        text = ' '.join(html.fromstring(report.render_qweb_html(
            session.certificate_ids.ids)[0]).text_content().split())
        for french in ('Certificat n°', 'Délivré à FABRE Régine',
                       'Certificat [SST-1] Sauveteur secouriste du travail',
                       'Dispositif', 'Niveau', 'Identification Stage initial',
                       'Lieu de formation', 'Formateur', 'Entité',
                       'Session de certification', 'Valide du 15/06/2027',
                       "Aucun duplicata de ce certificat n'est délivré."):
            self.assertIn(french, text)
        # (the trainer's name is "T Trainer")
        for english in ('Initial training', 'Awarded', 'Scheme', 'Level',
                        'Place of', 'Entity', 'Valid from', 'No duplicate',
                        'Phone', 'Email', 'First aid'):
            self.assertNotIn(english, text)

    def test_no_validity_end_without_a_duration(self):
        self.sst.validity_months = 0
        session = self._generated_session(self.delegate_a)
        self.assertEqual(session.certificate_ids.date_start, self.END)
        self.assertFalse(session.certificate_ids.date_end)

    def test_no_duplicate(self):
        with self.assertRaises(UserError):
            self.session.action_generate_certificates()
        self.assertEqual(len(self.session.certificate_ids), 1)
        with self.assertRaises(psycopg2.IntegrityError), \
                mute_logger('odoo.sql_db'), self.cr.savepoint():
            self.env['training.certificate'].create({
                'name': 'CERT-DOUBLE', 'session_id': self.session.id,
                'candidate_id': self.passed.id, 'scheme_id': self.sst.id,
                'certificate_type_id': self.sst_type.id,
                'date_start': self.END,
                'generated_on': '2027-06-21 12:00:00'})
        with self.assertRaises(AccessError):
            self.env['training.certificate'].sudo(self.delegate_a).create({
                'name': 'CERT-FAUX', 'session_id': self.session.id,
                'candidate_id': self.failed.id, 'scheme_id': self.sst.id,
                'certificate_type_id': self.sst_type.id,
                'date_start': self.END,
                'generated_on': '2027-06-21 12:00:00'})

    def test_certificates_follow_their_session(self):
        Certificate = self.env['training.certificate']
        mine = self.session.certificate_ids
        for user in (self.delegate_a, self.manager_a, self.trainer):
            self.assertIn(mine, Certificate.sudo(user).search([]))
        for user in (self.delegate_a2, self.manager_b):
            self.assertNotIn(mine, Certificate.sudo(user).search([]))
        with self.assertRaises(AccessError):
            mine.sudo(self.trainer).read(['pdf_file'])


class TestGenerationRefused(CertificateCase):

    @classmethod
    def setUpClass(cls):
        super(TestGenerationRefused, cls).setUpClass()
        cls.session = cls._validated_session(cls.delegate_a)

    def _refused(self, user=None):
        session = self.session.sudo(user) if user else self.session
        with self.assertRaises((UserError, AccessError)):
            session.action_generate_certificates()
        self.assertEqual(self.session.state, 'entity_validation')
        self.assertFalse(self.session.sudo().certificate_ids)

    def test_not_before_the_end_date(self):
        self._at(datetime.datetime(2027, 6, 14, 21, 0, 0))
        with self._today(datetime.date(2027, 6, 14)):
            self._refused()
        self._at(datetime.datetime(2027, 6, 15, 8, 0, 0))
        self.session.action_generate_certificates()
        self.assertEqual(self.session.state, 'generated')

    def test_only_by_the_entity(self):
        self._at(GENERATED)
        self._refused(self.trainer)
        self._refused(self.delegate_a2)
        self.session.sudo(self.manager_a).action_generate_certificates()
        self.assertEqual(self.session.state, 'generated')

    def test_not_before_the_results(self):
        self._at(GENERATED)
        self.session.action_modify()
        self._refused_in_draft()

    def _refused_in_draft(self):
        with self.assertRaises(UserError):
            self.session.action_generate_certificates()
        self.assertFalse(self.session.sudo().certificate_ids)

    def test_not_when_nobody_passed(self):
        session = self._validated_session(
            self.delegate_a, results=('fail', 'fail'))
        self._at(GENERATED)
        with self.assertRaises(UserError):
            session.action_generate_certificates()
        self.assertFalse(session.sudo().certificate_ids)

    def test_not_without_a_valid_habilitation_or_qualification(self):
        self._at(GENERATED)
        qualification = self.env['training.trainer.qualification'].search(
            [('trainer_id', '=', self.trainer.partner_id.id)])
        qualification.date_to = '2027-06-14'
        self._refused()
        qualification.date_to = '2027-12-31'
        self.env['training.habilitation'].search([
            ('entity_id', '=', self.entity_a.id),
            ('scheme_id', '=', self.sst.id)]).active = False
        self._refused()


class TestDownloadAndPurge(CertificateCase):

    @classmethod
    def setUpClass(cls):
        super(TestDownloadAndPurge, cls).setUpClass()
        cls.session = cls._generated_session(cls.delegate_a)

    def _download(self, moment, user=None):
        self._at(moment)
        session = self.session.sudo(user or self.delegate_a)
        action = session.action_download_certificates()
        self.assertIn('field=certificates_file', action['url'])
        action = session.certificate_ids.action_download()
        self.assertIn('field=pdf_file', action['url'])
        self.assertTrue(session.can_download)
        return action

    def test_downloadable_for_15_days(self):
        self._download(GENERATED)
        self._download(UNTIL - SECOND)
        self._download(UNTIL)

    def test_not_downloadable_afterwards(self):
        self._at(UNTIL + SECOND)
        self.assertFalse(self.session.can_download)
        with self.assertRaises(UserError):
            self.session.action_download_certificates()
        with self.assertRaises(UserError):
            self.session.certificate_ids.action_download()

    def test_only_the_entity_downloads(self):
        self._download(GENERATED, self.manager_a)
        with self.assertRaises(AccessError):
            self.session.sudo(self.trainer).action_download_certificates()
        with self.assertRaises(AccessError):
            self.session.sudo(self.trainer).read(['certificates_file'])

    def test_not_downloadable_before_generation(self):
        session = self._validated_session(self.delegate_a)
        with self.assertRaises(UserError):
            session.action_download_certificates()

    def _attachments(self, model, ids):
        # the PDFs are attachments of their binary fields (res_field)
        return self.env['ir.attachment'].sudo().search(
            [('res_model', '=', model), ('res_id', 'in', ids),
             ('res_field', '!=', False)])

    def test_purge_15_days_after_generation(self):
        session = self.session
        later = self._generated_session(
            self.delegate_a, moment=GENERATED + datetime.timedelta(days=2))
        pending = self._validated_session(self.manager_a)
        certificates = session.certificate_ids
        self.assertEqual(len(self._attachments(
            'training.certificate', certificates.ids)), 1)
        self.assertEqual(len(self._attachments(
            'training.certification.session', session.ids)), 1)
        candidates = session.candidate_ids
        Session = self.env['training.certification.session']
        self._at(UNTIL)
        Session._cron_purge()
        run_jobs(self.env)
        self.assertTrue(session.exists())
        self._at(UNTIL + SECOND)
        Session._cron_purge(batch_size=1)
        run_jobs(self.env)
        self.assertFalse(session.exists())
        self.assertFalse(certificates.exists())
        self.assertFalse(candidates.exists())
        self.assertFalse(self._attachments('training.certificate',
                                           certificates.ids))
        self.assertFalse(self._attachments('training.certification.session',
                                           session.ids))
        self.assertTrue(later.exists())
        self.assertTrue(pending.exists())
        # safe to run again
        Session._cron_purge()
        run_jobs(self.env)
        self.assertTrue(later.exists())

    def test_purge_in_batches(self):
        other = self._generated_session(self.delegate_b)
        self._at(UNTIL + SECOND)
        jobs = self.env['queue.job'].sudo().search_count([])
        self.env['training.certification.session']._cron_purge(
            batch_size=1)
        # a job per session
        self.assertEqual(
            self.env['queue.job'].sudo().search_count([]) - jobs, 2)
        run_jobs(self.env)
        self.assertFalse(self.session.exists())
        self.assertFalse(other.exists())

    def test_cron_calls_the_purge(self):
        cron = self.env.ref('training_session.ir_cron_certification_purge')
        self.assertEqual(cron.model_id.model,
                         'training.certification.session')
        self._at(UNTIL + SECOND)
        cron.method_direct_trigger()
        run_jobs(self.env)
        self.assertFalse(self.session.exists())


class TestDeletion(CertificateCase):

    def test_deleted_until_certificates_are_generated(self):
        with self._today(self.TODAY):
            draft = self._new_certification_session(self.delegate_a)
        draft.unlink()
        self.assertFalse(draft.exists())
        submitted = self._submitted_session(self.delegate_a)
        submitted.unlink()
        validated = self._validated_session(self.manager_a)
        validated.unlink()
        self.assertFalse(validated.exists())

    def test_not_deleted_once_generated(self):
        session = self._generated_session(self.delegate_a)
        self._at(UNTIL)
        for user in (self.delegate_a, self.manager_a):
            with self.assertRaises(UserError):
                session.sudo(user).unlink()
        with self.assertRaises(UserError):
            session.sudo().unlink()
        self.assertTrue(session.exists())
        self.assertTrue(session.sudo().certificate_ids)


class TestCertificateFiles(CertificateCase):
    """The PDFs are attachments: they follow the download's rules, not only
    their record's (Odoo 11 ignores the field of an attachment)."""

    @classmethod
    def setUpClass(cls):
        super(TestCertificateFiles, cls).setUpClass()
        cls.session = cls._generated_session(cls.delegate_a)
        cls.files = cls.env['ir.attachment'].sudo().search([
            ('res_model', 'in', ('training.certification.session',
                                 'training.certificate')),
            ('res_id', 'in', cls.session.ids + cls.session.sudo()
             .certificate_ids.ids), ('res_field', '!=', False)])

    def test_entity_reads_its_files_within_the_window(self):
        self._at(GENERATED)
        self.assertTrue(self.files.sudo(self.delegate_a).read(['datas']))
        self._at(UNTIL + SECOND)
        # an AccessError: a 403 over HTTP, never a 500
        with self.assertRaises(AccessError):
            self.files.sudo(self.delegate_a).read(['datas'])

    def _pdfs_read_by(self, user):
        """Every PDF value ``user`` gets through the records' fields, by
        read, search_read and export_data (Odoo 11 reads these binaries as
        superuser, whatever the attachments' checks)."""
        session = self.session.sudo(user)
        certificates = self.env['training.certificate'].sudo(user).search(
            [('session_id', '=', session.id)])
        values = [session.read(['certificates_file'])[0]
                  ['certificates_file']]
        values += [row['certificates_file'] for row in session.search_read(
            [('id', '=', session.id)], ['certificates_file'])]
        values += [row['pdf_file'] for row in certificates.read(['pdf_file'])]
        values += [row['pdf_file'] for row in certificates.search_read(
            [('id', 'in', certificates.ids)], ['pdf_file'])]
        values += [row[0] for row in certificates.export_data(
            ['pdf_file'])['datas']]
        values += [row[0] for row in session.export_data(
            ['certificates_file'])['datas']]
        self.assertTrue(certificates)
        self.assertGreaterEqual(len(values), 3 + 2 * len(certificates))
        self.env.clear()
        return values

    def test_binary_fields_within_the_window_only(self):
        self._at(UNTIL)
        values = self._pdfs_read_by(self.delegate_a)
        self.assertTrue(all(values), values)
        self._at(UNTIL + SECOND)
        self.assertFalse(any(self._pdfs_read_by(self.delegate_a)))
        self.assertFalse(any(self._pdfs_read_by(self.manager_a)))
        # the files are still there (until the hourly purge)
        self.assertTrue(self.session.sudo().certificates_file)

    def test_trainer_and_other_entity_cannot_read_them(self):
        self._at(GENERATED)
        for user in (self.trainer, self.delegate_b, self.delegate_a2):
            with self.assertRaises(AccessError):
                self.files.sudo(user).read(['datas'])

    def test_nobody_overwrites_or_deletes_them(self):
        self._at(GENERATED)
        for user in (self.delegate_a, self.manager_a):
            with self.assertRaises(AccessError), self.cr.savepoint():
                self.files[:1].sudo(user).write({'datas': b'Zm9yZ2Vk'})
            with self.assertRaises(AccessError), self.cr.savepoint():
                self.files[:1].sudo(user).unlink()


class TestPortalCertificates(CertificateCase):
    """A candidate who is a contact of ours (a linked training session's
    participant) finds their certificate on the portal while the entity
    may download it (issue 7)."""

    @classmethod
    def setUpClass(cls):
        super(TestPortalCertificates, cls).setUpClass()
        cls.session = cls._generated_session(cls.delegate_a)
        cls.passed = cls.session.certificate_ids.candidate_id
        cls.passed.sudo().partner_id = cls.trainee.partner_id

    def _mine(self, user):
        return self.env['training.certificate'].sudo(user) \
            .portal_my_certificates()

    def test_own_certificate_while_downloadable(self):
        self._at(UNTIL)
        certificate = self._mine(self.trainee)
        self.assertEqual(certificate, self.session.certificate_ids)
        self.assertTrue(base64.b64decode(certificate.pdf_file)
                        .startswith(b'%PDF'))
        # the candidate who failed has none; nor has anyone else
        self.session.candidate_ids.filtered(
            lambda cand: cand != self.passed).sudo().partner_id = \
            self.tutor.partner_id
        self.assertFalse(self._mine(self.tutor))
        self.assertFalse(self._mine(self.trainer))

    def test_gone_after_the_download_window(self):
        self._at(UNTIL + SECOND)
        self.assertFalse(self._mine(self.trainee))
