# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The portal's routes over HTTP, as the demo users (the login is the
password): each route serves the caller's own records and, given another
user's record id, redirects to /my without showing anything of it
(issue 7, security)."""

from odoo import fields

from .common import PortalCase

DEMO = 'training_session.%s'


class TestPortalRoutes(PortalCase):

    def setUp(self):
        super(TestPortalRoutes, self).setUp()
        with self.server_env() as env:
            ref = env.ref
            own = ref(DEMO % 'training_registration_management_1_demo')
            other = ref(DEMO % 'training_registration_management_2_demo')
            sequence = ref(DEMO % 'training_sequence_management_1_demo')
            taught = ref(DEMO % 'training_slot_management_1_1_demo')
            not_taught = ref(DEMO % 'training_slot_management_1_2_demo')
            Attachment = env['ir.attachment']
            document = Attachment.create({
                'name': 'convocation-lambert.pdf',
                'datas_fname': 'convocation-lambert.pdf',
                'datas': 'JVBERi0xLjQK', 'res_model': 'training.registration',
                'res_id': other.id})
            other.document_ids = [(4, document.id)]
            own_document = Attachment.create({
                'name': 'convocation-moreau.pdf',
                'datas_fname': 'convocation-moreau.pdf',
                'datas': 'JVBERi0xLjQK', 'res_model': 'training.registration',
                'res_id': own.id, 'mimetype': 'application/pdf'})
            own.document_ids = [(4, own_document.id)]
            self.ids = {
                'own': own.id, 'other': other.id, 'sequence': sequence.id,
                'taught': taught.id, 'not_taught': not_taught.id,
                'document': document.id, 'own_document': own_document.id,
                'other_name': other.partner_id.lastname.upper(),
                'own_session': own.session_id.name,
            }

    # ------------------------------------------------------------ helpers
    # ----------------------------------------------------------- trainees
    def test_trainee_reads_own_registration_not_another(self):
        self.authenticate('stagiaire', 'stagiaire')
        response = self.get(
            '/my/training/registration/%d' % self.ids['own'])
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.ids['own_session'], response.text)
        # the whole planning, the pre-work named as such
        self.assertIn('E-learning préparatoire', response.text)
        self.assertIn('label-info">Travail préparatoire<', response.text)
        self.assertRefused(
            self.get('/my/training/registration/%d' % self.ids['other']),
            self.ids['other_name'])
        self.assertRefused(
            self.get('/my/training/registration/999999999'))

    def test_trainee_downloads_own_files_only(self):
        self.authenticate('stagiaire', 'stagiaire')
        ics = '/my/training/registration/%d/sequence/%d.ics'
        response = self.get(ics % (self.ids['own'], self.ids['sequence']))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers['Content-Type'].startswith(
            'text/calendar'))
        self.assertIn('BEGIN:VEVENT', response.text)
        self.assertRefused(
            self.get(ics % (self.ids['other'], self.ids['sequence'])),
            'BEGIN:VCALENDAR')
        self.assertRefused(self.get(
            '/my/training/registration/%d/document/%d' % (
                self.ids['other'], self.ids['document'])), '%PDF')
        self.assertRefused(self.get(
            '/my/training/registration/%d/certificate' % self.ids['other']))
        # their own convocation, from their registration's page
        page = self.get('/my/training/registration/%d' % self.ids['own'])
        own_url = '/my/training/registration/%d/document/%d' % (
            self.ids['own'], self.ids['own_document'])
        self.assertIn(own_url, page.text)
        response = self.get(own_url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b'%PDF'))
        self.assertEqual(response.headers['X-Content-Type-Options'],
                         'nosniff')
        # and through Odoo's /web/content: their own only
        response = self.get('/web/content/%d?download=true' %
                            self.ids['own_document'])
        self.assertTrue(response.content.startswith(b'%PDF'))
        response = self.get('/web/content/%d?download=true' %
                            self.ids['document'])
        self.assertNotIn(b'%PDF', response.content)
        # another registration's document through the caller's own one
        response = self.get('/my/training/registration/%d/document/%d' % (
            self.ids['own'], self.ids['document']))
        self.assertNotIn('%PDF', response.text)
        self.assertTrue(response.url.endswith('/my/training'), response.url)

    def test_trainee_cannot_open_a_slot_s_attendance(self):
        self.authenticate('stagiaire', 'stagiaire')
        self.assertRefused(
            self.get('/my/training/slot/%d' % self.ids['taught']),
            self.ids['other_name'])

    def test_profile_saved_with_the_back_office_checks(self):
        self.authenticate('stagiaire', 'stagiaire')
        form = {'lastname': 'Moreau', 'firstname': 'Léa',
                'email': 'lea.moreau@example.fr', 'phone': '12'}
        response = self.post('/my/training/profile', form)
        self.assertEqual(response.status_code, 200)
        self.assertIn('alert-danger', response.text)
        # what was typed is kept in the form
        self.assertRegex(response.text, r'name="phone"[^>]*value="12"')
        with self.server_env() as env:
            lea = env.ref(DEMO % 'partner_training_trainee_demo')
            other = env.ref(DEMO % 'partner_trainee_lambert_demo')
            self.assertEqual(lea.phone, '06 71 23 45 89')
            other_phone = other.phone
        # a partner id in the form changes nothing but the caller
        response = self.post('/my/training/profile', dict(
            form, phone='0478123456', partner_id=str(other.id),
            id=str(other.id)))
        self.assertTrue(response.url.endswith('/my/training/profile?saved=1'),
                        response.url)
        with self.server_env() as env:
            self.assertEqual(env.ref(
                DEMO % 'partner_training_trainee_demo').phone,
                '04 78 12 34 56')
            self.assertEqual(env.ref(
                DEMO % 'partner_trainee_lambert_demo').phone, other_phone)

    # ----------------------------------------------------------- trainers
    def test_trainer_records_attendance_of_own_slot_only(self):
        self.authenticate('formateur', 'formateur')
        response = self.get('/my/training/slot/%d' % self.ids['taught'])
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.ids['other_name'], response.text.upper())
        self.assertRefused(
            self.get('/my/training/slot/%d' % self.ids['not_taught']),
            self.ids['other_name'])
        with self.server_env() as env:
            foreign = env['training.attendance'].search([
                ('slot_id', '=', self.ids['not_taught'])], limit=1)
            own = env['training.attendance'].search([
                ('slot_id', '=', self.ids['taught']),
                ('partner_id', '=', env.ref(
                    DEMO % 'partner_trainee_lambert_demo').id)])
            foreign_before = foreign.read(['state', 'comment'])[0]
        # POST to a slot not taught: refused, nothing written
        response = self.url_open(
            '/my/training/slot/%d' % self.ids['not_taught'],
            data={'state_%d' % foreign.id: 'absent',
                  'csrf_token': self._token('/my/training/slot/%d' %
                                            self.ids['taught'])},
            timeout=60)
        self.assertRefused(response)
        # an attendance of another slot slipped into the own slot's form
        response = self.post('/my/training/slot/%d' % self.ids['taught'], {
            'state_%d' % own.id: 'absent',
            'comment_%d' % own.id: 'Prévenu la veille',
            'state_%d' % foreign.id: 'absent',
            'comment_%d' % foreign.id: 'forgé'})
        self.assertTrue(response.url.endswith('?saved=1'), response.url)
        with self.server_env() as env:
            own_after = env['training.attendance'].browse(own.id)
            self.assertEqual((own_after.state, own_after.comment),
                             ('absent', 'Prévenu la veille'))
            self.assertEqual(env['training.attendance'].browse(foreign.id)
                             .read(['state', 'comment'])[0], foreign_before)

    def test_trainer_cannot_read_registrations_pages(self):
        """Trainers read their trainees' registrations in the back office
        rules, but the registration pages are the trainee's own."""
        self.authenticate('formateur', 'formateur')
        self.assertRefused(
            self.get('/my/training/registration/%d' % self.ids['other']),
            self.ids['other_name'])
        # nor their documents through Odoo's /web/content
        for document in ('document', 'own_document'):
            response = self.get('/web/content/%d?download=true' %
                                self.ids[document])
            self.assertNotIn(b'%PDF', response.content)

    def test_certification_page_for_its_trainer_only(self):
        with self.server_env() as env:
            session = env.ref(
                DEMO % 'training_certification_session_trainer_demo')
            session_id, number = session.id, session.name
            candidate = session.candidate_ids[:1].lastname.upper()
        self.authenticate('formateur', 'formateur')
        self.assertRefused(
            self.get('/my/training/certification/%d' % session_id),
            number, candidate)
        self.authenticate('formateur.certif', 'formateur.certif')
        response = self.get('/my/training/certification/%d' % session_id)
        self.assertEqual(response.status_code, 200)
        self.assertIn(number, response.text)
        self.assertIn(candidate, response.text.upper())

    # ------------------------------------------------------------- tutors
    def test_tutor_validates_the_slots_of_own_sessions_only(self):
        with self.server_env() as env:
            followed = env.ref(DEMO % 'training_slot_emploi_1_demo')
            followed.attendance_ids.write({'state': 'present'})
            lines = followed.attendance_ids
            foreign = env['training.slot'].browse(self.ids['taught'])
            foreign.attendance_ids.write({'state': 'present'})
            followed_id, foreign_id = followed.id, foreign.id
        self.authenticate('tuteur', 'tuteur')
        token = self._token('/my/training/slot/%d' % followed_id)
        response = self.url_open('/my/training/slot/%d' % foreign_id, data={
            'validate': '1', 'csrf_token': token}, timeout=60)
        self.assertRefused(response, self.ids['other_name'])
        # the tutor's comment for a trainee, saved with the validation
        line = lines[0]
        response = self.url_open('/my/training/slot/%d' % followed_id, data={
            'state_%d' % line.id: 'absent',
            'comment_%d' % line.id: 'Justificatif à fournir',
            'validate': '1', 'csrf_token': token}, timeout=60)
        self.assertTrue(response.url.endswith('?saved=1'), response.url)
        with self.server_env() as env:
            self.assertTrue(all(env['training.attendance'].browse(
                lines.ids).mapped('validated_on')))
            line = env['training.attendance'].browse(line.id)
            self.assertEqual((line.state, line.comment),
                             ('absent', 'Justificatif à fournir'))
            self.assertFalse(any(env['training.slot'].browse(foreign_id)
                                 .attendance_ids.mapped('validated_on')))

    # ---------------------------------------------------- Odoo's details
    def test_trainees_details_on_their_own_page(self):
        """Odoo's /my/account writes the partner as superuser without the
        trainees' checks: trainees are sent to their profile page."""
        self.authenticate('stagiaire', 'stagiaire')
        home = self.get('/my')
        self.assertIn('href="/my/training/profile"', home.text)
        self.assertNotIn('href="/my/account"', home.text)
        response = self.get('/my/account')
        self.assertTrue(response.url.endswith('/my/training/profile'),
                        response.url)
        token = self._token('/my/training/profile')
        response = self.url_open('/my/account', data={
            'name': 'x', 'email': 'x@example.fr', 'phone': '12',
            'street': 'x', 'city': 'x', 'country_id': '75',
            'csrf_token': token}, timeout=60)
        self.assertTrue(response.url.endswith('/my/training/profile'),
                        response.url)
        with self.server_env() as env:
            lea = env.ref(DEMO % 'partner_training_trainee_demo')
            self.assertEqual((lea.name, lea.phone),
                             ('MOREAU Léa', '06 71 23 45 89'))
        # other portal users keep Odoo's page
        self.authenticate('formateur', 'formateur')
        response = self.get('/my/account')
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith('/my/account'), response.url)

    # -------------------------------------------------- trainer's documents
    def test_trainer_file_documents_of_own_slots_only(self):
        with self.server_env() as env:
            session = env['training.slot'].browse(self.ids['taught']) \
                .session_id
            trainer_file = session.mail_ids.filtered(
                lambda mail: mail.kind == 'trainer_file')
            self.assertTrue(trainer_file, 'the demo session has no trainer '
                                          'file setting')
            case = env['ir.attachment'].create({
                'name': 'Cas Équipe Delta.pdf',
                'datas_fname': 'Cas Équipe Delta.pdf',
                'datas': 'JVBERi0xLjQK', 'mimetype': 'application/pdf'})
            trainer_file.write({'enabled': True,
                                'attachment_ids': [(6, 0, case.ids)]})
            case_id = case.id
        self.authenticate('formateur', 'formateur')
        page = self.get('/my/training/slot/%d' % self.ids['taught'])
        self.assertIn('Cas Équipe Delta.pdf', page.text)
        document = '/my/training/slot/%d/document/%d'
        response = self.get(document % (self.ids['taught'], case_id))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b'%PDF'))
        self.assertIn('attachment', response.headers['Content-Disposition'])
        # another slot's, or another record's attachment through a slot
        self.assertRefused(
            self.get(document % (self.ids['not_taught'], case_id)), '%PDF')
        response = self.get(document % (self.ids['taught'],
                                        self.ids['document']))
        self.assertNotIn('%PDF', response.text)
        self.assertTrue(response.url.endswith(
            '/my/training/slot/%d' % self.ids['taught']), response.url)
        # the attendance sheet to sign, of own slots only
        sheet = '/my/training/slot/%d/attendance-sheet'
        response = self.get(sheet % self.ids['taught'])
        self.assertEqual(response.status_code, 200)
        self.assertIn('attachment', response.headers['Content-Disposition'])
        self.assertIn(self.ids['other_name'], response.text.upper())
        self.assertRefused(self.get(sheet % self.ids['not_taught']),
                           self.ids['other_name'])
        # trainees neither
        self.authenticate('stagiaire', 'stagiaire')
        self.assertRefused(self.get(sheet % self.ids['taught']),
                           self.ids['other_name'])
        self.assertRefused(
            self.get(document % (self.ids['taught'], case_id)), '%PDF')

    # ------------------------------------------ certification certificates
    @staticmethod
    def _generated_now(env, session):
        """``session`` as its generation leaves it (its PDFs are tested in
        test_certificate.py): downloadable for 15 days from now."""
        env.cr.execute(
            "UPDATE training_certification_session SET state = "
            "'generated', generated_on = now() at time zone 'utc', "
            "download_until = now() at time zone 'utc' + interval "
            "'15 days' WHERE id = %s", (session.id,))
        session.invalidate_cache()

    def _window_closed(self, session_id):
        with self.server_env() as env:
            env.cr.execute(
                "UPDATE training_certification_session SET download_until "
                "= now() at time zone 'utc' - interval '1 second' "
                "WHERE id = %s", (session_id,))

    def test_own_certification_certificate_only(self):
        with self.server_env() as env:
            session = env.ref(
                DEMO % 'training_certification_session_trainer_demo')
            lea, other = session.candidate_ids.sorted('lastname')[:2]
            lea.partner_id = env.ref(DEMO % 'partner_training_trainee_demo')
            other.partner_id = env.ref(DEMO % 'partner_trainee_lambert_demo')
            self._generated_now(env, session)
            ids = {}
            for number, candidate in enumerate((lea, other)):
                ids[candidate.lastname] = env['training.certificate'].create({
                    'name': 'CERT-TEST-%d' % number,
                    'session_id': session.id, 'candidate_id': candidate.id,
                    'scheme_id': session.scheme_id.id,
                    'certificate_type_id': session.certificate_type_id.id,
                    'date_start': session.date_end,
                    'generated_on': fields.Datetime.now(),
                    'pdf_file': 'JVBERi0xLjQK',
                    'pdf_filename': '%s.pdf' % candidate.lastname}).id
            own, others = ids[lea.lastname], ids[other.lastname]
        self.authenticate('stagiaire', 'stagiaire')
        page = self.get('/my/training')
        self.assertIn('/my/training/certificate/%d' % own, page.text)
        self.assertNotIn('/my/training/certificate/%d' % others, page.text)
        response = self.get('/my/training/certificate/%d' % own)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b'%PDF'))
        self.assertRefused(self.get('/my/training/certificate/%d' % others),
                           '%PDF')
        # once the window is closed
        self._window_closed(session.id)
        self.assertRefused(self.get('/my/training/certificate/%d' % own),
                           '%PDF')

    def test_web_content_of_certificates_within_the_window_only(self):
        """Odoo's /web/content reads the binary field through its record:
        the certificates' download rules apply there too."""
        with self.server_env() as env:
            session = env.ref(
                DEMO % 'training_certification_session_trainer_demo')
            self._generated_now(env, session)
            session.write({'certificates_file': 'JVBERi0xLjQK',
                           'certificates_filename': 'certificats.pdf'})
            session_id = session.id
        url = ('/web/content?model=training.certification.session&id=%d'
               '&field=certificates_file&download=true' % session_id)
        self.authenticate('gestionnaire.certif', 'gestionnaire.certif')
        response = self.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b'%PDF'))
        # the trainer of the session is not the entity
        self.authenticate('formateur.certif', 'formateur.certif')
        response = self.get(url)
        self.assertNotIn(b'%PDF', response.content)
        # after the 15 days, before the purge
        self._window_closed(session_id)
        self.authenticate('gestionnaire.certif', 'gestionnaire.certif')
        response = self.get(url)
        # refused (Odoo's /web/content answers any refusal with a 404)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(b'%PDF', response.content)

    def test_my_for_users_without_training_access(self):
        """A certification delegate reads no slot nor registration: /my
        still works, without the training entries."""
        self.authenticate('delegataire', 'delegataire')
        response = self.get('/my')
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith('/my'), response.url)
        self.assertNotIn('href="/my/training/teaching"', response.text)
        self.assertRefused(self.get('/my/training/teaching'))
        self.assertRefused(self.get('/my/training/tutoring'))

    # ------------------------------------------------------ welcome sheets
    def test_tutor_prints_the_welcome_sheets_of_their_trainees(self):
        """Manual 004 (7), for a tutor who is a portal user."""
        with self.server_env() as env:
            followed = env.ref(DEMO % 'training_slot_emploi_1_demo')
            lambert = env.ref(DEMO % 'partner_trainee_lambert_demo')
            lea = env.ref(DEMO % 'partner_training_trainee_demo')
            ids = {'slot': followed.id, 'lambert': lambert.id, 'lea': lea.id}
        self.authenticate('tuteur', 'tuteur')
        url = '/my/training/trainee/%d/welcome-sheet'
        page = self.get('/my/training/slot/%d' % ids['slot'])
        self.assertIn(url % ids['lambert'], page.text)
        response = self.get(url % ids['lambert'])
        self.assertEqual(response.status_code, 200)
        self.assertIn('attachment', response.headers['Content-Disposition'])
        with self.server_env() as env:
            login = env['res.partner'].browse(ids['lambert']).user_ids.login
        self.assertTrue(login)
        self.assertIn(login, response.text)
        # not a trainee of their sessions; nor for the trainees themselves
        self.assertRefused(self.get(url % ids['lea']), 'MOREAU')
        self.authenticate('stagiaire', 'stagiaire')
        self.assertRefused(self.get(url % ids['lambert']), 'LAMBERT')
