# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import psycopg2

from odoo.exceptions import AccessError, ValidationError
from odoo.tools import mute_logger

from .common import TrainingCase


class TestFundedAction(TrainingCase):
    """Funded actions and components (manual 002)."""

    @classmethod
    def setUpClass(cls):
        super(TestFundedAction, cls).setUpClass()
        cls.action = cls.env['training.action'].create({
            'name': 'LOT TEST FORFAIT PARCOURS 2023',
            'number': '23P0000000_TEST_1',
            'contract_number': '23P0000000',
            'holder_id': cls.Partner.create(
                {'name': 'ORGANISME TEST PRF 23', 'is_company': True}).id,
            'date_start': '2022-09-01', 'date_end': '2024-06-30',
        })
        cls.component = cls.env['training.action.component'].create({
            'action_id': cls.action.id, 'number': '01', 'code': 'FORP',
            'name': 'Formation Projet Pro', 'date_start': '2022-09-01',
            'date_end': '2024-06-30', 'city': 'BEZIERS', 'zip': '34500',
        })
        cls.session = cls._create_session(
            name='Session n° 01', component_id=cls.component.id,
            session_number='01', seats=10)

    def test_component_display_and_action(self):
        self.assertEqual(self.component.display_name,
                         '01 - FORP - Formation Projet Pro')
        self.assertEqual(self.session.action_id, self.action)

    def test_slots_within_component_dates(self):
        self._add_sequence(self.session, slots=[
            ('2022-09-01 07:00:00', '2022-09-01 15:00:00')])
        # 30 June 2024, 23:30 in Paris is still inside
        self._add_sequence(self.session, slots=[
            ('2024-06-30 20:00:00', '2024-06-30 21:30:00')])
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._add_sequence(self.session, slots=[
                ('2024-06-30 22:30:00', '2024-06-30 23:00:00')])
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._add_sequence(self.session, slots=[
                ('2022-08-31 07:00:00', '2022-08-31 15:00:00')])
        slot = self.session.slot_ids[:1]
        with self.assertRaises(ValidationError), self.cr.savepoint():
            slot.write({'date_start': '2022-08-30 07:00:00'})

    def test_planned_sequence_within_component_dates(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.Sequence.create({
                'session_id': self.session.id, 'name': 'Trop tard',
                'date_start': '2024-07-01 07:00:00',
                'date_end': '2024-07-01 15:00:00'})

    def test_component_assigned_or_shrunk_checks_sessions(self):
        other = self._create_session(name='Hors composante')
        self._add_sequence(other, slots=[
            ('2025-01-10 08:00:00', '2025-01-10 12:00:00')])
        with self.assertRaises(ValidationError), self.cr.savepoint():
            other.component_id = self.component
        self._add_sequence(self.session, slots=[
            ('2024-03-10 08:00:00', '2024-03-10 12:00:00')])
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.component.date_end = '2023-12-31'
        self.component.date_end = '2024-03-31'

    def test_volumes(self):
        Volume = self.env['training.action.component.volume']
        volume = Volume.new({'component_id': self.component.id,
                             'name': 'Heure stagiaire centre',
                             'unit': 'centre_hours', 'headcount': 120,
                             'volume_average': 310.0})
        volume._onchange_total()
        self.assertEqual(volume.volume_total, 37200.0)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            Volume.create({'component_id': self.component.id,
                           'name': 'Incohérent', 'volume_min': 200,
                           'volume_average': 150, 'volume_max': 400})
        Volume.create({'component_id': self.component.id,
                       'name': 'Forfait parcours', 'unit': 'flat_fee',
                       'volume_total': 120})

    def test_numbers_unique(self):
        with self.assertRaises(psycopg2.IntegrityError), \
                mute_logger('odoo.sql_db'), self.cr.savepoint():
            self.env['training.action.component'].create({
                'action_id': self.action.id, 'number': '01',
                'name': 'Doublon', 'date_start': '2022-09-01',
                'date_end': '2022-12-31'})
        with self.assertRaises(psycopg2.IntegrityError), \
                mute_logger('odoo.sql_db'), self.cr.savepoint():
            self.env['training.action'].create(
                {'name': 'Doublon', 'number': '23P0000000_TEST_1'})

    def test_actions_are_managed_by_managers(self):
        with self.assertRaises(AccessError):
            self.env['training.action'].sudo(self.user).create(
                {'name': 'X', 'number': 'X1'})
        self.assertEqual(
            self.action.sudo(self.user).name, self.action.name)
        self.env['training.action'].sudo(self.manager).create(
            {'name': 'Nouvelle action', 'number': '24P1'})
