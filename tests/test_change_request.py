# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

import psycopg2
from lxml import etree

from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger

from .common import TrainingCase

# manual 002: "Les dates de début et de fin d'une session doivent
# obligatoirement être comprises dans l'intervalle des dates de la
# composante"
# (the message in English or in French: the users' language depends on the
# tests run before)
OUTSIDE_COMPONENT = (r"(must be within the dates of its component|comprises "
                     r"dans l'intervalle des dates de la composante) \(01 - "
                     r"FORP - Formation Projet Pro ?: (du )?01/09/2022 "
                     r"(to|au) 30/06/2024\)")

NEW_WITHOUT_SEATS = 'A new session needs|Une nouvelle session doit'


class TestChangeRequest(TrainingCase):
    """Change requests on the sessions of a funded component (manual
    002)."""

    @classmethod
    def setUpClass(cls):
        super(TestChangeRequest, cls).setUpClass()
        cls.component = cls._funded_component(
            'CR-TEST-1', '2022-09-01', '2024-06-30')
        cls.place = cls.Partner.create(
            {'name': 'CAP 2000 TEST', 'city': 'BEZIERS', 'zip': '34500'})
        cls.Request = cls.env['training.change.request']

    def _new_session_request(self, user=None, **vals):
        values = {'component_id': self.component.id,
                  'session_number': '01', 'date_start': '2022-09-01',
                  'date_end': '2022-12-31', 'place_id': self.place.id,
                  'seats': 10,
                  'info_ids': [(0, 0, {'date': '2022-08-31',
                                       'time_start': 10.0, 'time_end': 12.0,
                                       'seats': 15, 'zip': '34500',
                                       'street_name': 'de la Madeleine',
                                       'city': 'BEZIERS'})]}
        values.update(vals)
        return self.Request.sudo(user or self.user).create(values)

    def test_add_a_new_session(self):
        request = self._new_session_request()
        self.assertEqual(request.state, 'pending')
        self.assertTrue(request.name.startswith('DM-'))
        lines = request._summary_lines()
        labels = [line[0] for line in lines]
        self.assertTrue(all(label.startswith(
            '01 - FORP - Formation Projet Pro / ') for label in labels))
        # component / session / field, then the information session's
        session_lines = [line for line in lines
                         if len(line[0].split(' / ')) == 3]
        self.assertEqual([line[1:] for line in session_lines], [
            ('-', '01'), ('-', '01/09/2022'), ('-', '31/12/2022'),
            ('-', 'CAP 2000 TEST'), ('-', '10')])
        self.assertIn(('-', '15'), [line[1:] for line in lines])
        self.assertIn('01/09/2022', [line[2] for line in lines])
        self.assertIn('<table', request.summary_html)
        self.assertFalse(self.component.session_ids)
        request.sudo(self.manager).action_validate()
        session = request.session_id
        self.assertEqual(session.component_id, self.component)
        self.assertEqual((session.session_number, session.seats,
                          session.place_id), ('01', 10, self.place))
        self.assertTrue(session.is_validated)
        self.assertEqual(session.date_start[:10], '2022-09-01')
        self.assertEqual(session.date_end[:10], '2022-12-31')
        info = session.info_session_ids
        self.assertEqual((info.date, info.seats), ('2022-08-31', 15))
        self.assertTrue(info.is_validated)
        self.assertEqual(request.state, 'validated')
        self.assertEqual(request.decided_by_id, self.manager)
        tracked = request.sudo().message_ids.mapped(
            'tracking_value_ids').filtered(
            lambda value: value.field == 'state')
        self.assertTrue(tracked)

    def test_change_an_existing_session_shows_before_and_after(self):
        request = self._new_session_request()
        request.sudo(self.manager).action_validate()
        session = request.session_id
        change = self.Request.sudo(self.user).new(
            {'component_id': self.component.id, 'session_id': session.id})
        change._onchange_session_id()
        self.assertEqual((change.seats, change.date_start),
                         (10, '2022-09-01'))
        self.assertEqual(len(change.info_ids), 1)
        change = self.Request.sudo(self.user).create({
            'component_id': self.component.id, 'session_id': session.id,
            'session_number': '01', 'date_start': '2022-09-01',
            'date_end': '2023-01-31', 'place_id': self.place.id,
            'seats': 12})
        lines = change._summary_lines()
        self.assertEqual([line[1:] for line in lines],
                         [('31/12/2022', '31/01/2023'), ('10', '12')])
        change.sudo(self.manager).action_validate()
        self.assertEqual(session.seats, 12)
        self.assertEqual(session.date_end[:10], '2023-01-31')

    def test_validation_is_atomic(self):
        """Requests validated together apply together or not at all: the
        second one, outside the component shortened since it was saved,
        undoes the first one's session."""
        first = self._new_session_request()
        second = self._new_session_request(
            session_number='02', date_start='2024-01-02',
            date_end='2024-06-30', info_ids=[])
        self.component.date_end = '2023-12-31'
        with self.assertRaisesRegex(ValidationError, "within the dates|"
                                    "comprises dans l'intervalle"), \
                self.cr.savepoint():
            (first | second).sudo(self.manager).action_validate()
        self.env.cache.invalidate()
        self.assertEqual((first | second).mapped('state'),
                         ['pending', 'pending'])
        self.assertFalse((first | second).mapped('line_ids'))
        self.assertFalse(self.component.session_ids)
        self.assertFalse(self.env['training.info.session'].search(
            [('date', '=', '2022-08-31')]))

    def test_dates_within_the_component_on_save(self):
        """Manual 002: a session runs within its component's dates
        (01/09/2022 to 30/06/2024): a request outside them is refused
        when saved, not when a manager validates it."""
        for dates in ({'date_start': '2022-08-31'},
                      {'date_end': '2024-07-01'},
                      {'date_start': '2021-01-01', 'date_end': '2021-06-30'}):
            with self.assertRaisesRegex(ValidationError, OUTSIDE_COMPONENT), \
                    self.cr.savepoint():
                self._new_session_request(**dates)
        with self.assertRaisesRegex(ValidationError, 'cannot be before|'
                                    'ne peut pas précéder'), \
                self.cr.savepoint():
            self._new_session_request(date_start='2022-12-31',
                                      date_end='2022-09-01')
        # its very bounds are within
        request = self._new_session_request(date_start='2022-09-01',
                                            date_end='2024-06-30')
        for dates in ({'date_end': '2024-12-31'},
                      {'date_start': '2022-08-01'}):
            with self.assertRaisesRegex(ValidationError, OUTSIDE_COMPONENT), \
                    self.cr.savepoint():
                request.sudo(self.user).write(dates)
        request.invalidate_cache()
        self.assertEqual((request.date_start, request.date_end),
                         ('2022-09-01', '2024-06-30'))
        # a change of an existing session too
        request.sudo(self.manager).action_validate()
        with self.assertRaisesRegex(ValidationError, OUTSIDE_COMPONENT), \
                self.cr.savepoint():
            self.Request.sudo(self.user).create({
                'component_id': self.component.id,
                'session_id': request.session_id.id, 'session_number': '01',
                'date_start': '2022-09-01', 'date_end': '2024-07-31',
                'place_id': self.place.id, 'seats': 10})

    def test_decided_requests_keep_their_summary(self):
        """Manual 002: a validated request, "vous avez la possibilité de
        consulter la saisie": its summary is what it was when decided,
        whatever becomes of the session; a pending request compares with
        the session as it is."""
        created = self._new_session_request()
        summary = created._summary_lines()
        created.sudo(self.manager).action_validate()
        session = created.session_id
        self._assert_summary(created, summary)
        self.assertFalse(created._summary_lines())
        change = self._change_seats(session, 12)
        change_summary = change._summary_lines()
        self.assertEqual([line[1:] for line in change_summary],
                         [('10', '12')])
        change.sudo(self.manager).action_validate()
        refused = self._change_seats(session, 14)
        refused_summary = refused._summary_lines()
        refused.sudo(self.manager).refusal_reason = 'Trop de places'
        refused.sudo(self.manager).action_refuse()
        pending = self._change_seats(session, 16)
        self._change_seats(session, 20).sudo(self.manager).action_validate()
        # every decided one as it was decided, the pending one live
        self._assert_summary(created, summary)
        self._assert_summary(change, change_summary)
        self._assert_summary(refused, refused_summary)
        self.assertEqual([line[1:] for line in refused_summary],
                         [('12', '14')])
        self.assertEqual(
            [line[1:] for line in pending._shown_summary_lines()],
            [('20', '16')])
        self.assertFalse(pending.line_ids)

    def _change_seats(self, session, seats):
        return self.Request.sudo(self.user).create({
            'component_id': self.component.id, 'session_id': session.id,
            'session_number': '01', 'date_start': '2022-09-01',
            'date_end': '2022-12-31', 'place_id': self.place.id,
            'seats': seats})

    def _assert_summary(self, request, lines):
        """``request``, as its requester reads it, shows the summary
        ``lines`` (label, before, after), in order."""
        request = request.sudo(self.user)
        self.assertEqual(
            [(line.name, line.value_before, line.value_after)
             for line in request.line_ids], lines)
        self.assertEqual(request._shown_summary_lines(), lines)
        for line in lines:
            self.assertIn('<tr><td>%s</td><td>%s</td><td>%s</td></tr>'
                          % line, request.summary_html)

    def test_the_seats_are_required(self):
        """Manual 002: "Nb. de places *". A request without seats is
        refused; 0 is a number, the one that cancels an existing session
        ("mettre à 0 les places"), never a new one."""
        self.assertTrue(self.Request.fields_get(['seats'])['seats'][
            'required'])
        values = {'component_id': self.component.id, 'session_number': '01',
                  'date_start': '2022-09-01', 'date_end': '2022-12-31',
                  'place_id': self.place.id}
        Request = self.Request.sudo(self.user)
        for given in ({}, {'seats': False}, {'seats': None}):
            with self.assertRaisesRegex(
                    ValidationError, 'number of seats of the session: it '
                                     'is required|Nb. de places'), \
                    self.cr.savepoint():
                Request.create(dict(values, **given))
        with self.assertRaisesRegex(ValidationError, NEW_WITHOUT_SEATS), \
                self.cr.savepoint():
            Request.create(dict(values, seats=0))
        request = Request.create(dict(values, seats=10))
        for seats, message in ((False, 'it is required|Nb. de places'),
                               (0, NEW_WITHOUT_SEATS)):
            with self.assertRaisesRegex(ValidationError, message), \
                    self.cr.savepoint():
                request.write({'seats': seats})
        with self.assertRaises(psycopg2.IntegrityError), \
                mute_logger('odoo.sql_db'), self.cr.savepoint():
            request.write({'seats': -1})
        request.invalidate_cache()
        self.assertEqual(request.seats, 10)
        self.assertFalse(self.component.session_ids)

    def test_only_managers_decide(self):
        request = self._new_session_request()
        with self.assertRaises(UserError):
            request.sudo(self.user).action_validate()
        with self.assertRaises(UserError):
            request.sudo(self.manager).action_refuse()
        request.sudo(self.manager).refusal_reason = 'Dates hors marché'
        request.sudo(self.manager).action_refuse()
        self.assertEqual(request.state, 'refused')
        self.assertFalse(self.component.session_ids)

    def test_deletion_rules(self):
        pending = self._new_session_request()
        with self.assertRaises(UserError):
            pending.sudo(self.user2).unlink()
        pending.sudo(self.user).unlink()
        validated = self._new_session_request()
        validated.sudo(self.manager).action_validate()
        session = validated.session_id
        for user in (self.user, self.manager, self.admin):
            with self.assertRaises(UserError):
                validated.sudo(user).unlink()
            with self.assertRaises(UserError):
                session.sudo(user).unlink()
            with self.assertRaises(UserError):
                session.info_session_ids.sudo(user).unlink()
        with self.assertRaises(UserError):
            session.sudo().unlink()
        with self.assertRaises(UserError):
            validated.sudo(self.manager).write({'seats': 3})

    def test_funded_data_change_only_through_requests(self):
        request = self._new_session_request()
        request.sudo(self.manager).action_validate()
        session = request.session_id
        with self.assertRaises(UserError):
            session.sudo(self.user).write({'seats': 20})
        with self.assertRaises(UserError):
            session.info_session_ids.sudo(self.user).write({'seats': 20})
        session.sudo(self.user).write({'comment': 'Libre'})

    def test_cancel_by_setting_seats_to_zero(self):
        request = self._new_session_request()
        request.sudo(self.manager).action_validate()
        session = request.session_id
        cancel = self.Request.sudo(self.user).create({
            'component_id': self.component.id, 'session_id': session.id,
            'session_number': '01', 'date_start': '2022-09-01',
            'date_end': '2022-12-31', 'place_id': self.place.id,
            'seats': 0, 'info_ids': [(0, 0, dict(
                session.info_session_ids._info_values(), seats=0,
                info_session_id=session.info_session_ids.id))]})
        # "Nb. de places | 10 | 0": 0 is shown, for the information
        # session too
        lines = cancel._summary_lines()
        self.assertEqual([line[1:] for line in lines],
                         [('10', '0'), ('15', '0')])
        # the session's, then its information session's (one level down)
        self.assertTrue(lines[0][0].endswith('/ Session n° 01 / Seats'))
        self.assertTrue(lines[1][0].endswith(' / Seats'))
        self.assertEqual(len(lines[1][0].split(' / ')), 4)
        self.assertIn('<td>10</td><td>0</td>', cancel.summary_html)
        # the requester is told what 0 does
        warning = cancel._onchange_seats()['warning']
        self.assertRegex(warning['message'], 'cancelled|annulée')
        cancel.sudo(self.manager).action_validate()
        self.assertEqual(cancel.sudo(self.user)._shown_summary_lines(),
                         lines)
        self.assertEqual(session.state, 'cancelled')
        self.assertEqual(session.seats, 0)
        self.assertEqual(session.info_session_ids.seats, 0)
        self.assertTrue(session.exists())

    def test_a_new_information_session_without_seats_shows_0(self):
        """0 is a value in the summary: an information session proposed
        with 0 seats reads "- | 0", not nothing."""
        request = self._new_session_request(info_ids=[(0, 0, {
            'date': '2022-08-31', 'time_start': 10.0, 'time_end': 12.0,
            'seats': 0, 'zip': '34500', 'street_name': 'de la Madeleine',
            'city': 'BEZIERS'})])
        # the session's seats, then the information session's
        seats = [line[1:] for line in request._summary_lines()
                 if line[0].endswith(' / Seats')]
        self.assertEqual(seats, [('-', '10'), ('-', '0')])

    def test_the_starred_fields_are_required(self):
        """Manual 002: session number, dates and place of the session, and
        the information session's street, postal code and city are
        marked *: a request without one is not recorded."""
        for missing in ('session_number', 'date_start', 'date_end',
                        'place_id'):
            with self.assertRaises(psycopg2.IntegrityError) as caught, \
                    mute_logger('odoo.sql_db'), self.cr.savepoint():
                self._new_session_request(**{missing: False})
            self.assertIn(missing, str(caught.exception))
        info = {'date': '2022-08-31', 'time_start': 10.0, 'time_end': 12.0,
                'seats': 15, 'street_name': 'de la Madeleine',
                'zip': '34000', 'city': 'MONTPELLIER'}
        for missing in ('street_name', 'zip', 'city'):
            with self.assertRaises(psycopg2.IntegrityError) as caught, \
                    mute_logger('odoo.sql_db'), self.cr.savepoint():
                self._new_session_request(
                    info_ids=[(0, 0, dict(info, **{missing: False}))])
            self.assertIn(missing, str(caught.exception))
        self.assertFalse(self.Request.search(
            [('component_id', '=', self.component.id)]))

    def test_validated_sessions_get_the_catalogue_course_and_are_published(
            self):
        """Manual 002: once validated, the sessions "sont alors transmis
        via le flux à destination du CARIF": a validated request gives its
        session the catalogue course of its component, else of the
        component's action, and publishes it."""
        Course = self.env['training.course']
        organisation = self.Partner.create(
            {'name': 'Organisme Projet Pro', 'is_company': True})
        course = Course.create({'name': 'Construire son projet',
                                'organisation_id': organisation.id})
        own_course = Course.create({'name': 'Projet pro, Agde'})
        action = self.component.action_id
        action.sudo(self.manager).course_id = course
        request = self._new_session_request()
        request.sudo(self.manager).action_validate()
        session = request.session_id
        self.assertEqual(
            (session.course_id, session.publication_state,
             session.organisation_id),
            (course, 'published', organisation))
        # a component's own course comes first
        other = self.env['training.action.component'].sudo(
            self.manager).create({
                'action_id': action.id, 'number': '02', 'name': 'Agde',
                'date_start': '2022-09-01', 'date_end': '2024-06-30',
                'course_id': own_course.id})
        request = self._new_session_request(component_id=other.id)
        request.sudo(self.manager).action_validate()
        self.assertEqual(
            (request.session_id.course_id,
             request.session_id.publication_state),
            (own_course, 'published'))
        # an existing draft of the component, without a course, gets it;
        # one with its own course keeps it
        draft = self._create_session(component_id=self.component.id)
        chosen = self._create_session(component_id=self.component.id,
                                      course_id=own_course.id)
        for existing, number in ((draft, '02'), (chosen, '03')):
            request = self._new_session_request(
                session_id=existing.id, session_number=number, info_ids=[])
            request.sudo(self.manager).action_validate()
            self.assertEqual(
                (existing.publication_state, existing.is_validated),
                ('published', True))
        self.assertEqual((draft.course_id, chosen.course_id),
                         (course, own_course))
        # a request that cancels a draft does not publish it
        cancelled = self._create_session(component_id=self.component.id)
        request = self._new_session_request(
            session_id=cancelled.id, session_number='04', seats=0,
            info_ids=[])
        request.sudo(self.manager).action_validate()
        self.assertEqual(
            (cancelled.state, cancelled.publication_state),
            ('cancelled', 'draft'))

    def test_a_course_set_later_reaches_the_validated_sessions(self):
        """A session validated before its action had a catalogue course
        gets it as soon as it is set (the feed asks for it)."""
        request = self._new_session_request()
        request.sudo(self.manager).action_validate()
        session = request.session_id
        self.assertEqual(
            (session.course_id, session.publication_state),
            (self.env['training.course'], 'published'))
        course = self.env['training.course'].create(
            {'name': 'Construire son projet'})
        self.component.sudo(self.manager).course_id = course
        self.assertEqual(session.course_id, course)
        # not a session the funder has not validated
        draft = self._create_session(component_id=self.component.id)
        self.component.action_id.sudo(self.manager).course_id = \
            self.env['training.course'].create({'name': 'Autre'})
        self.assertFalse(draft.course_id)
        self.assertEqual(session.course_id, course)


class TestChangeRequestForm(TrainingCase):
    """A decided request reads as decided: every proposed value of its form
    is read-only once it is no longer pending (Odoo 11 ignores readonly on
    a group, so each field carries it)."""

    def test_proposed_values_read_only_once_decided(self):
        view = self.env['training.change.request'].fields_view_get(
            view_type='form')
        arch = etree.fromstring(view['arch'])
        for name in ('request_type', 'component_id', 'session_id',
                     'session_number', 'date_start', 'date_end', 'place_id',
                     'seats', 'info_ids'):
            nodes = arch.xpath('//field[@name="%s"]' % name)
            self.assertTrue(nodes, name)
            modifiers = json.loads(nodes[0].get('modifiers') or '{}')
            self.assertEqual(modifiers.get('readonly'),
                             [['state', '!=', 'pending']], name)
