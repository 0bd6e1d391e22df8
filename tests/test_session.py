# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

import psycopg2

from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger

from .common import TrainingCase


class TestSession(TrainingCase):

    @classmethod
    def setUpClass(cls):
        super(TestSession, cls).setUpClass()
        cls.population = cls.env['training.population'].create(
            {'name': 'Agences Ouest'})
        cls.course = cls.env['training.course'].create({
            'name': 'Gestion des conflits',
            'certification_id': cls.env['training.certification.scheme']
            .create({'name': 'SST', 'level': 'Niveau 1'}).id,
            'session_type': 'inter',
            'organisation_id': cls.Partner.create(
                {'name': 'OF Atlantique', 'is_company': True}).id,
            'capacity_min': 4,
            'capacity_target': 8,
            'capacity_max': 12,
            'scheme_id': cls.env['training.scheme'].create(
                {'name': 'CPF', 'code': 'CPF-T'}).id,
            'funding_eligible': True,
            'comment': 'Prévoir un ordinateur portable.',
            'population_ids': [(6, 0, cls.population.ids)],
        })

    def _assert_prefilled(self, session):
        course = self.course
        self.assertEqual(session.name, course.name)
        self.assertEqual(session.certification_id, course.certification_id)
        self.assertEqual(session.session_type, 'inter')
        self.assertEqual(session.organisation_id, course.organisation_id)
        self.assertEqual(
            (session.capacity_min, session.capacity_target,
             session.capacity_max), (4, 8, 12))
        self.assertEqual(session.scheme_id, course.scheme_id)
        self.assertTrue(session.funding_eligible)
        self.assertEqual(session.comment, 'Prévoir un ordinateur portable.')
        self.assertEqual(session.population_ids, self.population)

    def test_create_from_course_prefills(self):
        session = self.Session.create({'course_id': self.course.id})
        self._assert_prefilled(session)
        self.assertEqual(session.year, session.create_date[:4])

    def test_onchange_course_prefills_the_form(self):
        session = self.Session.new({})
        session.course_id = self.course
        session._onchange_course_id()
        self._assert_prefilled(session)

    def test_explicit_values_win_over_course(self):
        session = self.Session.create({
            'course_id': self.course.id,
            'name': 'Gestion des conflits - Nantes',
            'capacity_max': 10,
        })
        self.assertEqual(session.name, 'Gestion des conflits - Nantes')
        self.assertEqual(session.capacity_max, 10)
        self.assertEqual(session.capacity_min, 4)

    def test_capacity_order_enforced(self):
        for model, extra in ((self.Session, {'name': 'S'}),
                             (self.env['training.course'], {'name': 'C'})):
            with self.assertRaises(ValidationError):
                model.create(dict(extra, capacity_min=10,
                                  capacity_target=8, capacity_max=12))
            with self.assertRaises(ValidationError):
                model.create(dict(extra, capacity_min=2,
                                  capacity_target=15, capacity_max=12))
            with self.assertRaises(ValidationError):
                model.create(dict(extra, capacity_min=20, capacity_max=12))
            record = model.create(dict(extra, capacity_min=8,
                                       capacity_target=8, capacity_max=8))
            with self.assertRaises(ValidationError):
                record.capacity_max = 5

    def test_code_counter_per_year(self):
        first = self._create_session(year=2031)
        second = self._create_session(year=2031)
        other_year = self._create_session(year=2097)
        self.assertRegex(first.code, r'^2031-\d{4}$')
        number = int(first.code[5:])
        self.assertEqual(second.code, '2031-%04d' % (number + 1))
        self.assertEqual(other_year.code, '2097-0001')
        next_2031 = self._create_session(year=2031)
        self.assertEqual(next_2031.code, '2031-%04d' % (number + 2))

    def test_year_has_four_digits(self):
        with self.assertRaises(ValidationError):
            self._create_session(year='27')
        session = self._create_session(year='2031')
        with self.assertRaises(ValidationError):
            session.year = 'deux'

    def test_code_unique(self):
        first = self._create_session(year=2031)
        second = self._create_session(year=2031)
        with self.assertRaises(psycopg2.IntegrityError), \
                mute_logger('odoo.sql_db'), self.cr.savepoint():
            second.write({'code': first.code})

    def test_code_not_copied(self):
        session = self._create_session(year=2031)
        copy = session.copy()
        self.assertNotEqual(copy.code, session.code)
        self.assertTrue(re.match(r'^2031-\d{4}$', copy.code))

    def test_publication_draft_by_default_and_manual(self):
        session = self._create_session()
        self.assertEqual(session.publication_state, 'draft')
        session.action_confirm()
        session.action_done()
        self.assertEqual(session.publication_state, 'draft',
                         'publication never changes by itself')
        session.action_publish()
        self.assertEqual(session.publication_state, 'published')
        session.action_unpublish()
        self.assertEqual(session.publication_state, 'draft')

    def test_draft_banner_and_filter_in_views(self):
        form = self.env.ref('training_session.training_session_view_form')
        self.assertIn("('publication_state', '!=', 'draft')", form.arch)
        self.assertIn('alert-danger', form.arch)
        search = self.env.ref(
            'training_session.training_session_view_search')
        self.assertIn('name="filter_draft"', search.arch)
        drafts = self.Session.search([('publication_state', '=', 'draft')])
        session = self._create_session()
        self.assertIn(session, self.Session.search(
            [('publication_state', '=', 'draft')]))
        self.assertNotIn(session, drafts)

    def test_drafts_are_never_exported(self):
        draft = self._create_session(name='Brouillon')
        published = self._create_session(name='Publiée')
        published.action_publish()
        rows = (draft | published).sudo(self.user).export_data(
            ['code', 'name'])['datas']
        self.assertEqual(rows, [[published.code, 'Publiée']])

    def test_workflow(self):
        session = self._create_session()
        self.assertEqual(session.state, 'created')
        with self.assertRaises(UserError):
            session.action_done()
        session.action_confirm()
        self.assertEqual(session.state, 'confirmed')
        with self.assertRaises(UserError):
            session.action_confirm()
        session.action_done()
        self.assertEqual(session.state, 'done')
        with self.assertRaises(UserError):
            session.action_cancel()
        other = self._create_session()
        other.action_cancel()
        self.assertEqual(other.state, 'cancelled')
        with self.assertRaises(UserError):
            other.action_confirm()
        other.action_reset()
        self.assertEqual(other.state, 'created')

    def test_state_changes_are_tracked(self):
        session = self._create_session()
        session.action_confirm()
        tracked = session.message_ids.mapped('tracking_value_ids').filtered(
            lambda t: t.field == 'state')
        # tracked in the language of the user who made the change
        env = self.env(context={'lang': self.env.user.lang})
        labels = dict(self.Session._fields['state']._description_selection(
            env))
        self.assertIn(labels['confirmed'], tracked.mapped('new_value_char'))
        self.assertIn(
            self.env.ref('training_session.mt_session_confirmed'),
            session.message_ids.mapped('subtype_id'))

    def test_course_changes_are_tracked(self):
        self.course.name = 'Gestion des conflits (2e édition)'
        tracked = self.course.message_ids.mapped('tracking_value_ids')
        self.assertIn('name', tracked.mapped('field'))

    def test_session_with_participants_cannot_be_deleted(self):
        session = self._session_with_slot()
        self._register(session)
        with self.assertRaises(UserError):
            session.unlink()
        empty = self._session_with_slot()
        self._register(empty, state='cancelled')
        empty.unlink()
        self.assertFalse(empty.exists())

    def test_registration_unique_per_trainee(self):
        session = self._session_with_slot()
        partner = self.Partner.create({'name': 'Anne Doublon'})
        self._register(session, partner)
        with self.assertRaises(psycopg2.IntegrityError), \
                mute_logger('odoo.sql_db'), self.cr.savepoint():
            self._register(session, partner)

    def test_name_search_by_code(self):
        session = self._create_session(name='Bureautique', year=2031)
        found = self.Session.name_search(session.code)
        self.assertEqual([r[0] for r in found], [session.id])
        self.assertIn(session.code, session.display_name)


class TestMonthlySessions(TrainingCase):
    """Manual 004 (1): sessions are created by month, on its first day,
    and then shown by their month and year."""

    def test_month_kept_as_its_first_day_and_shown_as_month_year(self):
        session = self._create_session(name='Ateliers emploi',
                                       month='2027-03-17')
        self.assertEqual(session.month, '2027-03-01')
        self.assertEqual(session.year, '2027')
        self.assertEqual(session.with_context(lang='fr_FR').month_label,
                         'mars 2027')
        self.assertEqual(session.with_context(lang='en_US').month_label,
                         'March 2027')
        session.write({'month': '2027-04-30'})
        self.assertEqual(session.month, '2027-04-01')
        # the list shows the month
        arch = self.env['training.session'].fields_view_get(
            view_type='tree')['arch']
        self.assertIn('month_label', arch)

    def test_display_name_is_the_month_then_the_label(self):
        """Manual 004 (1): the system then shows only the month and the
        year, wherever the session appears."""
        session = self._create_session(name='Accompagnement emploi',
                                       month='2027-03-17')
        self.assertEqual(session.with_context(lang='fr_FR').display_name,
                         'mars 2027 — Accompagnement emploi')
        self.assertEqual(session.with_context(lang='en_US').display_name,
                         'March 2027 — Accompagnement emploi')
        self.assertEqual(session.with_context(lang='fr_FR').title,
                         'mars 2027 — Accompagnement emploi')
        # found by its code and by its label, shown by its month
        for term in (session.code, 'Accompagnement emploi'):
            found = dict(self.Session.with_context(
                lang='fr_FR').name_search(term))
            self.assertEqual(found.get(session.id),
                             'mars 2027 — Accompagnement emploi')
        # follows its month and label within the transaction
        session.write({'month': '2027-04-02', 'name': 'Suivi emploi'})
        self.assertEqual(session.with_context(lang='fr_FR').display_name,
                         'avril 2027 — Suivi emploi')
        # the other sessions keep their code and label
        other = self._create_session(name='Bureautique')
        self.assertEqual(other.display_name, '[%s] Bureautique' % other.code)
        self.assertEqual(other.title, 'Bureautique')
        # a registration names the session by its month too
        self._add_sequence(session, slots=[
            ('2027-04-05 08:00:00', '2027-04-05 12:00:00')])
        registration = self._register(session, self.Partner.create(
            {'name': 'Hugo Lambert'}))
        self.assertEqual(
            registration.with_context(lang='fr_FR').display_name,
            'avril 2027 — Suivi emploi - Hugo Lambert')
