# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import psycopg2

from odoo.exceptions import AccessError, ValidationError
from odoo.tools import mute_logger

from .common import TrainingCase


class TestInfoSession(TrainingCase):
    """Information sessions ("informations collectives", manual 002)."""

    @classmethod
    def setUpClass(cls):
        super(TestInfoSession, cls).setUpClass()
        cls.Info = cls.env['training.info.session']
        cls.session = cls._create_session(name='Session n° 01')

    def _info(self, **vals):
        values = {'session_id': self.session.id, 'date': '2022-08-31',
                  'time_start': 10.0, 'time_end': 12.0, 'seats': 15,
                  'street_name': 'de la Madeleine', 'zip': '34000',
                  'city': 'MONTPELLIER'}
        values.update(vals)
        return self.Info.create(values)

    def test_structured_address_and_label(self):
        info = self._info(
            street_number='12', street_number_ext='bis', street_type='rue',
            street_name='de la République', building='Bâtiment B',
            special_mention='Lieu-dit Les Aires', zip='34500',
            city='BEZIERS', cedex='CEDEX 3',
            public_comment='Bus ligne 4, arrêt Polygone')
        self.assertEqual(info.display_name.count('31/08/2022'), 1)
        self.assertIn('10:00', info.display_name)
        self.assertIn('12:00', info.display_name)
        self.assertEqual(self.session.info_session_ids, info)

    def test_times_and_seats_checked(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._info(time_start=12.0, time_end=10.0)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._info(time_start=22.0, time_end=25.0)
        with self.assertRaises(psycopg2.IntegrityError), \
                mute_logger('odoo.sql_db'), self.cr.savepoint():
            self._info(seats=-1)

    def test_postal_code_checked(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._info(zip='3450')
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._info(zip='ABCDE')

    def test_city_proposed_from_postal_code(self):
        self.Partner.create({'name': 'A', 'zip': '34500', 'city': 'Béziers'})
        self.Partner.create({'name': 'B', 'zip': '34500', 'city': 'Béziers'})
        self.Partner.create({'name': 'C', 'zip': '34500',
                             'city': 'Villeneuve'})
        info = self.Info.new({'session_id': self.session.id,
                              'zip': '34500'})
        info._onchange_zip()
        self.assertEqual(info.city, 'BÉZIERS')
        unknown = self.Info.new({'zip': '98799'})
        unknown._onchange_zip()
        self.assertFalse(unknown.city)

    def test_follow_session_visibility(self):
        population = self.env['training.population'].create(
            {'name': 'Fermée'})
        hidden = self._create_session(
            name='Cachée', population_ids=[(6, 0, population.ids)])
        info = self._info(session_id=hidden.id)
        with self.assertRaises(AccessError):
            info.sudo(self.user).read(['date'])
        self.assertTrue(info.sudo(self.manager).read(['date']))
