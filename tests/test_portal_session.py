# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A session's portal page for its tutors and trainers, the trainees'
directory and the sessions a trainee is enrolled in (issue 16, manual
004, 4, 6, 8 and 9), over HTTP as the demo users and as attackers."""
from .common import PortalCase, last_job, portal_trainee_login, run_jobs

DEMO = 'training_session.%s'


class SessionPortalCase(PortalCase):
    """The demo's employment follow-up, its trainees as portal users,
    and a tutor of another session."""

    def setUp(self):
        super(SessionPortalCase, self).setUp()
        with self.server_env() as env:
            ref = env.ref
            session = ref(DEMO % 'training_session_emploi_demo')
            lambert = ref(DEMO % 'partner_trainee_lambert_demo')
            chevalier = ref(DEMO % 'partner_trainee_chevalier_demo')
            garnier = ref(DEMO % 'partner_trainee_garnier_demo')
            garnier.directory_consent = False
            lea = ref(DEMO % 'partner_training_trainee_demo')
            # a tutor of another session, a portal user as tutors are
            other_tutor = env['res.users'].create({
                'name': 'Claire Tutrice', 'login': 'tutrice.autre',
                'password': 'tutrice.autre', 'groups_id': [(6, 0, [
                    ref('base.group_portal').id,
                    ref('training_session.group_training_session_tutor').id,
                ])]})
            other = env['training.session'].create({
                'name': 'Autre accompagnement',
                'tutor_ids': [(6, 0, other_tutor.partner_id.ids)]})
            self.ids = {
                'session': session.id, 'other': other.id,
                'lambert': lambert.id, 'chevalier': chevalier.id,
                'garnier': garnier.id, 'lea': lea.id,
                'lambert_login': portal_trainee_login(env, lambert),
                'registration': session.registration_ids.filtered(
                    lambda reg: reg.partner_id == lambert).id,
            }

    def assertPdf(self, response, *contents):
        self.assertEqual(response.status_code, 200)
        self.assertIn('attachment', response.headers['Content-Disposition'])
        for content in contents:
            self.assertIn(content, response.text)

    def _urls(self, session_id, partner_id):
        base = '/my/training/session/%d' % session_id
        return [base, base + '/registrants',
                base + '/attendance-sheet/all',
                base + '/attendance-sheet/1', base + '/attendance-sheet/2',
                base + '/trainee/%d' % partner_id]


class TestSessionPortal(SessionPortalCase):

    # ------------------------------------------------------------ tutor
    def test_tutor_gets_the_lists_and_sheets_of_their_session(self):
        """Manual 004 (6): the registrant list (trainees' details, the
        tutor and the trainer) and the sheets per cycle, for a tutor who
        is a portal user (they got a server error)."""
        self.authenticate('tuteur', 'tuteur')
        base = '/my/training/session/%d' % self.ids['session']
        page = self.get(base)
        self.assertEqual(page.status_code, 200)
        for marker in ('o_training_registrant_list', 'o_training_sheet_all',
                       'o_training_sheet_cycle_1', 'o_training_sheet_cycle_2',
                       'o_training_complete_%d' % self.ids['chevalier']):
            self.assertIn(marker, page.text)
        # the full list for the tutor: Garnier declined the directory
        self.assertIn('ines.garnier@example.fr', page.text)
        self.assertPdf(self.get(base + '/registrants'),
                       'hugo.lambert@example.fr', 'ines.garnier@example.fr',
                       'Sophie', 'Marc')
        sheet = self.get(base + '/attendance-sheet/1')
        self.assertPdf(sheet, 'LAMBERT', 'o_training_attendance_sheet')
        self.assertIn('Cycle 1', sheet.text)
        self.assertPdf(self.get(base + '/attendance-sheet/2'), 'Cycle 2')
        # the slot page leads to the session's
        with self.server_env() as env:
            slot = env.ref(DEMO % 'training_slot_emploi_1_demo').id
        slot_page = self.get('/my/training/slot/%d' % slot).text
        self.assertIn(base, slot_page)
        # a monthly session is named by its month (manual 004, 1)
        self.assertIn(' — Accompagnement vers', slot_page)
        self.assertIn(' — Accompagnement vers', page.text)

    def test_other_tutors_trainees_and_attackers_are_refused(self):
        for login in ('tutrice.autre', 'stagiaire', 'gestionnaire.certif'):
            self.login(login)
            for url in self._urls(self.ids['session'], self.ids['lambert']):
                self.assertRefused(self.get(url), 'hugo.lambert@example.fr',
                                   'LAMBERT')
        # the tutor of a session, given another session's or trainee's id
        self.authenticate('tuteur', 'tuteur')
        for url in self._urls(self.ids['other'], self.ids['lambert']):
            self.assertRefused(self.get(url))
        self.assertRefused(self.get('/my/training/session/%d/trainee/%d' % (
            self.ids['session'], self.ids['lea'])), 'MOREAU')

    # ---------------------------------------------------------- contact
    def test_tutor_completes_a_trainee_s_contact_details(self):
        """Manual 004 (8): the e-mail and phones of a trainee, with the
        trainees' checks and formatting."""
        self.authenticate('tuteur', 'tuteur')
        url = '/my/training/session/%d/trainee/%d' % (
            self.ids['session'], self.ids['chevalier'])
        token = self._token(url)
        refused = self.url_open(url, data={
            'email': 'lucas.chevalier@example.fr', 'phone': '12',
            'mobile': '', 'csrf_token': token}, timeout=60)
        self.assertIn('o_training_contact_error', refused.text)
        with self.server_env() as env:
            chevalier = env['res.partner'].browse(self.ids['chevalier'])
            self.assertFalse(chevalier.email)
        saved = self.url_open(url, data={
            'email': ' lucas.chevalier@example.fr ', 'phone': '0645238910',
            'mobile': '+33 7 81 00 00 01', 'csrf_token': token}, timeout=60)
        self.assertTrue(saved.url.endswith('?saved=%d' % self.ids[
            'chevalier']), saved.url)
        self.assertIn('o_training_contact_saved', saved.text)
        with self.server_env() as env:
            chevalier = env['res.partner'].browse(self.ids['chevalier'])
            self.assertEqual(
                (chevalier.email, chevalier.phone, chevalier.mobile),
                ('lucas.chevalier@example.fr', '06 45 23 89 10',
                 '07 81 00 00 01'))

    def test_contact_of_another_s_trainee_refused_over_json_rpc(self):
        self.authenticate('tuteur', 'tuteur')
        answer = self.call('res.partner', 'tutor_update_contact',
                           [[self.ids['lea']], {'email': 'x@example.fr'}])
        self.assertIn('error', answer)
        answer = self.call('res.partner', 'tutor_update_contact',
                           [[self.ids['chevalier']],
                            {'email': 'lucas@example.fr', 'name': 'Pirate'}])
        self.assertNotIn('error', answer)
        with self.server_env() as env:
            lea = env['res.partner'].browse(self.ids['lea'])
            chevalier = env['res.partner'].browse(self.ids['chevalier'])
            self.assertNotEqual(lea.email, 'x@example.fr')
            # only the contact fields are written
            self.assertEqual(chevalier.email, 'lucas@example.fr')
            self.assertNotEqual(chevalier.name, 'Pirate')

    # -------------------------------------------------------- directory
    def test_trainer_sees_the_directory_only(self):
        """Manual 004 (4): a trainer of the session sees the trainees who
        agreed to appear in the directory, and only them."""
        self.authenticate('formateur', 'formateur')
        base = '/my/training/session/%d' % self.ids['session']
        page = self.get(base)
        self.assertEqual(page.status_code, 200)
        self.assertIn('hugo.lambert@example.fr', page.text)
        self.assertIn('o_training_directory_%d' % self.ids['chevalier'],
                      page.text)
        self.assertNotIn('ines.garnier@example.fr', page.text)
        self.assertNotIn('o_training_complete_', page.text)
        registrants = self.get(base + '/registrants')
        self.assertPdf(registrants, 'hugo.lambert@example.fr')
        self.assertNotIn('ines.garnier@example.fr', registrants.text)
        self.assertNotIn('GARNIER', registrants.text)
        self.assertRefused(self.get(base + '/trainee/%d' % self.ids[
            'chevalier']))

    def test_trainee_sees_the_directory_of_their_session(self):
        self.login(self.ids['lambert_login'])
        page = self.get('/my/training/registration/%d' % self.ids[
            'registration'])
        self.assertEqual(page.status_code, 200)
        self.assertIn('o_training_directory_%d' % self.ids['chevalier'],
                      page.text)
        self.assertNotIn('ines.garnier@example.fr', page.text)
        self.assertNotIn('o_training_directory_%d' % self.ids['garnier'],
                         page.text)
        registrants = self.get('/my/training/registration/%d/registrants'
                               % self.ids['registration'])
        self.assertPdf(registrants, 'hugo.lambert@example.fr',
                       'o_training_directory_only')
        self.assertNotIn('GARNIER', registrants.text)
        # another trainee's registration
        self.authenticate('stagiaire', 'stagiaire')
        self.assertRefused(self.get(
            '/my/training/registration/%d/registrants' % self.ids[
                'registration']), 'LAMBERT')

    # ------------------------------------------------- draft sessions
    def test_trainee_follows_an_unpublished_session(self):
        """Manual 004 (9): the sessions are never published; an enrolled
        trainee sees their registration, planning and the tutor's comments
        all the same; the catalogue still shows published sessions only."""
        with self.server_env() as env:
            session = env['training.session'].browse(self.ids['session'])
            session.publication_state = 'draft'
            line = session.registration_ids.filtered(
                lambda reg: reg.id == self.ids['registration']
            ).attendance_ids[:1]
            line.write({'state': 'absent',
                        'comment': 'Prévenir le tuteur en cas d\'absence'})
        self.login(self.ids['lambert_login'])
        self.assertIn('/my/training/registration/%d' % self.ids[
            'registration'], self.get('/my/training').text)
        page = self.get('/my/training/registration/%d' % self.ids[
            'registration'])
        self.assertEqual(page.status_code, 200)
        self.assertIn('Atelier 1', page.text)
        self.assertIn('Prévenir le tuteur', page.text)
        catalogue = self.get('/my/training/catalogue')
        self.assertNotIn('session_id" value="%d"' % self.ids['session'],
                         catalogue.text)


class TestDocumentationPortal(SessionPortalCase):
    """Manual 004 (12), from the portal: the tutors' folders and Envoi
    documentation."""

    def setUp(self):
        super(TestDocumentationPortal, self).setUp()
        with self.server_env() as env:
            guide = env.ref(DEMO % 'attachment_guide_entretien_demo')
            # another trainee's convocation: not a folder document
            registration = env.ref(
                DEMO % 'training_registration_management_2_demo')
            foreign = env['ir.attachment'].create({
                'name': 'convocation-secrete.pdf',
                'datas_fname': 'convocation-secrete.pdf',
                'datas': 'JVBERi0xLjQK', 'res_model': 'training.registration',
                'res_id': registration.id})
            self.ids.update({'guide': guide.id, 'foreign': foreign.id,
                             'job': last_job(env),
                             'mails': env['mail.mail'].search(
                                 [], order='id desc', limit=1).id or 0})

    def _new_mails(self, env):
        run_jobs(env, after=self.ids['job'])
        return env['mail.mail'].search([('id', '>', self.ids['mails'])])

    def _send(self, data, files=None):
        """POST the documentation form, files as multipart."""
        return self.post('/my/training/session/%d/documentation'
                         % self.ids['session'], data, files=files)

    def test_tutor_downloads_the_folders_documents(self):
        self.authenticate('tuteur', 'tuteur')
        base = '/my/training/session/%d' % self.ids['session']
        page = self.get(base)
        self.assertIn('o_training_folder_document_%d' % self.ids['guide'],
                      page.text)
        document = self.get(base + '/document/%d' % self.ids['guide'])
        self.assertEqual(document.status_code, 200)
        self.assertTrue(document.content.startswith(b'%PDF'))
        # another file's id, through the folders' route
        refused = self.get(base + '/document/%d' % self.ids['foreign'])
        self.assertTrue(refused.url.endswith(base), refused.url)
        self.assertNotIn(b'convocation-secrete', refused.content)
        # not for the trainers, nor another session's tutor
        self.authenticate('formateur', 'formateur')
        self.assertNotIn('o_training_folder_document_', self.get(base).text)
        self.assertRefused(self.get(base + '/document/%d' % self.ids[
            'guide']))
        self.assertRefused(self.get(base + '/documentation'))
        self.login('tutrice.autre')
        self.assertRefused(self.get(base + '/document/%d' % self.ids[
            'guide']))

    def test_tutor_sends_the_documentation(self):
        self.authenticate('tuteur', 'tuteur')
        form = self.get('/my/training/session/%d/documentation' % self.ids[
            'session'])
        self.assertIn('hugo.lambert@example.fr', form.text)
        self.assertIn('o_training_documentation_missing', form.text)
        self.assertIn('CHEVALIER', form.text)
        sent = self._send({
            'subject': 'Documents de l\'atelier 3',
            'text': 'Bonjour,\nVoici le guide.\nMarc',
            'document_id': [str(self.ids['guide']),
                            str(self.ids['foreign'])],
        }, files={'upload': ('fiche-metier.pdf', b'%PDF-1.4 fiche',
                             'application/pdf')})
        self.assertTrue(sent.url.endswith('?sent=1'), sent.url)
        with self.server_env() as env:
            mails = self._new_mails(env)
            lambert = env['res.partner'].browse(self.ids['lambert'])
            to_lambert = mails.filtered(
                lambda mail: mail.recipient_ids == lambert)
            self.assertEqual(len(to_lambert), 1)
            self.assertIn(lambert.user_ids[:1].login, to_lambert.body_html)
            self.assertIn('Voici le guide.', to_lambert.body_html)
            self.assertEqual(
                sorted(to_lambert.attachment_ids.mapped('name')),
                ["Guide de l'entretien d'embauche.pdf", 'fiche-metier.pdf'])
            # each trainee with an e-mail, and the copy to the tutor
            tutor = env.ref(DEMO % 'partner_training_tutor_demo')
            copy = mails.filtered(lambda mail: mail.recipient_ids == tutor)
            self.assertEqual(len(mails), 3)
            self.assertIn('ines.garnier@example.fr', copy.body_html)
            self.assertIn('CHEVALIER', copy.body_html)
            self.assertNotIn('password', to_lambert.body_html.lower())

    def test_over_two_megabytes_refused_with_the_total(self):
        self.authenticate('tuteur', 'tuteur')
        refused = self._send({'subject': 'Trop lourd', 'text': 'Bonjour'},
                             files={'upload': ('gros.pdf', b'0' * (
                                 2 * 1024 * 1024 + 10), 'application/pdf')})
        self.assertIn('o_training_documentation_error', refused.text)
        self.assertIn('2.00', refused.text)
        with self.server_env() as env:
            self.assertFalse(self._new_mails(env))
            self.assertFalse(env['ir.attachment'].search(
                [('name', '=', 'gros.pdf')]))

    def test_trainees_and_other_tutors_cannot_send(self):
        for login in ('tutrice.autre', 'stagiaire'):
            self.login(login)
            self.assertRefused(self.get(
                '/my/training/session/%d/documentation' % self.ids[
                    'session']), 'hugo.lambert@example.fr')
        # over JSON-RPC, the model's door is the tutors' only
        self.login('tutrice.autre')
        answer = self.call('training.documentation.wizard', 'portal_send',
                           [self.ids['session'], 'X', 'Y'])
        self.assertIn('error', answer)
        with self.server_env() as env:
            self.assertFalse(self._new_mails(env))

    def test_markup_uploads_refused(self):
        """A page or an SVG would run in the back office's browsers: only
        documents and images are sent."""
        self.authenticate('tuteur', 'tuteur')
        for name in ('x.html', 'y.svg', 'z'):
            refused = self._send({'subject': 'X', 'text': 'Bonjour'}, files={
                'upload': (name, b'<script>alert(1)</script>',
                           'text/html')})
            self.assertIn('o_training_documentation_error', refused.text)
        with self.server_env() as env:
            self.assertFalse(self._new_mails(env))
            self.assertFalse(env['ir.attachment'].search(
                [('name', 'in', ('x.html', 'y.svg', 'z'))]))

    def test_what_rpc_gives_to_others(self):
        """Over JSON-RPC: no wizard on another's session, no contact of
        another's trainee, no directory of another session, nobody else's
        enrolments."""
        self.login('tutrice.autre')
        for model, method, args in (
                ('training.documentation.wizard', 'create', [{
                    'session_id': self.ids['session'], 'subject': 'x',
                    'body': '<p>x</p>'}]),
                ('training.contact.wizard', 'create', [{
                    'partner_id': self.ids['garnier']}]),
                ('training.session', 'directory_registrations',
                 [[self.ids['session']]])):
            self.assertIn('error', self.call(model, method, args), method)
        self.login(self.ids['lambert_login'])
        found = self.call('training.session', 'search', [[
            ('enrolled_partner_ids', '=', self.ids['garnier'])]])
        self.assertEqual(found['result'], [])
        found = self.call('training.session', 'search', [[
            ('enrolled_partner_ids', '=', self.ids['lambert'])]])
        self.assertIn(self.ids['session'], found['result'])


class TestOrganisationOnThePortal(PortalCase):
    """Issue 17: the portal shows the training organisation, not Odoo's
    stock words."""

    def test_footer_shows_the_organisation(self):
        with self.server_env() as env:
            company = env.ref('base.main_company')
            company.write({'name': 'FormaPro Conseil', 'city': 'Lyon'})
            company.partner_id.write({
                'siret': '84211372200016',
                'training_activity_number': '84691234569'})
        self.authenticate('stagiaire', 'stagiaire')
        page = self.get('/my').text
        self.assertIn('FormaPro Conseil', page)
        self.assertIn('84211372200016', page)
        self.assertIn('84691234569', page)
        self.assertIn('o_training_footer_identity', page)
        self.assertNotIn('YourCompany', page)
        self.assertNotIn('disruptive products', page)
        self.assertNotIn('produits innovants', page)
