# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError, ValidationError

from .common import TrainingCase


class TestPlanning(TrainingCase):

    def _complex_session(self):
        """Pre-work, then sequences on 15 May and 27 June (manual 001)."""
        session = self._create_session(name='Session complexe', year=2027)
        prework = self._add_sequence(
            session, 'Pré-work', is_prework=True,
            teaching_modality='e_learning',
            slots=[('2027-05-02 07:00:00', '2027-05-09 16:00:00',
                    {'break_duration': 100.0})])
        first = self._add_sequence(session, 'Séquence 1', slots=[
            ('2027-05-15 07:00:00', '2027-05-15 10:30:00'),
            ('2027-05-15 11:30:00', '2027-05-15 15:00:00',
             {'break_duration': 0.5}),
        ])
        second = self._add_sequence(session, 'Séquence 2', slots=[
            ('2027-06-27 07:00:00', '2027-06-27 15:00:00',
             {'break_duration': 1.0}),
        ])
        return session, prework, first, second

    def test_session_dates_include_prework(self):
        session, prework, first, second = self._complex_session()
        self.assertEqual(session.date_start, '2027-05-02 07:00:00')
        self.assertEqual(session.date_end, '2027-06-27 15:00:00')
        self.assertEqual(first.date_start, '2027-05-15 07:00:00')
        self.assertEqual(first.date_end, '2027-05-15 15:00:00')

    def test_durations_exclude_prework(self):
        session, prework, first, second = self._complex_session()
        self.assertAlmostEqual(first.duration_hours, 3.5 + 3.0)
        self.assertAlmostEqual(second.duration_hours, 7.0)
        self.assertGreater(prework.duration_hours, 0)
        self.assertAlmostEqual(session.duration_hours, 13.5)
        self.assertAlmostEqual(second.duration_days, 1.0)
        self.assertAlmostEqual(session.duration_days,
                               first.duration_days + second.duration_days)
        prework.is_prework = False
        self.assertAlmostEqual(session.duration_hours,
                               13.5 + prework.duration_hours)

    def test_dates_follow_slot_changes(self):
        session, prework, first, second = self._complex_session()
        second.slot_ids.write({'date_start': '2027-07-01 07:00:00',
                               'date_end': '2027-07-01 12:00:00'})
        self.assertEqual(session.date_end, '2027-07-01 12:00:00')
        self.assertAlmostEqual(second.duration_hours, 4.0)
        prework.unlink()
        self.assertEqual(session.date_start, '2027-05-15 07:00:00')

    def test_sequence_without_slot_uses_planned_dates(self):
        session = self._create_session()
        sequence = self.Sequence.create({
            'session_id': session.id, 'name': 'Atelier 1',
            'date_start': '2027-03-01 08:00:00',
            'date_end': '2027-03-01 16:00:00', 'cycle': '1'})
        self.assertEqual(sequence.planned_date_start, '2027-03-01 08:00:00')
        self.assertEqual(session.date_start, '2027-03-01 08:00:00')
        self.Slot.create({'sequence_id': sequence.id,
                          'date_start': '2027-03-02 08:00:00',
                          'date_end': '2027-03-02 12:00:00'})
        self.assertEqual(sequence.date_start, '2027-03-02 08:00:00')
        self.assertEqual(session.date_end, '2027-03-02 12:00:00')
        with self.assertRaises(ValidationError):
            self.Sequence.create({
                'session_id': session.id, 'name': 'À l’envers',
                'date_start': '2027-03-05 08:00:00',
                'date_end': '2027-03-04 08:00:00'})

    def test_slot_end_after_start(self):
        session = self._create_session()
        sequence = self._add_sequence(session)
        with self.assertRaises(ValidationError):
            self.Slot.create({'sequence_id': sequence.id,
                              'date_start': '2027-03-01 10:00:00',
                              'date_end': '2027-03-01 10:00:00'})
        with self.assertRaises(ValidationError):
            self.Slot.create({'sequence_id': sequence.id,
                              'date_start': '2027-03-01 10:00:00',
                              'date_end': '2027-03-01 09:00:00'})
        with self.assertRaises(ValidationError):
            self.Slot.create({'sequence_id': sequence.id,
                              'date_start': '2027-03-01 10:00:00',
                              'date_end': '2027-03-01 11:00:00',
                              'break_duration': 1.0})

    def test_slot_people_and_comments(self):
        session = self._create_session()
        host = self.Partner.create({'name': 'Hôte'})
        cotrainer = self.Partner.create({'name': 'Co Animateur'})
        sequence = self._add_sequence(session, slots=[(
            '2027-03-01 08:00:00', '2027-03-01 12:00:00', {
                'trainer_ids': [(6, 0, [self.other_trainer.id,
                                        self.trainer.partner_id.id])],
                'cotrainer_id': cotrainer.id, 'host_id': host.id,
                'room_id': self.room.id,
                'comment_place': 'Parking visiteurs',
                'comment_organisation': 'Facturation au réel',
                'comment_trainer_file': 'Imprimer les supports'})])
        slot = sequence.slot_ids
        self.assertEqual(len(slot.trainer_ids), 2)
        self.assertEqual(slot.session_id, session)
        self.assertEqual(slot.comment_place, 'Parking visiteurs')

    def test_double_booking_flagged(self):
        session = self._create_session()
        other = self._create_session()
        seq = self._add_sequence(session, slots=[
            ('2027-03-01 08:00:00', '2027-03-01 12:00:00',
             {'room_id': self.room.id,
              'trainer_ids': [(6, 0, self.other_trainer.ids)]})])
        slot = seq.slot_ids
        seq_other = self._add_sequence(other, slots=[
            # same room, overlapping
            ('2027-03-01 11:00:00', '2027-03-01 12:00:00',
             {'room_id': self.room.id}),
            # same room, right after: no conflict
            ('2027-03-01 12:00:00', '2027-03-01 14:00:00',
             {'room_id': self.room.id}),
            # other room, same trainer, overlapping
            ('2027-03-01 09:00:00', '2027-03-01 10:00:00',
             {'room_id': self.room2.id,
              'trainer_ids': [(6, 0, self.other_trainer.ids)]}),
            # other room, other trainer
            ('2027-03-01 09:00:00', '2027-03-01 10:30:00',
             {}),
        ])
        overlap, after, same_trainer, free = seq_other.slot_ids.sorted('id')
        self.assertTrue(slot.has_conflict)
        self.assertEqual(slot.conflict_slot_ids, overlap | same_trainer)
        self.assertTrue(overlap.has_conflict)
        self.assertFalse(after.has_conflict)
        self.assertTrue(same_trainer.has_conflict)
        self.assertFalse(free.has_conflict)
        flagged = self.Slot.search([
            ('has_conflict', '=', True),
            ('session_id', 'in', (session | other).ids)])
        self.assertEqual(flagged, slot | overlap | same_trainer)
        # a cancelled session does not book anything
        other.action_cancel()
        slot.invalidate_cache()
        self.assertFalse(slot.has_conflict)

    def test_cotrainer_double_booking(self):
        session = self._create_session()
        self._add_sequence(session, slots=[
            ('2027-04-01 08:00:00', '2027-04-01 12:00:00',
             {'cotrainer_id': self.other_trainer.id}),
            ('2027-04-01 10:00:00', '2027-04-01 11:00:00',
             {'trainer_ids': [(6, 0, self.other_trainer.ids)]}),
        ])
        self.assertEqual(session.slot_ids.mapped('has_conflict'),
                         [True, True])


class _Undo(Exception):
    """Raised to roll an attempt back."""


class TestPlanningLock(TrainingCase):
    """Once someone is registered, only Operational Managers and
    Administrators change the planning (manual 001)."""

    def setUp(self):
        super(TestPlanningLock, self).setUp()
        self.session = self._create_session()
        self.sequence = self._add_sequence(self.session, slots=[
            ('2027-05-15 07:00:00', '2027-05-15 15:00:00')])
        self.slot = self.sequence.slot_ids

    def _attempts(self, user):
        """Every planning change, as ``user``; returns those refused."""
        sequence = self.sequence.sudo(user)
        slot = self.slot.sudo(user)
        attempts = {
            'slot write': lambda: slot.write(
                {'date_end': '2027-05-15 16:00:00'}),
            'slot room': lambda: slot.write({'room_id': self.room.id}),
            'slot create': lambda: self.Slot.sudo(user).create({
                'sequence_id': sequence.id,
                'date_start': '2027-05-16 07:00:00',
                'date_end': '2027-05-16 09:00:00'}),
            'sequence dates': lambda: self.Sequence.sudo(user).create({
                'session_id': self.session.id, 'name': 'Nouvelle',
                'date_start': '2027-06-01 07:00:00'}),
            'sequence planned dates': lambda: sequence.write(
                {'date_start': '2027-05-14 07:00:00'}),
            'slot unlink': lambda: slot.unlink(),
            'sequence unlink': lambda: sequence.unlink(),
        }
        refused = []
        for name, attempt in attempts.items():
            try:
                with self.cr.savepoint():
                    attempt()
                    raise _Undo()
            except _Undo:
                pass
            except UserError:
                refused.append(name)
            finally:
                self.env.clear()
        return sorted(refused)

    def test_user_may_plan_before_registration(self):
        self._register(self.session, state='draft')
        self.assertEqual(self._attempts(self.user), [])

    def test_user_locked_after_registration(self):
        self._register(self.session)
        self.assertEqual(self._attempts(self.user), sorted([
            'slot write', 'slot room', 'slot create', 'sequence dates',
            'sequence planned dates', 'slot unlink', 'sequence unlink']))

    def test_lock_holds_through_a_new_sessions_slots(self):
        # a slot given with a new session, on a locked session's sequence
        self._register(self.session)
        with self.assertRaises(UserError):
            self.Session.sudo(self.user).create({
                'name': 'Par la bande', 'slot_ids': [(0, 0, {
                    'sequence_id': self.sequence.id,
                    'date_start': '2027-05-16 07:00:00',
                    'date_end': '2027-05-16 09:00:00'})]})
        self.assertEqual(self.sequence.slot_ids, self.slot)

    def test_lock_message_is_clear(self):
        self._register(self.session)
        with self.assertRaisesRegex(
                UserError, 'Operational Manager|Responsable Opérationnel'):
            self.slot.sudo(self.user).write(
                {'date_end': '2027-05-15 16:00:00'})

    def test_lock_released_when_registration_cancelled(self):
        registration = self._register(self.session)
        registration.action_cancel()
        self.assertEqual(self._attempts(self.user), [])

    def test_other_sequence_fields_stay_editable(self):
        self._register(self.session)
        self.sequence.sudo(self.user).write(
            {'url': 'https://visio.example.fr', 'status': 'closed'})
        self.assertEqual(self.sequence.status, 'closed')

    def test_managers_and_admins_may_change_planning(self):
        self._register(self.session)
        self.assertEqual(self._attempts(self.manager), [])
        self.assertEqual(self._attempts(self.admin), [])

    def test_locked_by_default(self):
        self.assertTrue(self.session.planning_lock)
        self.assertTrue(self.env['training.course'].create(
            {'name': 'Cours verrouillé'}).planning_lock)

    def test_unlocked_session_takes_planning_changes_from_users(self):
        """Manual 004 (5, NOTA): workshops are added to a session whose
        trainees are enrolled, by the employment officer."""
        self.session.planning_lock = False
        self._register(self.session)
        self.assertEqual(self._attempts(self.user), [])

    def test_only_the_sessions_own_setting_counts(self):
        course = self.env['training.course'].create(
            {'name': 'Suivi emploi', 'planning_lock': False})
        self.session.course_id = course
        self._register(self.session)
        # the course's setting is a default of its new sessions only
        self.assertEqual(len(self._attempts(self.user)), 7)
        unlocked = self._create_session(course_id=course.id)
        self.assertFalse(unlocked.planning_lock)
        course.planning_lock = True
        self.assertFalse(unlocked.planning_lock)

    def test_only_managers_change_the_setting_once_registered(self):
        session = self.session.sudo(self.user)
        # before any registration, the user decides
        session.planning_lock = False
        session.planning_lock = True
        self._register(self.session)
        with self.assertRaisesRegex(
                UserError, 'Operational Manager|Responsable Opérationnel'), \
                self.cr.savepoint():
            session.write({'planning_lock': False})
        # writing the value it has changes nothing: accepted
        session.write({'planning_lock': True})
        # nor from the course, as the form's onchange would
        course = self.env['training.course'].create(
            {'name': 'Suivi emploi', 'planning_lock': False})
        with self.assertRaises(UserError), self.cr.savepoint():
            session.write({'course_id': course.id, 'planning_lock': False})
        self.session.sudo(self.manager).planning_lock = False
        self.assertFalse(self.session.planning_lock)
        self.assertEqual(self._attempts(self.user), [])
        with self.assertRaises(UserError), self.cr.savepoint():
            session.write({'planning_lock': True})
        self.session.sudo(self.admin).planning_lock = True
        self.assertEqual(len(self._attempts(self.user)), 7)


class TestWorkshopsAddedLater(TrainingCase):
    """Manual 004 (5, NOTA): a workshop added to a session that does not
    lock its planning is attached to the trainees already enrolled, who
    get its invitation and its mails."""

    @classmethod
    def setUpClass(cls):
        super(TestWorkshopsAddedLater, cls).setUpClass()
        course = cls.env['training.course'].create(
            {'name': 'Accompagnement emploi', 'planning_lock': False})
        cls.session = cls._create_session(
            course_id=course.id, month='2027-03-01',
            calendar_invitations=True, publication_state='published')
        cls.first = cls._add_sequence(cls.session, 'Atelier 1', slots=[
            ('2027-03-01 08:00:00', '2027-03-01 15:00:00')], cycle='1')
        cls.trainees = cls.Partner.create({
            'name': 'Hugo Lambert', 'email': 'hugo@example.fr'}) | \
            cls.Partner.create({'name': 'Léa Morel',
                                'email': 'lea@example.fr'})
        cls.registrations = cls.session.register_partners(
            cls.trainees, state='confirmed')

    def test_copied_from_the_course(self):
        self.assertFalse(self.session.planning_lock)

    def test_new_workshop_attached_to_every_trainee(self):
        user = self.user
        workshop = self.Sequence.sudo(user).create({
            'session_id': self.session.id, 'name': 'Atelier 2',
            'cycle': '2'})
        slot = self.Slot.sudo(user).create({
            'sequence_id': workshop.id,
            'date_start': '2027-03-15 08:00:00',
            'date_end': '2027-03-15 15:00:00'})
        self.assertEqual(
            sorted(slot.attendance_ids.mapped('partner_id.name')),
            ['Hugo Lambert', 'Léa Morel'])
        for registration in self.registrations:
            self.assertEqual(len(registration.attendance_ids), 2)
        # a slot added to a workshop already there too
        other = self.Slot.sudo(user).create({
            'sequence_id': self.first.id,
            'date_start': '2027-03-02 08:00:00',
            'date_end': '2027-03-02 11:00:00'})
        self.assertEqual(other.attendance_ids.mapped('registration_id'),
                         self.registrations)
        # each trainee is invited to it, and its trainer file planned
        invitations = self.env['training.calendar.invitation'].search(
            [('sequence_id', '=', workshop.id)])
        self.assertEqual(invitations.mapped('registration_id'),
                         self.registrations)
        self.assertEqual(set(invitations.mapped('state')), {'sent'})
        trainer_file = self.session.mail_ids.filtered(
            lambda mail: mail.kind == 'trainer_file')
        self.assertIn(workshop, trainer_file.schedule_ids.mapped(
            'sequence_id'))
        self.assertEqual(self.session.date_end, '2027-03-15 15:00:00')

    def test_workshop_moved_and_removed_by_the_user(self):
        workshop = self._add_sequence(self.session, 'Atelier 2', slots=[
            ('2027-03-15 08:00:00', '2027-03-15 15:00:00')])
        slot = workshop.slot_ids.sudo(self.user)
        slot.write({'date_start': '2027-03-16 08:00:00',
                    'date_end': '2027-03-16 15:00:00'})
        self.assertEqual(len(slot.attendance_ids), 2)
        self.assertEqual(set(slot.attendance_ids.mapped('date_start')),
                         {'2027-03-16 08:00:00'})
        workshop.sudo(self.user).unlink()
        self.assertFalse(slot.exists())
        for registration in self.registrations:
            self.assertEqual(registration.attendance_ids.mapped('slot_id'),
                             self.first.slot_ids)


class TestPlannedDates(TrainingCase):
    """A sequence without slots keeps the dates entered on it."""

    def test_both_planned_dates_are_kept(self):
        session = self._create_session()
        sequence = self._add_sequence(
            session, 'Classe virtuelle',
            date_start='2027-09-10 07:00:00', date_end='2027-09-10 09:00:00')
        self.assertEqual(
            (sequence.date_start, sequence.date_end),
            ('2027-09-10 07:00:00', '2027-09-10 09:00:00'))
        sequence.write({'date_start': '2027-09-11 07:00:00',
                        'date_end': '2027-09-11 10:00:00'})
        self.assertEqual(
            (sequence.planned_date_start, sequence.planned_date_end),
            ('2027-09-11 07:00:00', '2027-09-11 10:00:00'))
