# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Signing on the portal (issue 17), over HTTP as the demo users and as
attackers: the trainee's signing page, the QR code's link, the trainer's
countersignature."""
from .common import PortalCase, portal_trainee_login
from .test_signature import at, drawn_png

DEMO = 'training_session.%s'


class SigningCase(PortalCase):
    """A slot of the demo's trainer happening now, with Léa (`stagiaire`)
    and Hugo Lambert (a portal user made here) enrolled."""

    def setUp(self):
        super(SigningCase, self).setUp()
        with self.server_env() as env:
            ref = env.ref
            trainer = ref(DEMO % 'partner_training_trainer_demo')
            lea = ref(DEMO % 'partner_training_trainee_demo')
            lambert = ref(DEMO % 'partner_trainee_lambert_demo')
            session = env['training.session'].create({
                'name': 'Sauveteur secouriste du travail',
                'publication_state': 'published'})
            sequence = env['training.sequence'].create({
                'session_id': session.id, 'name': 'Journée 1'})
            slot = env['training.slot'].create({
                'sequence_id': sequence.id, 'date_start': at(-10),
                'date_end': at(110),
                'trainer_ids': [(6, 0, trainer.ids)]})
            lines = {}
            for partner in (lea, lambert):
                registration = env['training.registration'].create({
                    'session_id': session.id, 'partner_id': partner.id,
                    'state': 'confirmed'})
                lines[partner.id] = registration.attendance_ids.id
            other_slot = env.ref(DEMO % 'training_slot_management_1_1_demo')
            self.ids = {
                'slot': slot.id, 'lea_line': lines[lea.id],
                'lambert_line': lines[lambert.id],
                'lambert_login': portal_trainee_login(env, lambert),
                'token': slot.signing_token(),
                'other_slot': other_slot.id,
                'other_token': other_slot.signing_token(),
            }


class TestSigningPortal(SigningCase):

    def test_trainee_signs_from_the_qr_code(self):
        self.authenticate('stagiaire', 'stagiaire')
        page = self.get('/my/training/sign/%d/%s' % (self.ids['slot'],
                                                     self.ids['token']))
        url = '/my/training/attendance/%d/sign' % self.ids['lea_line']
        self.assertTrue(page.url.endswith(url), page.url)
        self.assertIn('o_training_signature_pad', page.text)
        signed = self.post(url, {
            'signature': 'data:image/png;base64,' + drawn_png().decode()})
        self.assertIn('?signed=%d' % self.ids['lea_line'], signed.url)
        self.assertIn('o_training_signed_line', signed.text)
        with self.server_env() as env:
            line = env['training.attendance'].browse(self.ids['lea_line'])
            self.assertEqual(line.state, 'present')
            self.assertEqual(line.signed_ip, '127.0.0.1')
            self.assertTrue(line.signed_user_agent)
            self.assertEqual(line.signed_by_id.login, 'stagiaire')

    def test_links_and_lines_of_others_refused(self):
        self.authenticate('stagiaire', 'stagiaire')
        # another trainee's line, a forged or another slot's token
        self.assertRefused(self.get('/my/training/attendance/%d/sign' % (
            self.ids['lambert_line'])))
        self.assertRefused(self.get('/my/training/sign/%d/%s' % (
            self.ids['slot'], '20991231000000-' + '0' * 64)))
        self.assertRefused(self.get('/my/training/sign/%d/%s' % (
            self.ids['slot'], self.ids['other_token'])))
        # over JSON-RPC: another's line, and writing one's own signature
        answer = self.call('training.attendance', 'sign',
                           [[self.ids['lambert_line']], drawn_png().decode()])
        self.assertIn('error', answer)
        answer = self.call('training.attendance', 'write',
                           [[self.ids['lea_line']], {
                               'signature': drawn_png().decode(),
                               'signed_on': '2026-01-01 00:00:00'}])
        self.assertIn('error', answer)
        with self.server_env() as env:
            lines = env['training.attendance'].browse(
                [self.ids['lea_line'], self.ids['lambert_line']])
            self.assertFalse(any(lines.mapped('signed_on')))

    def test_trainer_shows_the_qr_code_and_countersigns(self):
        self.authenticate('formateur', 'formateur')
        url = '/my/training/slot/%d' % self.ids['slot']
        page = self.get(url)
        self.assertIn('o_training_signing_qr', page.text)
        link = '/my/training/sign/%d/%s' % (self.ids['slot'],
                                            self.ids['token'])
        self.assertIn(link, page.text)
        self.assertIn('/report/barcode/?', page.text)
        done = self.post(url, {'countersign': '1',
                               'signature': drawn_png().decode()})
        self.assertTrue(done.url.endswith('?countersigned=1'), done.url)
        self.assertIn('o_training_countersigned', done.text)
        with self.server_env() as env:
            slot = env['training.slot'].browse(self.ids['slot'])
            self.assertEqual(slot.signing_state, 'countersigned')
            self.assertEqual(set(slot.attendance_ids.mapped('state')),
                             {'absent'})
        # a trainee may not countersign, nor sign once countersigned
        self.authenticate('stagiaire', 'stagiaire')
        self.assertRefused(self.get(url))
        page = self.get('/my/training/attendance/%d/sign' % self.ids[
            'lea_line'])
        self.assertIn('o_training_sign_closed', page.text)

    def test_trainee_downloads_their_certificate_of_completion(self):
        """Once the session is done, from the hours they signed; nobody
        else's."""
        with self.server_env() as env:
            line = env['training.attendance'].browse(self.ids['lea_line'])
            line.sudo(env.ref('training_session.user_training_trainee_demo')
                      ).sign(drawn_png())
            line.registration_id.state = 'done'
            other = env['training.attendance'].browse(
                self.ids['lambert_line']).registration_id
            other.state = 'done'
            ids = (line.registration_id.id, other.id)
        self.authenticate('stagiaire', 'stagiaire')
        url = '/my/training/registration/%d/completion'
        self.assertIn(url % ids[0], self.get(
            '/my/training/registration/%d' % ids[0]).text)
        pdf = self.get(url % ids[0])
        self.assertEqual(pdf.status_code, 200)
        self.assertIn('attachment', pdf.headers['Content-Disposition'])
        self.assertIn('Certificat de réalisation', pdf.text)
        self.assertIn('MOREAU', pdf.text)
        self.assertRefused(self.get(url % ids[1]))
