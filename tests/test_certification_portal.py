# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The certification entity's side of manual 003 on the portal (issue 14),
over HTTP as the demo users, who are portal users: the delegate enters a
session (step 1), the trainer records the results (step 2), the entity
generates and downloads the certificates (step 3); every route refuses
another entity's user, a delegate on a colleague's session, a trainer, a
trainee and an anonymous visitor; an entity user reads no contact, user,
message nor mail beyond their own."""
import datetime
import re
from unittest import mock

from odoo import fields

from .common import BrowserCase

DEMO = 'training_session.%s'
# Over HTTP, the test server's cursor makes Odoo 11 print reports as HTML:
# the PDFs of the certificates are faked here (test_certificate prints
# them for real)
FAKE_PDFS = mock.patch(
    'odoo.addons.training_session.models.training_certificate.'
    'TrainingCertificate._render_pdfs',
    autospec=True, side_effect=lambda certificates: (
        b'%PDF-1.4 all', [b'%PDF-1.4 one'] * len(certificates)))
LIST = '/my/training/certifications'
PAGE = '/my/training/certification/%d'


class EntityPortalCase(BrowserCase):

    def setUp(self):
        super(EntityPortalCase, self).setUp()
        today = datetime.date.today()
        with self.server_env() as env:
            ref = env.ref
            entity = ref(DEMO % 'partner_organisation_secours_demo')
            self.ids = {
                'entity': entity.id,
                'draft': ref(DEMO % (
                    'training_certification_session_draft_demo')).id,
                'trainer_step': ref(DEMO % (
                    'training_certification_session_trainer_demo')).id,
                'sst': ref(DEMO % 'training_certification_scheme_sst_demo').id,
                'sst_type': ref(
                    DEMO % 'training_certificate_type_sst_demo').id,
                'trainer': ref(DEMO % 'partner_certification_trainer_demo').id,
            }
            self.names = {
                key: env['training.certification.session'].browse(
                    self.ids[key]).name for key in ('draft', 'trainer_step')}
            # another entity, habilitated too, with a delegate and a session
            other = env['res.partner'].create(
                {'name': 'Prévention Sud', 'is_company': True})
            env['training.habilitation'].create({
                'entity_id': other.id, 'scheme_id': self.ids['sst'],
                'date_from': fields.Date.to_string(
                    today - datetime.timedelta(days=30)),
                'date_to': fields.Date.to_string(
                    today + datetime.timedelta(days=700))})
            foreign = env['res.users'].create({
                'name': 'Luc Sud', 'login': 'delegue.sud',
                'password': 'delegue.sud', 'email': 'luc@sud.example.fr',
                'certification_entity_id': other.id,
                'groups_id': [(6, 0, [ref(
                    DEMO % 'group_training_session_certification_delegate'
                ).id])]})
            foreign.partner_id.parent_id = other
            session = env['training.certification.session'].sudo(
                foreign).create({
                    'scheme_id': self.ids['sst'],
                    'certificate_type_id': self.ids['sst_type'],
                    'place_zip': '13001', 'place_city': 'Marseille',
                    'date_end': fields.Date.to_string(today)})
            self.ids['foreign'] = session.id
            self.names['foreign'] = session.name
            self.today = fields.Date.to_string(today)

    # ------------------------------------------------------------ helpers
    def get(self, url):
        return self.url_open(url, timeout=60)

    def post(self, url, data, page=None):
        """POST ``data`` to ``url`` with the CSRF token of ``page`` (the
        page at ``url`` by default)."""
        form = self.get(page or url)
        # a form's token, or the one every page gives its scripts
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text) \
            or re.search(r'csrf_token: "([^"]+)"', form.text)
        self.assertTrue(token, 'no form at %s (%s)' % (page or url,
                                                       form.url))
        return self.url_open(url, data=dict(data, csrf_token=token.group(1)),
                             timeout=60)

    def _cert(self, env, key_or_id):
        return env['training.certification.session'].browse(
            self.ids.get(key_or_id, key_or_id))

    def assertRefused(self, response, *secrets):
        """Sent away (the list, /my or the login page), showing nothing of
        the record."""
        self.assertTrue(response.history, 'not redirected: %s' % response.url)
        self.assertTrue(re.search(
            r'/my(/training/certifications)?$|/web/login', response.url),
            response.url)
        for secret in secrets:
            self.assertNotIn(secret, response.text)

    def assertError(self, response, text=None):
        self.assertEqual(response.status_code, 200)
        self.assertIn('o_training_entity_error', response.text)
        if text:
            self.assertIn(text, response.text)


class TestEntityPortal(EntityPortalCase):

    def test_entity_users_are_portal_users(self):
        with self.server_env() as env:
            for login in ('delegataire', 'gestionnaire.certif'):
                user = env['res.users'].search([('login', '=', login)])
                self.assertTrue(user.share, login)
                self.assertFalse(user.has_group('base.group_user'), login)
                self.assertTrue(user.has_group('base.group_portal'), login)
        # no back office for them
        self.authenticate('delegataire', 'delegataire')
        self.assertIn('error=access', self.get('/web').url)

    def test_lists_of_the_delegate_and_the_manager(self):
        self.authenticate('delegataire', 'delegataire')
        page = self.get(LIST)
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.names['draft'], page.text)
        # declared by the manager, a colleague: not the delegate's
        self.assertNotIn(self.names['trainer_step'], page.text)
        self.assertNotIn(self.names['foreign'], page.text)
        self.assertIn('href="/my/training/certification/new"', page.text)
        self.authenticate('gestionnaire.certif', 'gestionnaire.certif')
        page = self.get(LIST)
        self.assertIn(self.names['draft'], page.text)
        self.assertIn(self.names['trainer_step'], page.text)
        self.assertNotIn(self.names['foreign'], page.text)

    def test_the_three_steps(self):
        self.authenticate('delegataire', 'delegataire')
        # step 1: the session, created on its Session tab
        missing = self.post('/my/training/certification/new', {
            'scheme_id': str(self.ids['sst']), 'place_zip': '69002'})
        self.assertError(missing)
        created = self.post('/my/training/certification/new', {
            'scheme_id': str(self.ids['sst']),
            'certificate_type_id': str(self.ids['sst_type']),
            'training_kind': 'refresher', 'date_end': self.today,
            'place_zip': '69002', 'place_city': 'Lyon'})
        match = re.search(r'/my/training/certification/(\d+)\?tab=trainer',
                          created.url)
        self.assertTrue(match, created.url)
        url = PAGE % int(match.group(1))
        # the trainer: nobody with this number, then found by name without
        # the accents; each check's outcome shown
        page = self.post(url, {
            'action': 'check_trainer',
            'trainer_national_number': 'FP0000000'},
            page=url + '?tab=trainer')
        self.assertIn('alert-warning o_training_entity_trainer_check',
                      page.text)
        page = self.post(url, {
            'action': 'check_trainer', 'trainer_lastname': 'garnier',
            'trainer_firstname': 'Stephanie',
            'trainer_birthdate': '1981-09-12'}, page=url + '?tab=trainer')
        self.assertIn('tab=trainer', page.url)
        self.assertIn('alert-success o_training_entity_trainer_check',
                      page.text)
        # candidates added, corrected, removed; the required ones checked
        page = self.post(url, {'action': 'add_candidate', 'lastname': 'Roux',
                               'firstname': 'Camille'},
                         page=url + '?tab=candidates')
        self.assertError(page)
        for name in ('Roux', 'Petit'):
            self.post(url, {'action': 'add_candidate', 'lastname': name,
                            'firstname': 'camille', 'birthdate': '1990-02-03',
                            'email': ''}, page=url + '?tab=candidates')
        with self.server_env() as env:
            session = env['training.certification.session'].browse(
                int(match.group(1)))
            roux, petit = session.candidate_ids.sorted('lastname')[::-1]
            self.assertEqual((roux.lastname, roux.firstname),
                             ('ROUX', 'Camille'))
            self.assertEqual(session.trainer_id.id, self.ids['trainer'])
            self.assertEqual(session.training_kind, 'refresher')
            roux_id, petit_id = roux.id, petit.id
        self.post(url, {'action': 'save_candidate', 'candidate_id': roux_id,
                        'lastname': 'Roux', 'firstname': 'Camille',
                        'birthdate': '1990-02-03',
                        'email': 'camille.roux@example.fr'},
                  page=url + '?tab=candidates&edit=%d' % roux_id)
        self.post(url, {'action': 'remove_candidate',
                        'candidate_id': petit_id},
                  page=url + '?tab=candidates')
        page = self.post(url, {'action': 'submit'})
        with self.server_env() as env:
            session = env['training.certification.session'].browse(
                int(match.group(1)))
            self.assertEqual(session.state, 'trainer_validation')
            self.assertEqual(session.candidate_ids.mapped('email'),
                             ['camille.roux@example.fr'])
            session_id, number = session.id, session.name
            candidate_id = session.candidate_ids.id
        # no more changes by the entity now
        page = self.post(url, {'action': 'save_session',
                               'place_city': 'Valence'})
        self.assertError(page)
        # step 2: the trainer's page
        self.authenticate('formateur.certif', 'formateur.certif')
        self.post(url, {'result_%d' % candidate_id: 'pass',
                        'action': 'send'})
        # step 3: generate, then download all, and one
        self.authenticate('delegataire', 'delegataire')
        page = self.get(url + '?tab=downloads')
        self.assertIn('o_training_entity_generate', page.text)
        with FAKE_PDFS:
            page = self.post(url, {'action': 'generate'},
                             page=url + '?tab=downloads')
        self.assertIn('o_training_entity_download_all', page.text)
        with self.server_env() as env:
            session = env['training.certification.session'].browse(
                session_id)
            self.assertEqual(session.state, 'generated')
            certificate_id = session.certificate_ids.id
        whole = self.get(url + '/certificates')
        self.assertEqual(whole.headers['Content-Type'], 'application/pdf')
        self.assertTrue(whole.content.startswith(b'%PDF'))
        one = self.get(url + '/certificate/%d' % certificate_id)
        self.assertTrue(one.content.startswith(b'%PDF'))
        # nobody else downloads them; the session can no longer be deleted
        self.login('delegue.sud')
        self.assertRefused(self.get(url + '/certificates'))
        self.assertRefused(self.get(url + '/certificate/%d' %
                                    certificate_id))
        self.authenticate('delegataire', 'delegataire')
        page = self.post(url, {'action': 'delete'})
        self.assertError(page)
        self.assertIn(number, self.get(LIST).text)

    def test_generation_from_the_end_date_and_the_return_comment(self):
        with self.server_env() as env:
            session = self._cert(env, 'draft')
            end = fields.Date.from_string(session.date_end)
            session.sudo().action_check_trainer()
            session.sudo().action_submit()
            session.sudo(session.trainer_id.user_ids[0]).write(
                {'return_comment': 'Date de naissance de Mme Faure ?'})
            session.sudo(session.trainer_id.user_ids[0]).action_return()
        url = PAGE % self.ids['draft']
        self.authenticate('delegataire', 'delegataire')
        page = self.get(url)
        self.assertIn('o_training_entity_return_comment', page.text)
        self.assertIn('Date de naissance de Mme Faure ?', page.text)
        self.post(url, {'action': 'submit'})
        page = self.get(url)
        self.assertNotIn('o_training_entity_return_comment', page.text)
        with self.server_env() as env:
            session = self._cert(env, 'draft')
            trainer = session.trainer_id.user_ids[0]
            session.sudo(trainer).portal_trainer_step(
                {cand.id: 'pass' for cand in session.candidate_ids},
                action='send')
        page = self.get(url + '?tab=downloads')
        self.assertIn('o_training_entity_generate_from', page.text)
        self.assertIn(end.strftime('%d/%m/%Y'), page.text)
        self.assertNotIn('value="generate"', page.text)
        page = self.post(url, {'action': 'generate'},
                         page=url + '?tab=downloads')
        self.assertError(page, end.strftime('%d/%m/%Y'))
        # modify: back to entry
        self.post(url, {'action': 'modify'}, page=url + '?tab=downloads')
        with self.server_env() as env:
            self.assertEqual(self._cert(env, 'draft').state, 'draft')

    def test_delete_until_the_certificates_exist(self):
        self.authenticate('delegataire', 'delegataire')
        url = PAGE % self.ids['draft']
        page = self.post(url, {'action': 'delete'})
        self.assertTrue(page.url.endswith(LIST), page.url)
        with self.server_env() as env:
            self.assertFalse(self._cert(env, 'draft').exists())

    def test_my_entity(self):
        self.authenticate('gestionnaire.certif', 'gestionnaire.certif')
        with self.server_env() as env:
            schemes = env['training.habilitation'].search([
                ('entity_id', '=', self.ids['entity'])]).mapped(
                'scheme_id.display_name')
        self.assertEqual(len(schemes), 2)
        page = self.get('/my/training/entity')
        self.assertEqual(page.status_code, 200)
        for scheme in schemes:
            self.assertIn(scheme, page.text)
        self.assertIn('Vénissieux', page.text)
        self.assertIn('o_training_entity_habilitations', page.text)
        self.assertNotIn('Prévention Sud', page.text)
        self.authenticate('stagiaire', 'stagiaire')
        self.assertRefused(self.get('/my/training/entity'))


class TestEntityPortalRefusals(EntityPortalCase):

    def _try_everything(self, key, login=None):
        """Every route of the session ``key``, read and written, as the
        current caller: refused, and nothing changed."""
        url = PAGE % self.ids[key]
        for path in ('', '?tab=candidates', '?tab=downloads',
                     '/certificates'):
            self.assertRefused(self.get(url + path), self.names[key])
        for action in ('save_session', 'submit', 'delete', 'add_candidate',
                       'generate'):
            response = self.post(url, {
                'action': action, 'place_city': 'Piraté', 'lastname': 'X',
                'firstname': 'Y', 'birthdate': '1990-01-01'}, page='/my')
            if response.status_code == 200:
                self.assertNotIn(self.names[key], response.text)
        with self.server_env() as env:
            session = self._cert(env, key)
            self.assertTrue(session.exists(), (key, login))
            self.assertNotEqual(session.place_city, 'Piraté')
            self.assertNotIn('X', session.candidate_ids.mapped('lastname'))

    def test_another_entity_s_user(self):
        self.login('delegue.sud')
        self._try_everything('draft', 'delegue.sud')
        self._try_everything('trainer_step', 'delegue.sud')

    def test_a_delegate_on_a_colleague_s_session(self):
        self.authenticate('delegataire', 'delegataire')
        self._try_everything('trainer_step', 'delegataire')
        self._try_everything('foreign', 'delegataire')

    def test_a_platform_of_another_entity(self):
        with self.server_env() as env:
            other = self._cert(env, 'foreign').entity_id
            platform = env['res.partner'].create({
                'name': 'Plateau Sud', 'parent_id': other.id, 'type': 'other',
                'is_teaching_platform': True, 'zip': '13016',
                'city': 'Marseille'})
            platform_id = platform.id
        self.authenticate('delegataire', 'delegataire')
        url = PAGE % self.ids['draft']
        page = self.post(url, {
            'action': 'save_session', 'scheme_id': str(self.ids['sst']),
            'certificate_type_id': str(self.ids['sst_type']),
            'training_kind': 'initial', 'date_end': self.today,
            'platform_id': str(platform_id), 'place_zip': '69002',
            'place_city': 'Lyon'})
        self.assertError(page)
        self.assertNotIn('Plateau Sud', page.text)
        with self.server_env() as env:
            self.assertNotEqual(self._cert(env, 'draft').place_zip, '13016')

    def test_a_trainer_a_trainee(self):
        for login in ('formateur', 'stagiaire'):
            self.authenticate(login, login)
            self._try_everything('draft', login)
            self.assertRefused(self.get('/my/training/certification/new'))

    def test_an_anonymous_visitor(self):
        for path in (LIST, PAGE % self.ids['draft'],
                     '/my/training/certification/new', '/my/training/entity',
                     PAGE % self.ids['draft'] + '/certificates'):
            response = self.get(path)
            self.assertIn('/web/login', response.url, path)
            self.assertNotIn(self.names['draft'], response.text)


class TestEntityReadsItsOwn(EntityPortalCase):
    """What an entity user reads through JSON-RPC, as an attacker would."""

    def test_contacts_users_messages_and_mails(self):
        with self.server_env() as env:
            session = self._cert(env, 'draft')
            session.sudo().action_check_trainer()
            entity = env['res.partner'].browse(self.ids['entity'])
            allowed = set(env['res.partner'].search([
                ('id', 'child_of', entity.id)]).ids) | {self.ids['trainer']}
            delegate = env['res.users'].search(
                [('login', '=', 'delegataire')])
            total = env['res.partner'].search_count([])
            foreign = env['res.users'].search(
                [('login', '=', 'delegue.sud')]).partner_id.id
            messages = env['mail.message'].search(
                [('author_id', '!=', delegate.partner_id.id)]).ids
            mails = env['mail.mail'].search([]).ids
        self.authenticate('delegataire', 'delegataire')
        answer = self.call('res.partner', 'search_read', [[]],
                           {'fields': ['name', 'email', 'phone']})
        found = {row['id'] for row in answer['result']}
        self.assertTrue(found)
        self.assertLessEqual(found, allowed)
        self.assertLess(len(found), total)
        self.assertIn(self.ids['trainer'], found)
        answer = self.call('res.users', 'search_read', [[]],
                           {'fields': ['login', 'email']})
        self.assertEqual([row['login'] for row in answer['result']],
                         ['delegataire'])
        answer = self.call('mail.message', 'search_read',
                           [[('id', 'in', messages)]], {'fields': ['body']})
        self.assertFalse(answer['result'])
        answer = self.call('mail.mail', 'search_read',
                           [[('id', 'in', mails)]], {'fields': ['body_html']})
        self.assertFalse(answer['result'])
        # another entity's delegate is no contact of theirs
        answer = self.call('res.partner', 'read', [[foreign], ['email']])
        self.assertIn('error', answer)
        self.assertNotIn('luc@sud', str(answer))
