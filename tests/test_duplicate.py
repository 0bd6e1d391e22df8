# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError

from .common import TrainingCase


class TestDuplicate(TrainingCase):
    """Duplicate a session on new dates (manual 001)."""

    @classmethod
    def setUpClass(cls):
        super(TestDuplicate, cls).setUpClass()
        cls.population = cls.env['training.population'].create(
            {'name': 'Siège', 'user_ids': [(6, 0, cls.user.ids)]})
        cls.source = cls._create_session(
            name='Manager une équipe', year='2027',
            capacity_min=4, capacity_max=12, session_type='inter',
            comment='Apporter un ordinateur',
            population_ids=[(6, 0, cls.population.ids)],
            trainer_ids=[(6, 0, cls.other_trainer.ids)])
        # Paris times: 15 May 09:00-17:00 (UTC+2), 27 June 09:00-17:00
        cls.prework = cls._add_sequence(
            cls.source, 'Pré-work', is_prework=True,
            date_start='2027-05-05 07:00:00', date_end='2027-05-12 16:00:00')
        cls.first = cls._add_sequence(cls.source, 'Séquence 1', slots=[
            ('2027-05-15 07:00:00', '2027-05-15 15:00:00',
             {'room_id': cls.room.id})], url='https://visio.example.fr',
            cycle='1')
        Survey = cls.env['survey.survey']
        cls.hot = Survey.create({'title': 'Évaluation à chaud'})
        cls.cold = Survey.create({'title': 'Évaluation à froid'})
        cls.second = cls._add_sequence(cls.source, 'Séquence 2', slots=[
            ('2027-06-27 07:00:00', '2027-06-27 15:00:00')],
            survey_hot_id=cls.hot.id, survey_cold_id=cls.cold.id)
        cls.env['training.registration'].create({
            'session_id': cls.source.id, 'state': 'confirmed',
            'partner_id': cls.Partner.create({'name': 'Inscrit'}).id})
        cls.env['training.cost.line'].create({
            'session_id': cls.source.id, 'amount': 1200.0,
            'cost_type_id': cls.env.ref(
                'training_session.training_cost_type_teaching').id})
        cls.env['training.funding'].create({
            'session_id': cls.source.id, 'amount': 800.0,
            'funder_id': cls.Partner.create({'name': 'OPCO'}).id})
        cls.source.message_post(body='Historique de la session')
        cls.source.action_publish()
        cls.source.action_confirm()

    def test_copied_and_reset_values(self):
        new = self.source.duplicate_on_dates('2028', '2028-01-05',
                                             '2028-03-31')
        self.assertRegex(new.code, r'^2028-\d{4}$')
        self.assertEqual(new.year, '2028')
        self.assertEqual(new.publication_state, 'draft')
        self.assertEqual(new.state, 'created')
        for name in ('name', 'capacity_min', 'capacity_max', 'session_type',
                     'comment', 'population_ids', 'trainer_ids'):
            self.assertEqual(new[name], self.source[name], name)
        self.assertFalse(new.slot_ids)
        self.assertFalse(new.registration_ids)
        # costs and fundings are the old session's, not the new one's
        self.assertEqual(len(self.source.cost_line_ids), 1)
        self.assertFalse(new.cost_line_ids)
        self.assertFalse(new.funding_ids)
        # hot and cold survey configuration of the sequences
        self.assertEqual(
            [(seq.name, seq.survey_hot_id, seq.survey_cold_id)
             for seq in new.sequence_ids],
            [(seq.name, seq.survey_hot_id, seq.survey_cold_id)
             for seq in self.source.sequence_ids])
        self.assertEqual(new.sequence_ids[-1].survey_cold_id, self.cold)
        bodies = ' '.join(new.message_ids.mapped('body'))
        self.assertNotIn('Historique de la session', bodies)

    def test_a_session_without_dates_takes_the_new_ones(self):
        source = self._create_session(name='Sans planning', year='2027')
        new = source.duplicate_on_dates('2028', '2028-02-01', '2028-02-03')
        self.assertEqual(
            (new._local(new.date_start).date().isoformat(),
             new._local(new.date_end).date().isoformat()),
            ('2028-02-01', '2028-02-03'))
        self.assertFalse(source.sequence_ids)

    def test_sequences_shifted_keeping_offsets_and_local_hours(self):
        # the pre-work starts first (5 May): it moves to 5 January 2028
        new = self.source.duplicate_on_dates('2028', '2028-01-05',
                                             '2028-03-31')
        prework, first, second = new.sequence_ids.sorted('date_start')
        self.assertEqual(prework.name, 'Pré-work')
        self.assertTrue(prework.is_prework)
        # 09:00 in Paris was 07:00 UTC in summer, is 08:00 UTC in winter
        self.assertEqual(prework.date_start, '2028-01-05 08:00:00')
        self.assertEqual(prework.date_end, '2028-01-12 17:00:00')
        self.assertEqual(first.date_start, '2028-01-15 08:00:00')
        self.assertEqual(first.date_end, '2028-01-15 16:00:00')
        self.assertEqual(first.url, 'https://visio.example.fr')
        self.assertEqual(first.cycle, '1')
        self.assertEqual(second.date_start, '2028-02-27 08:00:00')
        self.assertEqual(new.date_start, '2028-01-05 08:00:00')
        self.assertEqual(new.date_end, '2028-02-27 16:00:00')
        self.assertFalse(first.slot_ids)

    def test_end_date_must_hold_the_sequences(self):
        with self.assertRaises(UserError):
            self.source.duplicate_on_dates('2028', '2028-01-05',
                                           '2028-02-01')
        with self.assertRaises(UserError):
            self.source.duplicate_on_dates('2028', '2028-01-05',
                                           '2028-01-04')

    def test_wizard_steps(self):
        Wizard = self.env['training.session.create.wizard'].sudo(self.user)
        wizard = Wizard.create({'mode': 'create'})
        action = wizard.action_continue()
        self.assertEqual(action['res_model'], 'training.session')
        wizard = Wizard.create({'mode': 'duplicate'})
        wizard.action_continue()
        self.assertEqual(wizard.step, 'session')
        with self.assertRaises(UserError):
            wizard.action_next()
        wizard.source_session_id = self.source
        wizard.action_next()
        self.assertEqual((wizard.step, wizard.year), ('dates', '2027'))
        with self.assertRaises(UserError):
            wizard.action_duplicate()
        wizard.write({'year': '2028', 'date_start': '2028-01-05',
                      'date_end': '2028-03-31'})
        wizard.action_duplicate()
        self.assertEqual(wizard.step, 'done')
        self.assertRegex(wizard.session_id.code, r'^2028-')
        action = wizard.action_open_session()
        self.assertEqual(action['res_id'], wizard.session_id.id)

    def test_list_has_the_create_session_button(self):
        assets = self.env.ref('training_session.assets_backend')
        self.assertEqual(assets.inherit_id,
                         self.env.ref('web.assets_backend'))
        self.assertIn('training_session_list.js', assets.arch)
