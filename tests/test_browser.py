# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The real UI in Chromium (see BrowserCase in common.py): each test runs a
scenario of tests/browser/ and checks the database afterwards."""
import datetime

import icalendar
import pytz

from odoo import fields

from .common import BrowserCase, last_job, portal_trainee_login, run_jobs


class TestHttpServer(BrowserCase):
    """The session's HTTP server serves the test database, inside the
    test's transaction."""

    def test_login_page_and_portal_home(self):
        response = self.url_open('/web/login', timeout=60)
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="login"', response.text)
        with self.server_env() as env:
            # visible to the server: the same transaction
            env.ref('training_session.partner_training_trainee_demo').name = \
                'Léa Transaction'
        self.authenticate('stagiaire', 'stagiaire')
        response = self.url_open('/my', timeout=60)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith('/my'), response.url)
        self.assertIn('Léa Transaction', response.text)


class TestDashboardBrowser(BrowserCase):
    """Issue 18: a training user lands on the dashboard, whose tiles open
    what they count, and reads the planning timeline."""

    def test_dashboard_and_timeline(self):
        result = self.browser_run('backoffice_dashboard', login='gestionnaire')
        self.assertIn('Sessions à venir', result['tiles'])
        self.assertIn('E-mails en retard', result['tiles'])
        # one record of its own: no "1 / 1" pager
        self.assertEqual(result['pagers'], 0)
        # the first tile opens as many sessions as it counts (one page)
        self.assertEqual(str(result['rows']), result['upcoming'])
        self.assertGreater(result['items'], 0)
        self.assertTrue(result['groups'])


class TestBackOfficeBrowser(BrowserCase):
    """A training user creates a session from a course, plans it, registers
    a trainee and duplicates the session, in the web client."""

    def test_create_plan_register_duplicate(self):
        with self.server_env() as env:
            course = env.ref(
                'training_session.training_course_management_demo')
            trainee = env.ref('training_session.partner_trainee_lambert_demo')
            names = {'course_name': course.display_name,
                     'trainee_name': trainee.display_name}
        result = self.browser_run(
            'backoffice_session', login='gestionnaire',
            course_search='Manager une', year='2027',
            name='Manager une équipe (navigateur)', sequence='Jour 1',
            slot_start='15/03/2027 09:00:00', slot_end='15/03/2027 17:00:00',
            trainee_search='Lambert', copy_year='2028',
            copy_start='10/01/2028', copy_end='31/01/2028', **names)
        with self.server_env() as env:
            Session = env['training.session']
            session = Session.browse(result['session_id'])
            course = env.ref(
                'training_session.training_course_management_demo')
            self.assertEqual(session.code, result['code'])
            self.assertRegex(session.code, r'^2027-\d{4}$')
            self.assertEqual(session.name, 'Manager une équipe (navigateur)')
            self.assertEqual(session.course_id, course)
            self.assertEqual(session.capacity_max, course.capacity_max)
            self.assertEqual(session.sequence_ids.mapped('name'), ['Jour 1'])
            # 09:00-17:00 in Paris is 08:00-16:00 UTC in March
            self.assertEqual(
                [(slot.date_start, slot.date_end)
                 for slot in session.slot_ids],
                [('2027-03-15 08:00:00', '2027-03-15 16:00:00')])
            registration = session.registration_ids
            self.assertEqual(registration.partner_id, env.ref(
                'training_session.partner_trainee_lambert_demo'))
            self.assertEqual(registration.state, 'confirmed')
            self.assertEqual(len(registration.attendance_ids), 1)
            self.assertEqual(result['ics_name'], '%s.ics' % session.code)
            self.assertIn('BEGIN:VEVENT', result['ics'])
            self.assertRegex(result['ics'], r'DTSTART[^:]*:20270315T080000Z')

            copy = Session.browse(result['copy_id'])
            self.assertEqual(copy.code, result['copy_code'])
            self.assertRegex(copy.code, r'^2028-\d{4}$')
            self.assertEqual((copy.name, copy.course_id),
                             (session.name, course))
            self.assertEqual(copy.publication_state, 'draft')
            # the sequence moved to the new start, same local hour
            self.assertEqual(
                [(seq.name, seq.date_start) for seq in copy.sequence_ids],
                [('Jour 1', '2028-01-10 08:00:00')])
            self.assertFalse(copy.slot_ids)
            self.assertFalse(copy.registration_ids)


PHONE = {'width': 390, 'height': 844}
DESKTOP = 1400  # lib.js
# the pages each portal scenario visits, each checked not to scroll
# sideways (at the phone's width in the phone runs)
TRAINER_PAGES = [
    '/my', '/my/training/teaching', '/my/training/slot/%(slot_id)d',
    '/my/training/slot/%(slot_id)d?saved=1',
    '/my/training/session/%(session_id)d',
    # the certification trainer
    '/my', '/my/training/certifications',
    '/my/training/certification/%(certification_id)d']
TRAINEE_PAGES = [
    '/my', '/my/training/profile', '/my/training/profile',
    '/my/training/profile?saved=1',
    '/my', '/my/training', '/my/training/registration/%(registration_id)d',
    '/my', '/my/training/catalogue']

TUTOR_PAGES = [
    '/my', '/my/training/tutoring', '/my/training/slot/%(slot_id)d',
    '/my/training/session/%(session_id)d',
    '/my/training/session/%(session_id)d/trainee/%(trainee_id)d',
    '/my/training/session/%(session_id)d?saved=%(trainee_id)d',
    '/my/training/session/%(session_id)d/documentation',
    '/my/training/session/%(session_id)d?sent=1']


class TestPortalBrowser(BrowserCase):
    """Trainers and trainees in the portal (issue 7), in Chromium, at a
    desktop's size and on a phone (390 x 844, touch): no page may scroll
    sideways."""

    def test_trainer_records_attendance(self):
        self._trainer_records_attendance()

    def test_trainer_records_attendance_on_a_phone(self):
        self._trainer_records_attendance(PHONE)

    def test_trainee_edits_phone_and_downloads_ics(self):
        self._trainee_edits_phone_and_downloads_ics()

    def test_trainee_edits_phone_and_downloads_ics_on_a_phone(self):
        self._trainee_edits_phone_and_downloads_ics(PHONE)

    def test_tutor_follows_their_session(self):
        self._tutor_follows_their_session()

    def test_tutor_follows_their_session_on_a_phone(self):
        self._tutor_follows_their_session(PHONE)

    def _tutor_follows_their_session(self, viewport=None):
        """Manual 004 (6, 8, 12) for a tutor on the portal: the session's
        page, its registrant list, a trainee's e-mail completed, the
        documentation sent."""
        with self.server_env() as env:
            ref = env.ref
            slot = ref('training_session.training_slot_emploi_1_demo')
            chevalier = ref('training_session.'
                            'partner_trainee_chevalier_demo')
            params = {
                'slot_id': slot.id, 'session_id': slot.session_id.id,
                'trainee_id': chevalier.id,
                'document_id': ref('training_session.'
                                   'attachment_guide_entretien_demo').id,
                'email': 'lucas.chevalier@example.fr'}
            last_mail = env['mail.mail'].search([], order='id desc',
                                                limit=1).id or 0
            job = last_job(env)
        pages = dict(params)
        if viewport:
            params['viewport'] = viewport
        result = self.browser_run('portal_tutor', login='tuteur', **params)
        self.assertTrue(result['registrants'].endswith('.pdf'))
        self.assertIn('lucas.chevalier@example.fr', result['contact'])
        self.assertTrue(result['sent'])
        self._assert_checked(result, TUTOR_PAGES, viewport, pages)
        with self.server_env() as env:
            run_jobs(env, after=job)
            mails = env['mail.mail'].search([('id', '>', last_mail)])
            # the three trainees (Chevalier has an e-mail now), the copy
            self.assertEqual(len(mails), 4)
            self.assertEqual(
                set(mails.mapped('attachment_ids.name')),
                {"Guide de l'entretien d'embauche.pdf"})

    def test_attendance_signed_on_phones(self):
        self._attendance_signed(PHONE)

    def test_attendance_signed_at_a_desktop(self):
        self._attendance_signed()

    def _attendance_signed(self, viewport=None):
        """Issue 17: the trainer shows the QR code, two trainees sign with
        their finger, the trainer countersigns."""
        with self.server_env() as env:
            ref = env.ref
            trainer = ref('training_session.partner_training_trainer_demo')
            session = env['training.session'].create({
                'name': 'Sauveteur secouriste du travail',
                'publication_state': 'published'})
            sequence = env['training.sequence'].create({
                'session_id': session.id, 'name': 'Journée 1'})
            now = datetime.datetime.utcnow()
            slot = env['training.slot'].create({
                'sequence_id': sequence.id,
                'date_start': fields.Datetime.to_string(
                    now - datetime.timedelta(minutes=10)),
                'date_end': fields.Datetime.to_string(
                    now + datetime.timedelta(hours=2)),
                'trainer_ids': [(6, 0, trainer.ids)]})
            trainees = []
            for partner in (
                    ref('training_session.partner_training_trainee_demo'),
                    ref('training_session.partner_trainee_lambert_demo')):
                env['training.registration'].create({
                    'session_id': session.id, 'state': 'confirmed',
                    'partner_id': partner.id})
                trainees.append(portal_trainee_login(env, partner))
            slot_id = slot.id
        params = {'slot_id': slot_id, 'trainer': 'formateur',
                  'trainees': trainees}
        if viewport:
            params['viewport'] = viewport
        result = self.browser_run('portal_signature', **params)
        self.assertTrue(result['qr'], 'the QR code is no image')
        self.assertEqual(result['signed'], [True, True])
        self.assertIn('2 / 2', result['count'])
        self.assertTrue(result['countersigned'])
        with self.server_env() as env:
            slot = env['training.slot'].browse(slot_id)
            self.assertEqual(slot.signing_state, 'countersigned')
            self.assertEqual(set(slot.attendance_ids.mapped('state')),
                             {'present'})
            self.assertTrue(all(slot.attendance_ids.mapped('signature')))
            # the signed sheet holds both signatures and the countersignature
            html = env.ref('training_session.'
                           'action_report_signed_attendance_sheet'
                           ).render_qweb_html(slot.session_id.ids)[0].decode()
            self.assertEqual(html.count('o_training_signature_image'), 2)
            self.assertEqual(
                html.count('o_training_countersignature_image'), 1)

    def _assert_checked(self, result, pages, viewport, values):
        width = viewport['width'] if viewport else DESKTOP
        self.assertEqual(result['checked'], [
            '%d %s' % (width, page % values) for page in pages])

    def _trainer_records_attendance(self, viewport=None):
        with self.server_env() as env:
            slot = env.ref(
                'training_session.training_slot_management_1_1_demo')
            attendance = slot.attendance_ids.filtered(
                lambda att: att.partner_id == env.ref(
                    'training_session.partner_trainee_lambert_demo'))
            certification = env.ref('training_session.training_'
                                    'certification_session_trainer_demo')
            params = {'slot_id': slot.id, 'attendance_id': attendance.id,
                      'session_id': slot.session_id.id}
            directory = len(slot.session_id.directory_registrations())
            candidates = len(certification.candidate_ids)
            pages = dict(params, certification_id=certification.id)
        if viewport:
            params['viewport'] = viewport
        result = self.browser_run(
            'portal_trainer', login='formateur', state='excused',
            comment='Rendez-vous médical, prévenu la veille',
            certification={'login': 'formateur.certif',
                           'session_id': pages['certification_id']},
            **params)
        self.assertEqual(result['state'], 'excused')
        self.assertEqual(result['comment'],
                         'Rendez-vous médical, prévenu la veille')
        # the directory of the session's trainees who agreed to it
        self.assertEqual(result['directory'], directory)
        # the certification trainer may enter every candidate's result
        self.assertEqual(result['results'], candidates)
        self._assert_checked(result, TRAINER_PAGES, viewport, pages)
        with self.server_env() as env:
            attendance = env['training.attendance'].browse(
                params['attendance_id'])
            self.assertEqual(attendance.state, 'excused')
            self.assertEqual(attendance.comment,
                             'Rendez-vous médical, prévenu la veille')
            # recorded by the trainer's own user
            self.assertEqual(attendance.write_uid, env.ref(
                'training_session.user_training_trainer_demo'))

    def _trainee_edits_phone_and_downloads_ics(self, viewport=None):
        with self.server_env() as env:
            registration = env.ref(
                'training_session.training_registration_management_1_demo')
            sequence = env.ref(
                'training_session.training_sequence_management_1_demo')
            params = {'registration_id': registration.id,
                      'sequence_id': sequence.id,
                      'uid': registration._ics_uid(sequence),
                      'start': sequence.date_start}
        if viewport:
            params['viewport'] = viewport
        result = self.browser_run(
            'portal_trainee', login='stagiaire', bad_phone='12',
            phone='0478 12 34 56', **params)
        self.assertTrue(result['refused'])
        self.assertEqual(result['phone'], '04 78 12 34 56')
        # the catalogue offers sessions to ask for
        self.assertTrue(result['catalogue'])
        # the planning's table: one card per row on a phone
        self.assertEqual(result['planningRows'],
                         'block' if viewport else 'table-row')
        self._assert_checked(result, TRAINEE_PAGES, viewport, params)
        with self.server_env() as env:
            self.assertEqual(env.ref(
                'training_session.partner_training_trainee_demo').phone,
                '04 78 12 34 56')
        calendar = icalendar.Calendar.from_ical(result['ics'])
        events = calendar.walk('VEVENT')
        self.assertEqual(len(events), 1)
        self.assertEqual(str(events[0]['UID']), params['uid'])
        self.assertEqual(
            events[0].decoded('DTSTART').astimezone(pytz.utc).replace(
                tzinfo=None),
            fields.Datetime.from_string(params['start']))
        self.assertTrue(result['ics_name'].endswith('.ics'))
