# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError

from .common import TrainingCase


class TestPopulationVisibility(TrainingCase):
    """A session with populations is visible only to their users; without
    populations, to every training user; managers see everything."""

    @classmethod
    def setUpClass(cls):
        super(TestPopulationVisibility, cls).setUpClass()
        Population = cls.env['training.population']
        cls.pop_user = Population.create({
            'name': 'Siège', 'user_ids': [(6, 0, cls.user.ids)]})
        cls.pop_other = Population.create({'name': 'Usine'})
        cls.open_session = cls._create_session(name='Ouverte')
        cls.mine = cls._create_session(
            name='Siège', population_ids=[(6, 0, cls.pop_user.ids)])
        cls.hidden = cls._create_session(
            name='Usine', population_ids=[(6, 0, cls.pop_other.ids)])
        cls.both = cls._create_session(
            name='Tous', population_ids=[(6, 0, (cls.pop_user
                                                 | cls.pop_other).ids)])
        cls.all_sessions = cls.open_session | cls.mine | cls.hidden | cls.both
        for session in cls.all_sessions:
            seq = cls._add_sequence(session, slots=[
                ('2027-01-10 08:00:00', '2027-01-10 12:00:00')])
            cls.env['training.registration'].create({
                'session_id': session.id,
                'partner_id': cls.Partner.create({'name': 'P'}).id})
            session.sequence_ids |= seq

    def _visible(self, user, model='training.session'):
        records = self.env[model].sudo(user).search([
            ('id', 'in', self._ids_of(model))])
        return records

    def _ids_of(self, model):
        if model == 'training.session':
            return self.all_sessions.ids
        return self.env[model].search(
            [('session_id', 'in', self.all_sessions.ids)]).ids

    def test_user_in_population(self):
        visible = self._visible(self.user)
        self.assertEqual(set(visible.ids),
                         set((self.open_session | self.mine | self.both).ids))

    def test_user_in_no_population(self):
        visible = self._visible(self.user2)
        self.assertEqual(visible.ids, self.open_session.ids)

    def test_managers_see_everything(self):
        for user in (self.manager, self.admin):
            visible = self._visible(user)
            self.assertEqual(set(visible.ids), set(self.all_sessions.ids))

    def test_hidden_session_cannot_be_read(self):
        with self.assertRaises(AccessError):
            self.hidden.sudo(self.user).read(['name'])
        with self.assertRaises(AccessError):
            self.hidden.sudo(self.user).write({'name': 'Piratée'})
        self.mine.sudo(self.user).write({'name': 'Siège (modifiée)'})

    def test_children_follow_their_session(self):
        for model in ('training.sequence', 'training.slot',
                      'training.registration'):
            visible = self._visible(self.user2, model)
            self.assertEqual(visible.mapped('session_id'), self.open_session,
                             model)
            visible = self._visible(self.manager, model)
            self.assertEqual(set(visible.mapped('session_id').ids),
                             set(self.all_sessions.ids), model)


class TestRoles(TrainingCase):

    @classmethod
    def setUpClass(cls):
        super(TestRoles, cls).setUpClass()
        cls.taught = cls._create_session(
            name='Animée', publication_state='published')
        cls._add_sequence(cls.taught, slots=[
            ('2027-01-10 08:00:00', '2027-01-10 12:00:00',
             {'trainer_ids': [(6, 0, cls.trainer.partner_id.ids)]})])
        cls.followed = cls._create_session(
            name='Suivie', publication_state='published',
            tutor_ids=[(6, 0, cls.tutor.partner_id.ids)])
        cls._add_sequence(cls.followed, slots=[
            ('2027-01-11 08:00:00', '2027-01-11 12:00:00')])
        cls.unpublished = cls._session_with_slot(name='Brouillon')
        cls.foreign = cls._create_session(
            name='Autre', publication_state='published')
        cls._add_sequence(cls.foreign, slots=[
            ('2027-01-12 08:00:00', '2027-01-12 12:00:00',
             {'trainer_ids': [(6, 0, cls.other_trainer.ids)]})])
        trainee = cls.trainee.partner_id
        cls.own_registration = cls.env['training.registration'].create({
            'session_id': cls.followed.id, 'partner_id': trainee.id,
            'state': 'confirmed'})
        cls.env['training.registration'].create({
            'session_id': cls.unpublished.id, 'partner_id': trainee.id})
        cls.other_registration = cls.env['training.registration'].create({
            'session_id': cls.followed.id,
            'partner_id': cls.Partner.create({'name': 'Autre stagiaire'}).id})
        cls.sessions = cls.taught | cls.followed | cls.unpublished | \
            cls.foreign

    def _sessions_seen_by(self, user):
        return self.env['training.session'].sudo(user).search(
            [('id', 'in', self.sessions.ids)])

    def test_trainer_sees_the_sessions_they_teach(self):
        self.assertEqual(self._sessions_seen_by(self.trainer), self.taught)
        slots = self.env['training.slot'].sudo(self.trainer).search([])
        self.assertEqual(slots.mapped('session_id'), self.taught)
        with self.assertRaises(AccessError):
            self.foreign.sudo(self.trainer).read(['name'])
        with self.assertRaises(AccessError):
            self.taught.sudo(self.trainer).write({'name': 'Changée'})

    def test_tutor_sees_the_sessions_they_follow(self):
        self.assertEqual(self._sessions_seen_by(self.tutor), self.followed)
        registrations = self.env['training.registration'].sudo(
            self.tutor).search([])
        self.assertEqual(registrations,
                         self.own_registration | self.other_registration)

    def test_trainee_sees_own_published_registrations(self):
        self.assertEqual(self._sessions_seen_by(self.trainee), self.followed)
        registrations = self.env['training.registration'].sudo(
            self.trainee).search([])
        self.assertEqual(registrations, self.own_registration)
        with self.assertRaises(AccessError):
            self.other_registration.sudo(self.trainee).read(['partner_id'])
        with self.assertRaises(AccessError):
            self.own_registration.sudo(self.trainee).write(
                {'state': 'cancelled'})
        with self.assertRaises(AccessError):
            self.unpublished.sudo(self.trainee).read(['name'])

    def test_trainee_follows_the_unpublished_sessions_they_are_in(self):
        """Manual 004 (9): an enrolled trainee reads their registration,
        the planning and the attendance comments of an unpublished session;
        a mere request in it stays hidden, as do the others' registrations
        and unpublished sessions they are not enrolled in."""
        request = self.unpublished.registration_ids
        self.assertEqual(request.state, 'draft')
        with self.assertRaises(AccessError):
            self.unpublished.sudo(self.trainee).read(['name'])
        request.state = 'confirmed'
        other = self.Registration.create({
            'session_id': self.unpublished.id, 'state': 'confirmed',
            'partner_id': self.Partner.create({'name': 'Voisin'}).id})
        as_trainee = self.unpublished.sudo(self.trainee)
        self.assertEqual(as_trainee.read(['name'])[0]['name'], 'Brouillon')
        self.assertEqual(self._sessions_seen_by(self.trainee),
                         self.followed | self.unpublished)
        self.assertEqual(
            self.env['training.slot'].sudo(self.trainee).search(
                [('session_id', '=', self.unpublished.id)]),
            self.unpublished.slot_ids)
        self.assertEqual(
            self.env['training.sequence'].sudo(self.trainee).search(
                [('session_id', '=', self.unpublished.id)]),
            self.unpublished.sequence_ids)
        line = request.attendance_ids[:1]
        line.comment = 'Apporter son CV'
        self.assertEqual(line.sudo(self.trainee).comment, 'Apporter son CV')
        self.assertEqual(
            self.Registration.sudo(self.trainee).search(
                [('session_id', '=', self.unpublished.id)]), request)
        with self.assertRaises(AccessError):
            other.sudo(self.trainee).read(['partner_id'])
        # the catalogue: published sessions only
        self.assertNotIn(self.unpublished, self.Session.sudo(
            self.trainee).portal_catalogue())
        # cancelled: hidden again
        request.state = 'cancelled'
        with self.assertRaises(AccessError):
            self.unpublished.sudo(self.trainee).read(['name'])

    def test_portal_roles_cannot_create(self):
        for user in (self.trainer, self.tutor, self.trainee):
            with self.assertRaises(AccessError):
                self.env['training.session'].sudo(user).create({'name': 'X'})
            with self.assertRaises(AccessError):
                self.env['training.course'].sudo(user).create({'name': 'X'})

    def test_configuration_is_for_administrators(self):
        for user in (self.user, self.manager):
            with self.assertRaises(AccessError):
                self.env['training.population'].sudo(user).create(
                    {'name': 'X'})
            with self.assertRaises(AccessError):
                self.env['training.scheme'].sudo(user).create({'name': 'X'})
        with self.assertRaises(AccessError):
            self.env['training.room'].sudo(self.user).create({'name': 'X'})
        self.env['training.room'].sudo(self.manager).create({'name': 'R'})
        self.env['training.population'].sudo(self.admin).create(
            {'name': 'Nouvelle'})

    def test_courses_are_managed_by_managers(self):
        with self.assertRaises(AccessError):
            self.env['training.course'].sudo(self.user).create({'name': 'C'})
        course = self.env['training.course'].sudo(self.manager).create(
            {'name': 'Nouvelle formation'})
        self.assertTrue(course.sudo(self.user).name)

    def test_every_model_has_an_acl_for_every_role(self):
        groups = [self.env.ref('training_session.group_training_session_%s'
                               % role)
                  for role in ('user', 'manager', 'admin', 'trainer',
                               'tutor', 'trainee', 'certification_delegate',
                               'certification_manager')]
        models = self.env['ir.model'].search([
            ('model', '=like', 'training.%'), ('transient', '=', False)
        ]).filtered(lambda model: not self.env[model.model]._abstract)
        self.assertTrue(models)
        for model in models:
            acl_groups = self.env['ir.model.access'].search(
                [('model_id', '=', model.id)]).mapped('group_id')
            for group in groups:
                self.assertIn(group, acl_groups,
                              '%s has no ACL for %s' % (model.model,
                                                        group.name))
