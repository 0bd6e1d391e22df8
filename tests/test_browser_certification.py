# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A certification session's three steps on the portal (manual 003, issue
14) in Chromium, by the demo users, who are portal users (the trainer has
back-office access too), on a phone: no page may scroll sideways there, nor
the list, the trainer's check and the downloads at a desktop's size."""
from .common import BrowserCase
from .test_certification_portal import FAKE_PDFS

DEMO = 'training_session.%s'
PHONE = {'width': 390, 'height': 844}
DESKTOP = 1400  # lib.js
# the pages the scenario visits, each checked not to scroll sideways: at
# the phone's width, and some at a desktop's too
SESSION = '/my/training/certification/%(session_id)d'
VISITED = [
    '/my', '/my/training/certifications', '/my/training/certification/new',
    SESSION + '?tab=trainer', SESSION + '?saved=1&tab=trainer',
    (DESKTOP, SESSION + '?saved=1&tab=trainer'), SESSION + '?tab=candidates',
    SESSION + '?saved=1&tab=candidates', SESSION + '?saved=1&tab=candidates',
    SESSION + '?tab=candidates&edit=%(kept_id)d',
    SESSION + '?saved=1&tab=candidates', SESSION + '?saved=1&tab=candidates',
    SESSION + '?tab=session', SESSION + '?saved=1&tab=session',
    # the trainer
    SESSION, SESSION + '?saved=1',
    # the manager
    '/my/training/certifications',
    (DESKTOP, '/my/training/certifications'), SESSION,
    SESSION + '?tab=downloads', SESSION + '?saved=1&tab=downloads',
    (DESKTOP, SESSION + '?saved=1&tab=downloads'), '/my/training/entity']


class TestEntityPortalBrowser(BrowserCase):
    """The entity's delegate enters a session, the trainer sends the
    results, the entity's manager generates the certificates."""

    def test_three_steps_on_a_phone(self):
        with self.server_env() as env:
            delegate = env['res.users'].search(
                [('login', '=', 'delegataire')])
            today = env['training.certification.session'].sudo(
                delegate)._today()
            params = {
                'scheme_id': env.ref(
                    DEMO % 'training_certification_scheme_sst_demo').id,
                'certificate_type_id': env.ref(
                    DEMO % 'training_certificate_type_sst_demo').id,
            }
        with FAKE_PDFS:  # the server's thread is in this process
            result = self.browser_run(
                'portal_certification', viewport=PHONE, shots={
                    'session': 'portal-entity-session-phone',
                    'my_entity': 'portal-entity-my-entity-phone',
                    'list': 'portal-entity-list',
                    'trainer_check': 'portal-entity-trainer-check',
                    'downloads': 'portal-entity-downloads'},
                delegate='delegataire', manager='gestionnaire.certif',
                date_end=str(today), zip='69002', city='Lyon',
                trainer={'login': 'formateur.certif', 'lastname': 'Garnier',
                         'firstname': 'Stephanie',
                         'birthdate': '1981-09-12'},
                candidates=[
                    {'lastname': 'Roux', 'firstname': 'camile',
                     'birthdate': '1990-02-03'},
                    {'lastname': 'Petit', 'firstname': 'Louis',
                     'birthdate': '1988-11-20'}],
                correction={'firstname': 'Camille',
                            'email': 'camille.roux@example.fr'},
                **params)
        self.assertIn('Garnier', result['trainer_check'])
        self.assertEqual(result['candidates_left'], 1)
        self.assertEqual(result['habilitations'], 2)
        self.assertEqual(result['file_type'], 'application/pdf')
        self.assertEqual(result['file_start'], '%PDF-')
        self.assertEqual(result['checked'], [
            '%d %s' % (page if isinstance(page, tuple) else (
                PHONE['width'], page)) % result for page in VISITED])
        with self.server_env() as env:
            session = env['training.certification.session'].browse(
                result['session_id'])
            self.assertEqual(session.name, result['number'])
            self.assertEqual(session.state, 'generated')
            self.assertEqual(session.user_id.login, 'delegataire')
            self.assertEqual((session.date_end, session.place_zip,
                              session.place_city, session.training_kind),
                             (str(today), '69002', 'Lyon', 'initial'))
            self.assertEqual(session.trainer_id, env.ref(
                DEMO % 'partner_certification_trainer_demo'))
            candidate = session.candidate_ids
            self.assertEqual(candidate.id, result['kept_id'])
            self.assertEqual(
                (candidate.lastname, candidate.firstname, candidate.email,
                 candidate.result),
                ('ROUX', 'Camille', 'camille.roux@example.fr', 'pass'))
            certificate = session.certificate_ids
            self.assertEqual(len(certificate), 1)
            self.assertEqual(certificate.candidate_id, candidate)
            self.assertEqual(result['certificates'], [
                '%s — %s' % (certificate.name, candidate.display_name)])
