# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import hashlib
import os
import shutil
import tempfile
from unittest import mock

from lxml import etree

from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from ..models.private_context import CHANGE_REQUEST_KEY, with_private
from ..models.lheo import LHEO_NS, XSD_PATH
from ..models.training_lheo_feed import FEED_FILENAME
from .common import TrainingCase

# sha256 of the official LHEO 2.3 schema (lheo.gouv.fr/2.3/lheo.xsd)
OFFICIAL_XSD_SHA256 = \
    '93c57269fa6c515b4b103a9d32395cc740e9d8af512fc48c4b2c16d9bab8d71c'
NS = {'l': LHEO_NS}
DATA = os.path.join(os.path.dirname(__file__), 'data')


class LheoCase(TrainingCase):
    """A published session of a funded component, validated by the funder
    through a change request, with every datum the catalogue needs."""

    @classmethod
    def setUpClass(cls):
        super(LheoCase, cls).setUpClass()
        cls.schema = etree.XMLSchema(etree.parse(XSD_PATH))
        cls.centre = cls.Partner.create({
            'name': 'Centre de formation Test', 'is_company': True,
            'siret': '421 993 874 00013',
            'training_activity_number': '76340123434',
            'street': '3 rue de la Gare', 'zip': '34500', 'city': 'Béziers',
            'phone': '04 67 00 00 00', 'email': 'contact@centre.example'})
        cls.place = cls.Partner.create({
            'name': 'CAP 2000 TEST', 'street': '12 avenue Foch',
            'zip': '34500', 'city': 'Béziers'})
        action = cls.env['training.action'].create({
            'name': 'LOT LHEO', 'number': 'LHEO-TEST-1',
            'holder_id': cls.centre.id, 'funder_code': '2'})
        cls.component = cls.env['training.action.component'].create({
            'action_id': action.id, 'number': '01', 'code': 'FORP',
            'name': 'Formation Projet Pro', 'date_start': '2022-09-01',
            'date_end': '2024-06-30'})
        cls.action = action
        cls.course = cls.env['training.course'].create({
            'name': 'Construire son projet professionnel', 'code': 'FORP',
            'objectives': 'Définir un projet professionnel réaliste.',
            'description': '<p>Bilan, enquêtes métiers, stage.</p>',
            'expected_results': 'Attestation de fin de formation.',
            'public_codes': '81042', 'formacode': '15235',
            'user_id': cls.user.id})
        request = cls.env['training.change.request'].sudo(cls.user).create({
            'component_id': cls.component.id, 'session_number': '01',
            'date_start': '2022-09-01', 'date_end': '2022-12-31',
            'place_id': cls.place.id, 'seats': 10,
            'info_ids': [(0, 0, {
                'date': '2022-08-31', 'time_start': 10.0, 'time_end': 12.0,
                'seats': 15, 'street_number': '12', 'street_type': 'avenue',
                'street_name': 'Foch', 'zip': '34500', 'city': 'Béziers',
                'public_comment': 'Bus 2, arrêt Foch.'})]})
        request.sudo(cls.manager).action_validate()
        cls.session = cls.Session.browse(request.session_id.id)
        cls.session.write({
            'course_id': cls.course.id, 'organisation_id': cls.centre.id,
            'user_id': cls.user.id, 'publication_state': 'published'})
        cls.Feed = cls.env['training.lheo.feed']
        cls.company = cls.session.company_id

    def _feed(self):
        """The feed of the test's course (the demo data has its own)."""
        data, problems = self.Feed.render(
            self.Feed.feed_sessions(self.company).filtered(
                lambda session: session.course_id == self.course))
        self.assertFalse(problems)
        return etree.fromstring(data)

    def _text(self, node, path):
        return [found.text for found in node.iterfind(path, NS)]

    def _numbers(self, data):
        """The numbers of the sessions of a feed."""
        return [session.get('numero') for session in etree.fromstring(
            data).iterfind('l:offres/l:formation/l:action/l:session', NS)]

    def _validated_by_request(self, **vals):
        """A new session of the component, requested by a user and
        validated by an Operational Manager (manual 002)."""
        values = {'component_id': self.component.id, 'session_number': '02',
                  'date_start': '2023-01-02', 'date_end': '2023-03-31',
                  'place_id': self.place.id, 'seats': 8}
        values.update(vals)
        request = self.env['training.change.request'].sudo(
            self.user).create(values)
        request.sudo(self.manager).action_validate()
        return self.Session.browse(request.session_id.id)

    def _only(self, sessions):
        """Patch the feed's selection to ``sessions``."""
        return mock.patch.object(type(self.Feed), 'feed_sessions',
                                 lambda feed, company: sessions)


class TestLheoExport(LheoCase):

    def test_shipped_schema_is_the_official_one(self):
        with open(XSD_PATH, 'rb') as xsd:
            self.assertEqual(hashlib.sha256(xsd.read()).hexdigest(),
                             OFFICIAL_XSD_SHA256)

    def test_feed_validates_and_carries_the_session(self):
        root = self._feed()
        self.assertEqual(root.tag, '{%s}lheo' % LHEO_NS)
        self.schema.assertValid(root)
        formation = root.find('l:offres/l:formation', NS)
        self.assertEqual(self._text(formation, 'l:intitule-formation'),
                         ['Construire son projet professionnel'])
        self.assertEqual(self._text(formation, 'l:contenu-formation'),
                         ['Bilan, enquêtes métiers, stage.'])
        session = formation.find('l:action/l:session', NS)
        self.assertEqual(session.get('numero'), self.session.code)
        self.assertEqual(self._text(session, 'l:periode/l:debut'),
                         ['20220901'])
        self.assertEqual(self._text(session, 'l:periode/l:fin'),
                         ['20221231'])
        recruitment = session.find('l:recrutement', NS)
        self.assertEqual(
            [self._text(recruitment, path)[0] for path in (
                'l:modalite-recrutement', 'l:nb-places', 'l:periode/l:debut',
                'l:heure-debut', 'l:heure-fin', 'l:adresse/l:ligne',
                'l:adresse/l:codepostal', 'l:commentaire')],
            ['9', '15', '20220831', '10:00', '12:00', '12 avenue Foch',
             '34500', 'Bus 2, arrêt Foch.'])
        action = formation.find('l:action', NS)
        self.assertEqual(self._text(action, 'l:date-information/l:date'),
                         ['20220831'])
        self.assertEqual(self._text(action, 'l:code-public-vise'), ['81042'])
        self.assertEqual(
            self._text(action, 'l:lieu-de-formation/l:coordonnees/'
                               'l:adresse/l:denomination'), ['CAP 2000 TEST'])
        self.assertEqual(
            self._text(action, 'l:organisme-financeur/l:code-financeur'),
            ['2'])
        self.assertEqual(
            self._text(action, 'l:organisme-financeur/'
                               'l:nb-places-financees'), ['10'])
        responsible = formation.find('l:organisme-formation-responsable', NS)
        self.assertEqual(
            self._text(responsible, 'l:SIRET-organisme-formation/l:SIRET'),
            ['42199387400013'])
        self.assertEqual(self._text(responsible, 'l:numero-activite'),
                         ['76340123434'])
        self.assertEqual(
            self._text(responsible, 'l:contact-organisme/l:coordonnees/'
                                    'l:courriel'), ['t_user@example.com'])

    def test_control_characters_are_dropped(self):
        self.course.objectives = 'Définir\x0b un projet\x02.'
        root = self._feed()
        self.schema.assertValid(root)
        self.assertEqual(
            self._text(root, 'l:offres/l:formation/l:objectif-formation'),
            ['Définir un projet.'])

    def test_at_most_three_information_dates(self):
        for day in ('2022-08-01', '2022-08-10', '2022-08-20'):
            self.env['training.info.session'].create({
                'session_id': self.session.id, 'date': day,
                'time_start': 14.0, 'time_end': 16.0, 'seats': 12,
                'street_name': 'Haute', 'zip': '34500', 'city': 'BEZIERS'})
        root = self._feed()
        self.schema.assertValid(root)
        action = root.find('l:offres/l:formation/l:action', NS)
        self.assertEqual(self._text(action, 'l:date-information/l:date'),
                         ['20220801', '20220810', '20220820'])
        self.assertEqual(len(action.findall('l:session/l:recrutement', NS)),
                         4)

    def test_sessions_of_the_same_course_share_a_formation(self):
        other = with_private(self.Session, CHANGE_REQUEST_KEY).create(dict(
            name='Session de test',
            external_ref='PARTNER-7', publication_state='published',
            seats=5, course_id=self.course.id, is_validated=True,
            place_id=self.place.id, organisation_id=self.centre.id))
        self._add_sequence(other, planned_date_start='2023-01-09 08:00:00',
                           planned_date_end='2023-01-13 16:00:00')
        root = self._feed()
        self.schema.assertValid(root)
        self.assertEqual(len(root.findall('l:offres/l:formation', NS)), 1)
        self.assertEqual(
            [session.get('numero') for session in root.iterfind(
                'l:offres/l:formation/l:action/l:session', NS)],
            sorted([self.session.code, 'PARTNER-7'],
                   key=lambda ref: ref != self.session.code))

    def test_only_published_validated_sessions_with_seats(self):
        def exported():
            return self.session in self.Feed.feed_sessions(self.company)
        self.assertTrue(exported())
        self.session.publication_state = 'draft'
        self.assertFalse(exported())
        self.session.publication_state = 'published'
        # not validated by the funder
        unvalidated = self._create_session(
            course_id=self.course.id, seats=5, place_id=self.place.id,
            publication_state='published')
        self.assertNotIn(unvalidated, self.Feed.feed_sessions(self.company))
        # cancelled by the funder: seats set to 0
        funder = with_private(self.session, CHANGE_REQUEST_KEY)
        funder.seats = 0
        self.assertFalse(exported())
        funder.seats = 10
        self.session.state = 'cancelled'
        self.assertFalse(exported())

    def test_demo_feed_is_complete(self):
        demo = self.env.ref('training_session.training_session_emploi_demo')
        data, problems = self.Feed.render(demo)
        self.assertFalse(problems)
        root = etree.fromstring(data)
        self.schema.assertValid(root)
        self.assertEqual(
            self._text(root, 'l:offres/l:formation/l:action/l:session/'
                             'l:recrutement/l:adresse/l:ligne'),
            ['19 boulevard Vivier-Merle', 'Tour Part-Dieu, 3e étage'])

    def test_missing_data_listed_per_session_the_others_exported(self):
        """Issue 15: a session that lacks data is left out and listed with
        what it lacks; the complete ones are exported all the same."""
        self.centre.write({'siret': False, 'training_activity_number': False})
        self.place.zip = False
        self.course.objectives = False
        sessions = self.Feed.feed_sessions(self.company)
        data, problems = self.Feed.render(sessions)
        self.assertEqual(list(problems), [self.session])
        messages = problems[self.session]
        self.assertEqual(len(messages), 4, messages)
        # the responsible organisation, named as the action's holder
        self.assertTrue(any('SIRET' in message and self.centre.name in message
                            and self.action.number in message
                            for message in messages), messages)
        self.assertTrue(any(self.place.name in message
                            for message in messages))
        self.schema.assertValid(etree.fromstring(data))
        self.assertEqual(sorted(self._numbers(data)), sorted(
            session.external_ref or session.code
            for session in sessions - self.session))
        # the manual export: the file of the others, and the list
        wizard = self.env['training.lheo.export.wizard'].sudo(
            self.manager).create({})
        wizard.action_export()
        self.assertEqual(
            (wizard.state, wizard.session_count, wizard.left_out_count),
            ('done', len(sessions) - 1, 1))
        self.assertEqual(self._numbers(base64.b64decode(wizard.data_file)),
                         self._numbers(data))
        self.assertIn(self.session.code, wizard.problems)
        self.assertIn('SIRET', wizard.problems)
        # no session complete: no file, only the list
        with self._only(self.session):
            wizard.action_export()
        self.assertEqual(
            (wizard.state, wizard.session_count, wizard.left_out_count),
            ('blocked', 0, 1))
        self.assertFalse(wizard.data_file)
        self.assertIn(self.session.code, wizard.problems)

    def test_a_session_the_schema_refuses_is_left_out(self):
        """Should a check miss something, the schema still finds the
        session it refuses: left out and listed, the others written."""
        self.place.zip = False
        with mock.patch.object(type(self.Feed), '_address_problems',
                               lambda feed, partner, label: []):
            data, problems = self.Feed.render(
                self.Feed.feed_sessions(self.company))
        self.assertEqual(list(problems), [self.session])
        self.assertIn('codepostal', problems[self.session][0])
        self.schema.assertValid(etree.fromstring(data))
        self.assertNotIn(self.session.code, self._numbers(data))
        self.assertTrue(self._numbers(data))

    def test_a_session_validated_by_a_request_is_in_the_next_feed(self):
        """Manual 002: once validated, "les éléments sont alors transmis
        via le flux à destination du CARIF": the session of a validated
        request takes the action's catalogue course, is published and
        complete, with no hand-made step."""
        self.action.sudo(self.manager).course_id = self.course
        session = self._validated_by_request()
        self.assertEqual((session.course_id, session.publication_state),
                         (self.course, 'published'))
        self.assertIn(session, self.Feed.feed_sessions(self.company))
        self.assertFalse(self.Feed.check_sessions(session))
        root = self._feed()
        self.schema.assertValid(root)
        action = [node for node in root.iterfind(
            'l:offres/l:formation/l:action', NS)
            if node.get('numero') == session.code]
        self.assertEqual(len(action), 1)
        self.assertEqual(
            self._text(action[0], 'l:organisme-financeur/'
                                  'l:nb-places-financees'), ['8'])
        self.assertEqual(self._text(action[0], 'l:session/l:periode/l:debut'),
                         ['20230102'])

    def test_without_a_course_the_list_says_where_to_set_it(self):
        """A validated session without a course is listed with the action
        and the component whose catalogue course to set; once set, it is
        complete."""
        session = self._validated_by_request()
        self.assertEqual(session.publication_state, 'published')
        messages = self.Feed.check_sessions(session)[session]
        self.assertTrue(any(
            self.action.display_name in message and
            self.component.display_name in message
            for message in messages), messages)
        self.component.sudo(self.manager).course_id = self.course
        self.assertEqual(session.course_id, self.course)
        self.assertFalse(self.Feed.check_sessions(session))

    def test_download_from_the_wizard(self):
        wizard = self.env['training.lheo.export.wizard'].sudo(
            self.manager).create({})
        wizard.action_export()
        self.assertEqual(
            (wizard.state, wizard.session_count),
            ('done', len(self.Feed.feed_sessions(self.company))))
        self.assertTrue(wizard.filename.endswith('.xml'))
        root = etree.fromstring(base64.b64decode(wizard.data_file))
        self.schema.assertValid(root)

    def test_scheduled_action_writes_the_feed_to_the_folder(self):
        """Issue 15: the nightly feed holds the complete sessions; the
        others are listed in the company's feed status (session, what is
        missing), so the catalogue stays fresh."""
        folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, folder)
        path = os.path.join(folder, FEED_FILENAME)
        self.company.lheo_feed_folder = folder
        count = len(self.Feed.feed_sessions(self.company))
        # no commit of its own: the scheduler commits the run
        with mock.patch.object(type(self.env.cr), 'commit') as commit:
            self.Feed._cron_write_feeds()
            self.assertFalse(commit.called)
            with open(path, 'rb') as feed:
                written = feed.read()
            self.schema.assertValid(etree.fromstring(written))
            self.assertEqual(len(self._numbers(written)), count)
            status = self.company.lheo_feed_status
            self.assertIn(path, status)
            self.assertIn(str(count), status)
            # data now missing: the others are written, this one listed
            self.place.zip = False
            self.Feed._cron_write_feeds()
            with open(path, 'rb') as feed:
                written = feed.read()
            self.schema.assertValid(etree.fromstring(written))
            self.assertEqual(len(self._numbers(written)), count - 1)
            self.assertNotIn(self.session.code, self._numbers(written))
            status = self.company.lheo_feed_status
            for text in (path, '%d ' % (count - 1), self.session.code,
                         self.session.name, self.place.name):
                self.assertIn(text, status)
            # no session complete: the previous file stays, and why
            with self._only(self.session):
                self.Feed._cron_write_feeds()
            self.assertFalse(commit.called)
        with open(path, 'rb') as feed:
            self.assertEqual(feed.read(), written)
        status = self.company.lheo_feed_status
        self.assertNotIn(path, status)
        self.assertIn(self.session.code, status)
        self.assertIn(self.place.name, status)

    def test_one_company_failing_leaves_nothing_behind(self):
        """Each company's feed runs in its own savepoint: a database error
        in one undoes its changes only, and the others are still written
        and recorded, without a commit of its own."""
        folders = [tempfile.mkdtemp(), tempfile.mkdtemp()]
        for folder in folders:
            self.addCleanup(shutil.rmtree, folder)
        self.company.lheo_feed_folder = folders[0]
        # run after the failing one (companies by sequence)
        other = self.env['res.company'].create(
            {'name': 'Organisme LHEO Bis', 'lheo_feed_folder': folders[1],
             'sequence': self.company.sequence + 1})
        hours = self.company.training_hours_per_day
        write_feed = type(self.Feed)._write_feed

        def failing(feed, company):
            if company == self.company:
                company.training_hours_per_day = hours + 1
                feed.env.cr.execute('SELECT 1 / 0')
            return write_feed(feed, company)
        with mock.patch.object(type(self.Feed), '_write_feed', failing), \
                mock.patch.object(type(self.env.cr), 'commit') as commit, \
                mute_logger('odoo.sql_db', 'odoo.addons.training_session.'
                            'models.training_lheo_feed'):
            self.Feed._cron_write_feeds()
        self.assertFalse(commit.called)
        self.company.invalidate_cache()
        self.assertEqual(self.company.training_hours_per_day, hours)
        self.assertTrue(self.company.lheo_feed_date)
        self.assertNotIn(folders[0], self.company.lheo_feed_status)
        self.assertFalse(os.listdir(folders[0]))
        # the other company still ran: no session, nothing written
        self.assertTrue(other.lheo_feed_date)
        self.assertTrue(other.lheo_feed_status)
        self.assertFalse(os.listdir(folders[1]))

    def test_siret_and_activity_number_are_checked(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.centre.siret = '42199387000012'
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.centre.training_activity_number = '7634'
        self.centre.invalidate_cache()
        self.assertEqual(self.centre.siret, '42199387400013')
        with self.assertRaises(ValidationError):
            self.course.public_codes = '81042, 123'


class TestLheoRoundTrip(LheoCase):
    """The import reads back what the export writes, and the samples."""

    def _preview(self, raw):
        wizard = self.env['training.session.import'].create({
            'data_file': base64.b64encode(raw), 'filename': 'offre.xml'})
        wizard.action_preview()
        return wizard

    def test_own_feed_is_recognised_then_read_back(self):
        data, _problems = self.Feed.render(self.session)
        wizard = self._preview(data)
        self.assertEqual(wizard.line_ids.mapped('status'), ['existing'])
        # the same feed under other references: a new session, same data
        data = data.replace(('numero="%s"' % self.session.code).encode(),
                            b'numero="CARIF-1"')
        wizard = self._preview(data)
        self.assertEqual(wizard.line_ids.mapped('status'), ['valid'])
        wizard.action_import()
        copy = self.Session.search([('external_ref', '=', 'CARIF-1')])
        self.assertEqual(copy.name, self.course.name)
        self.assertEqual((copy.date_start, copy.date_end),
                         (self.session.date_start, self.session.date_end))
        self.assertEqual(copy.place_id, self.place)
        self.assertEqual(copy.organisation_id, self.centre)
        self.assertEqual(
            copy.info_session_ids.read(
                ['date', 'time_start', 'time_end', 'seats', 'zip', 'city',
                 'public_comment'])[0],
            dict(self.session.info_session_ids.read(
                ['date', 'time_start', 'time_end', 'seats', 'zip', 'city',
                 'public_comment'])[0], id=copy.info_session_ids.id))
        self.assertEqual(copy.publication_state, 'draft')

    def test_samples_are_read(self):
        for name, ref, title, place in (
                ('intercarif-grand-est-lheo-2.3.xml', 'GE1716206',
                 "Cours de français langue d'intégration",
                 'Maison de quartier'),
                ('onisep-bts-nrc-lheo-2.2.xml', '9436_18706',
                 'BTS négociation et relation client', None)):
            with open(os.path.join(DATA, name), 'rb') as sample:
                wizard = self._preview(sample.read())
            self.assertEqual(len(wizard.line_ids), 1)
            line = wizard.line_ids
            self.assertEqual(line.status, 'valid', line.message)
            self.assertEqual((line.external_ref, line.name), (ref, title))
            wizard.action_import()
            session = wizard.session_ids
            self.assertEqual(len(session), 1)
            if place:
                self.assertEqual(
                    (session.place_id.name, session.place_id.zip,
                     session.place_id.city),
                    (place, '68300', 'Saint-Louis'))
