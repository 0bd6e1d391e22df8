# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import datetime
import io
import subprocess
import tempfile
import zipfile
from unittest import mock

from lxml import html

from odoo import tools
from odoo.exceptions import AccessError, UserError

from .common import TrainingCase


def _text(document):
    return ' '.join(html.fromstring(document).text_content().split())


class ReportCase(TrainingCase):

    @classmethod
    def setUpClass(cls):
        super(ReportCase, cls).setUpClass()
        cls.session = cls._create_session(
            name='Ateliers emploi',
            trainer_ids=[(6, 0, cls.other_trainer.ids)],
            tutor_ids=[(6, 0, cls.tutor.partner_id.ids)])
        # Paris: Monday 1 March 2027 09:00-16:00, then 8 March 09:00-12:00
        cls.cycle_1 = cls._add_sequence(cls.session, 'Atelier 1', slots=[
            ('2027-03-01 08:00:00', '2027-03-01 15:00:00',
             {'break_duration': 1.0})], cycle='1')
        cls.cycle_2 = cls._add_sequence(cls.session, 'Atelier 2', slots=[
            ('2027-03-08 08:00:00', '2027-03-08 11:00:00')], cycle='2')
        cls.reg = cls._register_class(cls.session, 'Hugo Lambert',
                                      phone='06 11 22 33 44',
                                      email='hugo.lambert@example.fr')
        cls.other = cls._register_class(cls.session, 'Camille Roux')

    @classmethod
    def _register_class(cls, session, name, **partner):
        return cls.env['training.registration'].create({
            'session_id': session.id, 'state': 'confirmed',
            'partner_id': cls.Partner.create(dict(partner, name=name)).id})

    def _strings(self, action):
        wizard = self.env[action['res_model']].browse(action['res_id'])
        with zipfile.ZipFile(io.BytesIO(
                base64.b64decode(wizard.data_file))) as book:
            return book.read('xl/sharedStrings.xml').decode()

    def _html(self, xmlid, records):
        report = self.env.ref('training_session.%s' % xmlid)
        return _text(report.render_qweb_html(records.ids)[0])


class TestSessionReports(ReportCase):

    def test_registrant_list(self):
        text = self._html('action_report_registrant_list', self.session)
        for expected in ('Hugo Lambert', 'hugo.lambert@example.fr',
                         '06 11 22 33 44', 'Camille Roux', 'Paul Formateur',
                         self.tutor.name):
            self.assertIn(expected, text)

    def test_attendance_sheets_by_session_sequence_and_cycle(self):
        text = self._html('action_report_attendance_sheet', self.session)
        # three half-days: 1 March morning and afternoon, 8 March morning
        self.assertEqual(text.count('01/03/2027'), 2)
        self.assertEqual(text.count('08/03/2027'), 1)
        self.assertIn('Hugo Lambert', text)
        cycle_2 = self._html('action_report_attendance_sheet_cycle_2',
                             self.session)
        self.assertNotIn('01/03/2027', cycle_2)
        self.assertEqual(cycle_2.count('08/03/2027'), 1)
        sequence = self._html('action_report_attendance_sheet_sequence',
                              self.cycle_1)
        self.assertEqual(sequence.count('01/03/2027'), 2)
        self.assertNotIn('08/03/2027', sequence)

    def test_forty_trainees_twenty_half_days_as_pages(self):
        session = self._create_session(name='Grand groupe')
        day = datetime.date(2027, 9, 6)
        slots = []
        for _index in range(10):
            # 09:00-17:00 in Paris: two half-days each
            slots.append(('%s 07:00:00' % day, '%s 15:00:00' % day))
            day += datetime.timedelta(days=1)
        self._add_sequence(session, 'Semaine', slots=slots)
        partners = self.Partner.browse([
            self.Partner.create({'name': 'Stagiaire %02d' % index}).id
            for index in range(40)])
        session.register_partners(partners, state='confirmed')
        sheet = session.attendance_sheet()
        self.assertEqual([len(page) for page in sheet['pages']], [10, 10])
        self.assertEqual(len(sheet['registrations']), 40)
        report = self.env.ref(
            'training_session.action_report_attendance_sheet')
        document = html.fromstring(
            report.render_qweb_html(session.ids)[0])
        tables = document.xpath(
            '//div[contains(@class, "o_training_attendance_sheet")]//table')
        self.assertEqual(len(tables), 2)
        for table in tables:
            # header repeated on every printed page, 40 trainee rows and
            # the trainer's, one signature cell per half-day
            self.assertIn('table-header-group',
                          table.xpath('thead')[0].get('style'))
            rows = table.xpath('tbody/tr')
            self.assertEqual(len(rows), 41)
            self.assertEqual({len(row.xpath('td')) for row in rows}, {11})
        # a real PDF through wkhtmltopdf, also under the test runner
        with mock.patch.dict(tools.config.options,
                             {'test_report_directory': tempfile.mkdtemp()}):
            pdf = report.render_qweb_pdf(session.ids)[0]
        self.assertTrue(pdf.startswith(b'%PDF'))
        with tempfile.NamedTemporaryFile(suffix='.pdf') as out:
            out.write(pdf)
            out.flush()
            text = subprocess.check_output(['pdftotext', out.name, '-'])
            pages = subprocess.check_output(['pdfinfo', out.name])
        self.assertIn(b'Stagiaire 39', text)
        page_count = int([line.split()[-1] for line in pages.splitlines()
                          if line.startswith(b'Pages:')][0])
        self.assertGreaterEqual(page_count, 2)


class TestMonthlySessionDocuments(ReportCase):
    """Manual 004 (1): a session organised by month is named by its month
    on its documents."""

    def setUp(self):
        super(TestMonthlySessionDocuments, self).setUp()
        self.session.month = '2027-03-01'
        self.title = 'mars 2027 — Ateliers emploi'

    def test_registrant_list_and_attendance_sheets(self):
        for xmlid in ('action_report_registrant_list',
                      'action_report_attendance_sheet',
                      'action_report_attendance_sheet_cycle_1'):
            report = self.env.ref('training_session.%s' % xmlid)
            text = _text(report.with_context(lang='fr_FR').render_qweb_html(
                self.session.ids)[0])
            self.assertIn(self.title, text, xmlid)
            self.assertNotIn(self.session.code, text, xmlid)
            english = _text(report.with_context(
                lang='en_US').render_qweb_html(self.session.ids)[0])
            self.assertIn('March 2027 — Ateliers emploi', english, xmlid)
        # the other sessions keep their code and label
        other = self._create_session(name='Bureautique')
        text = self._html('action_report_registrant_list', other)
        self.assertIn('[%s] Bureautique' % other.code, text)

    def test_convocation_certificate_and_export(self):
        self.reg.partner_id.lang = 'fr_FR'
        intro = self.reg.convocation_texts()[1]
        self.assertIn('%s (%s)' % (self.title, self.session.code), intro)
        self.assertIn(self.title, self.reg.certificate_text())
        self.session.publication_state = 'published'
        action = self.env['training.participant.export'].with_context(
            lang='fr_FR').sudo(self.user).export_sessions(self.session)
        self.assertIn(self.title, self._strings(action))


class TestRegistrationReports(ReportCase):

    def test_convocation_lists_the_planning_in_local_time(self):
        self.session.notification_comment_convocation = \
            'Apporter une pièce d\'identité.'
        text = self._html('action_report_convocation', self.reg)
        self.assertIn('Hugo Lambert', text)
        self.assertIn('09:00 - 16:00', text)
        self.assertIn('09:00 - 12:00', text)
        self.assertIn("Apporter une pièce d'identité.", text)

    def test_sheet_to_sign_has_the_legal_identity(self):
        """Issue 17: the paper sheet names the organisation, its SIRET and
        activity declaration number and the trainers (the dates head its
        columns)."""
        self.session.company_id.partner_id.write({
            'siret': '84211372200016',
            'training_activity_number': '84691234569'})
        for xmlid in ('action_report_attendance_sheet',
                      'action_report_attendance_sheet_cycle_1'):
            text = self._html(xmlid, self.session)
            # each half-day's hours: 1 March 09:00-16:00, split at 13:00
            for expected in (self.session.company_id.name, '84211372200016',
                             '84691234569', self.other_trainer.name,
                             '01/03/2027', '09:00 - 13:00',
                             '13:00 - 16:00'):
                self.assertIn(expected, text, xmlid)

    def test_convocation_has_what_an_auditor_looks_for(self):
        """Issue 17: the place with its address and access comment, the
        hours (both dates over several days), the trainers, the link of a
        remote sequence, what to bring, the contact, the organisation's
        activity declaration number."""
        place = self.Partner.create({
            'name': 'Campus Part-Dieu', 'street': '19 boulevard Vivier-Merle',
            'zip': '69003', 'city': 'Lyon'})
        contact = self.env['res.users'].create({
            'name': 'Claire Martin', 'login': 'claire.convocation',
            'email': 'claire.martin@example.fr'})
        self.session.write({
            'place_id': place.id, 'user_id': contact.id,
            'what_to_bring': 'Votre pièce d\'identité et un stylo'})
        self.session.company_id.partner_id.training_activity_number = \
            '84691234569'
        slot = self.cycle_1.slot_ids
        slot.write({'comment_place': 'Entrée B, 3e étage, badge à '
                                     'l\'accueil',
                    'trainer_ids': [(6, 0, self.other_trainer.ids)]})
        remote = self._add_sequence(self.session, 'Classe virtuelle', slots=[
            ('2027-03-15 08:00:00', '2027-03-19 16:00:00')],
            url='https://visio.example.fr/atelier')
        text = self._html('action_report_convocation', self.reg)
        for expected in ('19 boulevard Vivier-Merle 69003 Lyon',
                         "Entrée B, 3e étage, badge à l'accueil",
                         self.other_trainer.name,
                         'https://visio.example.fr/atelier',
                         "Votre pièce d'identité et un stylo",
                         'Claire Martin', 'claire.martin@example.fr',
                         '84691234569',
                         '15/03/2027 09:00 - 19/03/2027 17:00'):
            self.assertIn(expected, text)
        self.assertTrue(remote.slot_ids)

    def test_certificate_counts_the_hours_attended(self):
        attendance = {att.slot_id.sequence_id: att
                      for att in self.reg.attendance_ids}
        attendance[self.cycle_1].state = 'present'
        attendance[self.cycle_2].state = 'absent'
        self.assertEqual(self.reg.attended_hours(), 6.0)
        text = self._html('action_report_attendance_certificate', self.reg)
        # 6 hours present (7 hours less a 1-hour break) of 9 planned
        self.assertIn(' 6 ', text)
        self.assertIn(' 9 ', text)
        self.assertIn('01/03/2027', text)
        self.assertIn('08/03/2027', text)
        self.assertIn('Hugo Lambert', text)


class TestWelcomeSheet(ReportCase):

    def test_portal_user_created_and_no_password_printed(self):
        partner = self.Partner.create({
            'is_trainee': True, 'lastname': 'Lambert',
            'firstname': 'hugo',
            'title': self.env.ref('base.res_partner_title_mister').id})
        self.assertFalse(partner.user_ids)
        partner.sudo(self.user).action_welcome_sheet()
        user = partner.user_ids
        self.assertEqual(user.login, 'hugo.lambert')
        self.assertTrue(user.has_group('base.group_portal'))
        self.assertTrue(user.has_group(
            'training_session.group_training_session_trainee'))
        document = html.fromstring(self.env.ref(
            'training_session.action_report_welcome_sheet')
            .render_qweb_html(partner.ids)[0])
        self.assertEqual(document.xpath(
            '//strong[@class="o_training_login"]')[0].text, 'hugo.lambert')
        link = document.xpath('//span[@class="o_training_signup"]')[0].text
        self.assertIn('token=', link)
        self.assertIn(partner.sudo().signup_token, link)
        # a second sheet reuses the user: no duplicate, still no password
        partner.sudo(self.user).action_welcome_sheet()
        self.assertEqual(partner.user_ids, user)
        # site, login and the link: no password row
        self.assertEqual(len(document.xpath(
            '//table[contains(@class, "o_training_welcome")]//tr')), 3)

    def test_documents_in_the_trainees_language(self):
        self.reg.partner_id.lang = 'fr_FR'
        greeting, intro = self.reg.convocation_texts()
        self.assertEqual(greeting, 'Bonjour Hugo Lambert,')
        self.assertIn('Ateliers emploi', intro)
        self.assertIn(self.session.code, intro)


class TestParticipantExport(ReportCase):

    def test_spreadsheet_of_participants(self):
        self.session.publication_state = 'published'
        self.reg.funding_status = 'job_seeker'
        action = self.env['training.participant.export'].sudo(
            self.user).export_sessions(self.session)
        strings = self._strings(action)
        for expected in ('Hugo Lambert', 'hugo.lambert@example.fr',
                         'Camille Roux', self.session.code):
            self.assertIn(expected, strings)

    def test_drafts_are_never_exported(self):
        draft = self._create_session(name='Brouillon confidentiel')
        with self.assertRaises(UserError):
            self.env['training.participant.export'].export_sessions(draft)
        self.session.publication_state = 'published'
        action = self.env['training.participant.export'].export_sessions(
            self.session | draft)
        self.assertNotIn('Brouillon confidentiel', self._strings(action))

    def test_headers_in_the_users_language(self):
        headers = self.env['training.participant.export'].with_context(
            lang='fr_FR')._headers()
        self.assertIn('Stagiaire', headers)


class TestRegistrationDocuments(ReportCase):

    def test_convocation_kept_in_the_registration_documents(self):
        with mock.patch.dict(tools.config.options,
                             {'test_report_directory': tempfile.mkdtemp()}):
            self.reg.sudo(self.user).action_generate_convocation()
        document = self.reg.document_ids
        self.assertEqual(len(document), 1)
        self.assertEqual(document.mimetype, 'application/pdf')
        self.assertTrue(base64.b64decode(document.datas).startswith(b'%PDF'))
        self.assertIn('Hugo Lambert', document.name)

    def test_formulas_stay_text(self):
        self.session.publication_state = 'published'
        self.reg.partner_id.city = '=HYPERLINK("http://evil.example")'
        action = self.env['training.participant.export'].export_sessions(
            self.session)
        wizard = self.env[action['res_model']].browse(action['res_id'])
        with zipfile.ZipFile(io.BytesIO(
                base64.b64decode(wizard.data_file))) as book:
            sheet = book.read('xl/worksheets/sheet1.xml').decode()
        self.assertNotIn('<f>', sheet)
        self.assertIn('HYPERLINK', self._strings(action))


class TestWelcomeSheetRefusals(ReportCase):

    def test_only_trainees_without_back_office_access(self):
        with self.assertRaises(UserError):
            self.user.partner_id.sudo(self.user).action_welcome_sheet()
        customer = self.Partner.create({'name': 'Client'})
        with self.assertRaises(UserError):
            customer.sudo(self.user).action_welcome_sheet()
        self.assertFalse(customer.user_ids)
        trainee = self.Partner.create({
            'is_trainee': True, 'lastname': 'Roux', 'firstname': 'Camille',
            'title': self.env.ref('base.res_partner_title_madam').id})
        with self.assertRaises(AccessError):
            trainee.sudo(self.trainer).action_welcome_sheet()

    def test_tutors_print_the_sheets_of_their_sessions_trainees(self):
        """Manual 004 (7): the tutor prints the trainee's welcome sheet."""
        tutor = self._create_user('t_tutor_office',
                                  'group_training_session_tutor')
        followed = self._create_session(
            name='Suivi emploi', tutor_ids=[(6, 0, tutor.partner_id.ids)])
        self._add_sequence(followed, 'Atelier', slots=[
            ('2027-03-01 08:00:00', '2027-03-01 11:00:00')])
        title = self.env.ref('base.res_partner_title_madam').id
        ines, other = [self.Partner.create({
            'is_trainee': True, 'lastname': lastname, 'firstname': 'Inès',
            'title': title}) for lastname in ('Garnier', 'Petit')]
        self._register(followed, ines)
        ines.sudo(tutor).action_welcome_sheet()
        self.assertTrue(ines.user_ids)
        document = html.fromstring(self.env.ref(
            'training_session.action_report_welcome_sheet').sudo(tutor)
            .render_qweb_html(ines.ids)[0])
        self.assertEqual(document.xpath(
            '//strong[@class="o_training_login"]')[0].text,
            ines.user_ids.login)
        # not a trainee of their sessions
        with self.assertRaises(AccessError):
            other.sudo(tutor).action_welcome_sheet()
        with self.assertRaises(AccessError):
            (ines | other).sudo(tutor).action_welcome_sheet()
        self.assertFalse(other.user_ids)
