# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from odoo.exceptions import AccessError, UserError

from .common import TrainingCase


class TestAttendance(TrainingCase):
    """One attendance per registration and slot, kept in step, recorded by
    the trainer and validated by the tutor (manual 004)."""

    @classmethod
    def setUpClass(cls):
        super(TestAttendance, cls).setUpClass()
        cls.session = cls._create_session(
            name='Ateliers emploi',
            tutor_ids=[(6, 0, cls.tutor.partner_id.ids)])
        # Paris: 1 March 09:00-16:00 (morning and afternoon), 8 March
        # 09:00-12:00 (morning only)
        cls.sequence = cls._add_sequence(cls.session, 'Atelier 1', slots=[
            ('2027-03-01 08:00:00', '2027-03-01 15:00:00',
             {'trainer_ids': [(6, 0, cls.trainer.partner_id.ids)]}),
            ('2027-03-08 08:00:00', '2027-03-08 11:00:00')])
        cls.slot_day, cls.slot_morning = cls.sequence.slot_ids.sorted(
            'date_start')

    def test_lines_follow_registrations_and_slots(self):
        reg = self._register(self.session)
        self.assertEqual(reg.attendance_ids.mapped('slot_id'),
                         self.slot_day | self.slot_morning)
        self.assertEqual(set(reg.attendance_ids.mapped('state')), {'todo'})
        other = self._register(self.session)
        slot = self.Slot.create({
            'sequence_id': self.sequence.id,
            'date_start': '2027-03-15 08:00:00',
            'date_end': '2027-03-15 11:00:00'})
        self.assertEqual(slot.attendance_ids.mapped('registration_id'),
                         reg | other)
        # a request or the waiting list has no attendance
        request = self._register(self.session, state='draft')
        self.assertFalse(request.attendance_ids)
        slot.unlink()
        self.assertEqual(len(reg.attendance_ids), 2)
        # cancelling removes what was not recorded yet
        other.action_cancel()
        self.assertFalse(other.attendance_ids)

    def test_recorded_attendance_is_never_removed(self):
        reg = self._register(self.session)
        line = reg.attendance_ids.filtered(
            lambda att: att.slot_id == self.slot_day)
        line.write({'state': 'present'})
        # the message names the trainee whose attendance is recorded
        with self.assertRaisesRegex(UserError, 'Jean Stagiaire'):
            self.slot_day.sudo(self.manager).unlink()
        with self.assertRaisesRegex(UserError, 'Jean Stagiaire'):
            reg.unlink()
        reg.action_cancel()
        self.assertEqual(reg.attendance_ids, line)

    def test_trainer_records_tutor_validates_then_locked(self):
        reg = self._register(self.session)
        line = reg.attendance_ids.filtered(
            lambda att: att.slot_id == self.slot_day)
        line.sudo(self.trainer).write(
            {'state': 'absent', 'comment': 'Prévenu la veille'})
        # a trainer does not validate
        with self.assertRaises(UserError):
            line.sudo(self.trainer).action_validate()
        self.assertFalse(line.validated_on)
        # nothing is validated while a line is still to record: the
        # message names the trainee
        with self.assertRaisesRegex(UserError, 'Jean Stagiaire'):
            reg.attendance_ids.sudo(self.tutor).action_validate()
        line.sudo(self.tutor).write({'state': 'excused'})
        line.sudo(self.tutor).action_validate()
        self.assertEqual(line.validated_by_id, self.tutor)
        self.assertTrue(line.validated_on)
        for user in (self.trainer, self.tutor, self.user):
            with self.assertRaises(UserError):
                line.sudo(user).write({'state': 'present'})
            self.assertEqual(line.state, 'excused')
        line.sudo(self.manager).write({'state': 'present'})
        self.assertEqual(line.state, 'present')
        # the validation itself is never written directly
        for values in ({'validated_on': False}, {'validated_by_id': False},
                       {'slot_id': self.slot_morning.id}):
            with self.assertRaises(UserError):
                line.sudo(self.tutor).write(values)
        self.assertTrue(line.validated_on)

    def test_recorded_attendance_survives_no_deletion(self):
        reg = self._register(self.session)
        reg.attendance_ids[0].state = 'present'
        for records in (reg.attendance_ids[0], self.sequence,
                        self.session):
            with self.assertRaises(UserError), self.cr.savepoint():
                records.sudo(self.manager).unlink()
        with self.assertRaises(UserError):
            reg.write({'session_id': self._create_session().id})

    def test_who_sees_which_attendance(self):
        reg = self._register(self.session, self.trainee.partner_id)
        someone = self._register(self.session)
        Attendance = self.env['training.attendance']
        self.assertEqual(
            Attendance.sudo(self.trainee).search(
                [('session_id', '=', self.session.id)]),
            reg.attendance_ids)
        with self.assertRaises(AccessError):
            someone.attendance_ids.sudo(self.trainee).read(['state'])
        with self.assertRaises(AccessError):
            reg.attendance_ids.sudo(self.trainee).write({'state': 'present'})
        # the trainer sees the slot they teach, the tutor the whole session
        self.assertEqual(
            Attendance.sudo(self.trainer).search(
                [('session_id', '=', self.session.id)]).mapped('slot_id'),
            self.slot_day)
        self.assertEqual(len(Attendance.sudo(self.tutor).search(
            [('session_id', '=', self.session.id)])), 4)

    def test_half_days_in_local_time(self):
        self.assertEqual(self.slot_day.half_day_count, 2)
        self.assertEqual(self.slot_morning.half_day_count, 1)
        self.assertEqual(self.slot_day.half_days(), [
            (datetime.date(2027, 3, 1), 'am'),
            (datetime.date(2027, 3, 1), 'pm')])
        # 14:00-17:30 in Paris, summer time: afternoon only
        afternoon = self.Slot.create({
            'sequence_id': self.sequence.id,
            'date_start': '2027-07-05 12:00:00',
            'date_end': '2027-07-05 15:30:00'})
        self.assertEqual(afternoon.half_days(),
                         [(datetime.date(2027, 7, 5), 'pm')])
        # printed as superuser for a portal user: the caller's zone (the
        # context's) wins over the printing user's
        paris, self.env.user.tz = self.env.user.tz, 'America/New_York'
        self.assertEqual(
            afternoon.with_context(tz='Europe/Paris').half_days(),
            [(datetime.date(2027, 7, 5), 'pm')])
        # 08:00-11:30 in New York
        self.assertEqual(afternoon.with_context(tz=False).half_days(),
                         [(datetime.date(2027, 7, 5), 'am')])
        self.env.user.tz = paris
        # two full days
        two_days = self.Slot.create({
            'sequence_id': self.sequence.id,
            'date_start': '2027-07-06 07:00:00',
            'date_end': '2027-07-07 15:00:00'})
        self.assertEqual(two_days.half_day_count, 4)
