# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, ValidationError

from .common import TrainingCase


class TestCosts(TrainingCase):
    """Costs, fundings and evaluation of a session (manual 001)."""

    @classmethod
    def setUpClass(cls):
        super(TestCosts, cls).setUpClass()
        ref = cls.env.ref
        cls.teaching = ref('training_session.training_cost_type_teaching')
        cls.catering = ref('training_session.training_cost_type_catering')
        cls.course = cls.env['training.course'].create({
            'name': 'Manager une équipe',
            'survey_id': cls.env['survey.survey'].create(
                {'title': 'Évaluation à chaud'}).id,
            'default_cost_ids': [(0, 0, {'cost_type_id': cls.teaching.id,
                                         'amount': 1200.0})]})
        cls.session = cls._session_with_slot(course_id=cls.course.id)
        cls.supplier = cls.Partner.create({'name': 'Traiteur Lyonnais'})

    def test_amount_proposed_from_the_course_and_totals(self):
        teaching = self.env['training.cost.line'].sudo(self.user).create({
            'session_id': self.session.id,
            'cost_type_id': self.teaching.id})
        self.assertEqual(teaching.amount, 1200.0)
        line = self.env['training.cost.line'].new({
            'session_id': self.session.id})
        line.cost_type_id = self.teaching
        line._onchange_cost_type_id()
        self.assertEqual(line.amount, 1200.0)
        self.env['training.cost.line'].create({
            'session_id': self.session.id, 'cost_type_id': self.catering.id,
            'amount': 15.0, 'distribution': 'per_trainee', 'quantity': 8,
            'supplier_id': self.supplier.id, 'document_type': 'invoice'})
        self.env['training.funding'].create({
            'session_id': self.session.id, 'funder_id': self.supplier.id,
            'amount': 800.0})
        self.assertEqual((self.session.cost_total,
                          self.session.funding_total,
                          self.session.remaining_cost),
                         (1320.0, 800.0, 520.0))
        for _index in range(4):
            self._register(self.session)
        self.session.invalidate_cache()
        self.assertEqual(self.session.cost_per_trainee, 330.0)

    def test_per_trainee_needs_a_quantity(self):
        with self.assertRaises(ValidationError):
            self.env['training.cost.line'].create({
                'session_id': self.session.id,
                'cost_type_id': self.catering.id, 'amount': 15.0,
                'distribution': 'per_trainee', 'quantity': 0})

    def test_reminder_until_costs_and_evaluation(self):
        session = self._create_session(name='Sans cours')
        self.assertEqual(
            session.with_context(lang='en_US').setup_reminder,
            'Remember to fill in the costs and the evaluation.')
        # a whole sentence in French too (spaces kept)
        self.assertEqual(
            session.with_context(lang='fr_FR').setup_reminder,
            "Pensez à compléter les coûts et l'évaluation.")
        self.env['training.cost.line'].create({
            'session_id': session.id, 'cost_type_id': self.teaching.id,
            'amount': 500.0})
        # still the evaluation to choose
        session.invalidate_cache()
        self.assertEqual(
            session.with_context(lang='fr_FR').setup_reminder,
            "Pensez à compléter l'évaluation.")
        session.survey_id = self.course.survey_id
        self.assertFalse(session.setup_reminder)
        # the evaluation comes from the course
        self.assertEqual(self.session.survey_id, self.course.survey_id)

    def test_costs_are_hidden_from_participants(self):
        line = self.env['training.cost.line'].create({
            'session_id': self.session.id, 'cost_type_id': self.teaching.id})
        for user in (self.trainer, self.tutor, self.trainee):
            with self.assertRaises(AccessError):
                line.sudo(user).read(['amount'])
