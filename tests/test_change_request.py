# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import psycopg2

from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger

from .common import TrainingCase


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
        request = self._new_session_request(date_end='2024-12-31')
        with self.assertRaises(ValidationError), self.cr.savepoint():
            request.sudo(self.manager).action_validate()
        request.invalidate_cache()
        self.assertEqual(request.state, 'pending')
        self.assertFalse(self.component.session_ids)
        self.assertFalse(self.env['training.info.session'].search(
            [('date', '=', '2022-08-31')]))

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
        cancel.sudo(self.manager).action_validate()
        self.assertEqual(session.state, 'cancelled')
        self.assertEqual(session.seats, 0)
        self.assertEqual(session.info_session_ids.seats, 0)
        self.assertTrue(session.exists())

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
