# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import psycopg2
from lxml import etree

from odoo.exceptions import AccessError, ValidationError
from odoo.tools import mute_logger

from .common import BrowserCase, TrainingCase


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
        # what the form shows while the line is entered
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


class TestComponentVolumes(TrainingCase):
    """Issue 15: the total of a volume follows its figures whoever saves
    it, and a component totals its volumes unit by unit (manual 002)."""

    @classmethod
    def setUpClass(cls):
        super(TestComponentVolumes, cls).setUpClass()
        cls.component = cls._funded_component(
            'LOT-VOLUMES', '2022-09-01', '2024-06-30')
        cls.Volume = cls.env['training.action.component.volume'].sudo(
            cls.manager)

    def _hours(self, **vals):
        values = {'component_id': self.component.id,
                  'name': 'Heure stagiaire centre', 'unit': 'centre_hours',
                  'headcount': 120, 'volume_average': 310.0}
        values.update(vals)
        return self.Volume.create(values)

    def test_volume_total_follows_figures_without_form(self):
        volume = self._hours()
        self.assertEqual(volume.volume_total, 37200.0)
        volume.write({'headcount': 100})
        self.assertEqual(volume.volume_total, 31000.0)
        volume.volume_average = 300.0
        self.assertEqual(volume.volume_total, 30000.0)
        volume.write({'headcount': 110, 'volume_average': 200.0,
                      'volume_total': 22000.0})
        self.assertEqual(volume.volume_total, 22000.0)
        volume.invalidate_cache()
        self.cr.execute('SELECT volume_total FROM '
                        'training_action_component_volume WHERE id = %s',
                        (volume.id,))
        self.assertEqual(self.cr.fetchone()[0], 22000.0)

    def test_volume_total_of_other_figures_refused(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._hours(volume_total=0)
        volume = self._hours(volume_total=37200.0)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            volume.write({'volume_total': 40000.0})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            volume.write({'headcount': 10, 'volume_total': 37200.0})
        self.assertEqual((volume.headcount, volume.volume_total),
                         (120, 37200.0))

    def test_volume_flat_fees_keep_their_total(self):
        flat = self.Volume.create({
            'component_id': self.component.id, 'unit': 'flat_fee',
            'name': 'Forfait parcours Projet Pro', 'volume_total': 12})
        self.assertEqual((flat.volume_total, flat.flat_fee_count),
                         (12.0, 12.0))
        flat.volume_total = 15
        self.assertEqual(flat.volume_total, 15.0)
        # the figures of hours are not the total of a flat fee
        flat.write({'headcount': 120, 'volume_average': 310.0})
        self.assertEqual(flat.volume_total, 15.0)
        flat.unit = 'centre_hours'
        self.assertEqual(flat.volume_total, 37200.0)

    def test_volume_import(self):
        result = self.Volume.load(
            ['component_id/.id', 'name', 'unit', 'headcount',
             'volume_average'],
            [[str(self.component.id), 'Heure stagiaire entreprise',
              'company_hours', '120', '140']])
        self.assertFalse(result['messages'])
        volume = self.Volume.browse(result['ids'])
        self.assertEqual(volume.volume_total, 16800.0)

    def test_volume_totals_per_unit(self):
        self._hours()
        self._hours(name='Heure stagiaire centre (bis)', headcount=10,
                    volume_average=100.0)
        self._hours(name='Heure stagiaire entreprise',
                    unit='company_hours', volume_average=140.0)
        self.Volume.create({
            'component_id': self.component.id, 'unit': 'flat_fee',
            'name': 'Forfait parcours Projet Pro', 'volume_total': 12})
        component = self.component.sudo(self.manager)
        self.assertEqual(
            (component.volume_total_centre_hours,
             component.volume_total_company_hours,
             component.volume_total_flat_fee),
            (38200.0, 16800.0, 12.0))
        component.volume_ids.filtered(
            lambda volume: volume.unit == 'company_hours').headcount = 60
        self.assertEqual(component.volume_total_company_hours, 8400.0)
        # what the user of the training department reads
        self.assertEqual(
            self.component.sudo(self.user).volume_total_centre_hours,
            38200.0)

    def test_volume_list_adds_no_units_together(self):
        arch = etree.fromstring(self.env['training.action.component'].sudo(
            self.manager).fields_view_get(view_type='form')['arch'])
        self.assertFalse(arch.xpath("//field[@name='volume_ids']"
                                    "//field[@sum or @avg]"))
        for name in ('volume_total_centre_hours',
                     'volume_total_company_hours', 'volume_total_flat_fee'):
            self.assertTrue(arch.xpath("//field[@name='%s']" % name))

    def test_volume_lines_of_an_older_database_fixed_at_update(self):
        hours = self._hours()
        flat = self.Volume.create({
            'component_id': self.component.id, 'unit': 'flat_fee',
            'name': 'Forfait parcours Projet Pro', 'volume_total': 12})
        bare = self._hours(name='Sans effectif', headcount=0)
        # as saved by RPC before the total was computed
        self.cr.execute("""
            UPDATE training_action_component_volume
               SET volume_total = CASE id WHEN %s THEN 0 WHEN %s THEN 12
                                          ELSE 500 END,
                   flat_fee_count = NULL
             WHERE id IN %s""", (hours.id, flat.id, tuple(
            (hours | flat | bare).ids)))
        self.Volume.invalidate_cache()
        with mute_logger('odoo.addons.training_session.models.'
                         'training_action_component_volume'):
            self.env['training.action.component.volume'].init()
        self.Volume.invalidate_cache()
        self.assertEqual(hours.volume_total, 37200.0)
        self.assertEqual((flat.volume_total, flat.flat_fee_count),
                         (12.0, 12.0))
        # no figures to follow: the total entered is kept
        self.assertEqual(bare.volume_total, 500.0)


class TestComponentVolumesOverRpc(BrowserCase):
    """The same totals for a training manager over JSON-RPC, as a client
    without the form saves them."""

    def test_volume_total_over_rpc(self):
        with self.server_env() as env:
            component_id = env.ref(
                'training_session.training_action_component_forp_demo').id
        self.authenticate('responsable', 'responsable')
        Volume = 'training.action.component.volume'
        answer = self.call(Volume, 'create', [{
            'component_id': component_id, 'name': 'Heure stagiaire centre',
            'unit': 'centre_hours', 'headcount': 120,
            'volume_average': 310}])
        volume_id = answer['result']

        def total():
            return self.call(Volume, 'read', [[volume_id], [
                'volume_total']])['result'][0]['volume_total']
        self.assertEqual(total(), 37200.0)
        self.call(Volume, 'write', [[volume_id], {'headcount': 100}])
        self.assertEqual(total(), 31000.0)
        answer = self.call(Volume, 'write', [[volume_id],
                                             {'volume_total': 0}])
        self.assertIn('error', answer)
        self.assertEqual(total(), 31000.0)
        answer = self.call('training.action.component', 'read', [
            [component_id], ['volume_total_centre_hours',
                             'volume_total_company_hours',
                             'volume_total_flat_fee']])
        totals = answer['result'][0]
        # the demo's 37,200 hc, 16,800 he and 120 fp, and the new line
        self.assertEqual(
            (totals['volume_total_centre_hours'],
             totals['volume_total_company_hours'],
             totals['volume_total_flat_fee']),
            (68200.0, 16800.0, 120.0))
