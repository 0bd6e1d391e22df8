# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The planning timeline (OCA web_timeline, issue 18): slots by room and
by trainer, double bookings coloured, and moves written as the timeline
writes them, through the slot's ``write`` (planning lock, invitations)."""
from unittest import mock

from lxml import etree

from odoo.exceptions import UserError

from .common import TrainingCase

START, END = '2027-03-01 08:00:00', '2027-03-01 16:00:00'
# what web_timeline writes when a slot is dragged one day later, to the
# row of another room
# the planning lock's refusal, in English or French
LOCKED = 'can no longer be changed|ne peuvent plus être modifiés'
MOVED = {'date_start': '2027-03-02 08:00:00',
         'date_end': '2027-03-02 16:00:00'}


class TestTimeline(TrainingCase):

    @classmethod
    def setUpClass(cls):
        super(TestTimeline, cls).setUpClass()
        cls.session = cls._create_session(name='Planning', year='2027')
        cls._add_sequence(cls.session, slots=[
            (START, END, {'room_id': cls.room.id,
                          'trainer_ids': [(6, 0, cls.other_trainer.ids)]})])
        cls.slot = cls.session.slot_ids
        cls.trainer2 = cls.Partner.create({'name': 'Zoé Formatrice'})

    def _timeline(self, xmlid):
        """The timeline view of the action ``xmlid`` as the training user
        gets it: (arch, fields)."""
        action = self.env.ref('training_session.%s' % xmlid)
        views = dict((mode, view_id) for view_id, mode in action.views)
        self.assertEqual(action.views[0][1], 'timeline')
        result = self.Slot.sudo(self.user).fields_view_get(
            views['timeline'], 'timeline')
        return etree.fromstring(result['arch']), result['fields']

    def test_timeline_by_room_and_by_trainer(self):
        for xmlid, group_by in (
                ('training_slot_action_timeline_room', 'room_id'),
                ('training_slot_action_timeline_trainer',
                 'planning_trainer_id')):
            arch, fields = self._timeline(xmlid)
            self.assertEqual(arch.tag, 'timeline')
            self.assertEqual(arch.get('default_group_by'), group_by)
            self.assertEqual(
                (arch.get('date_start'), arch.get('date_stop')),
                ('date_start', 'date_end'))
            # double bookings in red
            self.assertEqual(arch.get('colors'),
                             '#ec7063:has_conflict == true;')
            self.assertIn(group_by, fields)
            self.assertIn('has_conflict', fields)
        # in the Planning menu
        menus = self.env['ir.ui.menu'].sudo(self.user).search([
            ('parent_id', '=', self.env.ref(
                'training_session.training_menu_planning').id)])
        self.assertIn(self.env.ref(
            'training_session.training_slot_action_timeline_trainer'),
            menus.mapped('action'))
        self.assertIn(self.env.ref(
            'training_session.training_slot_action_timeline_room'),
            menus.mapped('action'))

    def test_rows_and_double_bookings_as_the_timeline_reads_them(self):
        other = self._create_session(name='Autre', year='2027')
        self._add_sequence(other, slots=[
            ('2027-03-01 10:00:00', '2027-03-01 12:00:00',
             {'room_id': self.room.id})])
        _arch, fields = self._timeline('training_slot_action_timeline_room')
        records = self.Slot.sudo(self.user).search_read(
            [('id', 'in', (self.slot | other.slot_ids).ids)], list(fields))
        by_id = {record['id']: record for record in records}
        self.assertEqual(by_id[self.slot.id]['room_id'][0], self.room.id)
        self.assertEqual(by_id[self.slot.id]['planning_trainer_id'][0],
                         self.other_trainer.id)
        self.assertTrue(all(record['has_conflict'] for record in records))

    def test_move_on_a_locked_planning(self):
        """A trainee registered: the planning is locked for users, an
        Operational Manager moves the slot, with its invitations."""
        self._register(self.session)
        self.assertTrue(self.session.planning_lock)
        with self.assertRaisesRegex(UserError, LOCKED), \
                self.cr.savepoint():
            self.slot.sudo(self.user).write(dict(MOVED,
                                                 room_id=self.room2.id))
        self.slot.invalidate_cache()
        self.assertEqual((self.slot.date_start, self.slot.room_id),
                         (START, self.room))
        Sequence = type(self.env['training.sequence'])
        with mock.patch.object(Sequence, '_notify_calendar',
                               autospec=True) as notify:
            self.slot.sudo(self.manager).write(dict(MOVED,
                                                    room_id=self.room2.id))
        self.assertEqual(
            (self.slot.date_start, self.slot.date_end, self.slot.room_id),
            (MOVED['date_start'], MOVED['date_end'], self.room2))
        # the invitations of the sequence follow the move
        self.assertEqual(notify.call_count, 1)
        self.assertEqual(notify.call_args[0][0], self.slot.sequence_id)
        # the session follows its slot
        self.assertEqual(self.session.date_start, MOVED['date_start'])

    def test_drop_on_another_trainer_row(self):
        slot = self.slot.sudo(self.user)
        slot.write(dict(MOVED, planning_trainer_id=self.trainer2.id))
        self.assertEqual(slot.trainer_ids, self.trainer2)
        self.assertEqual(slot.planning_trainer_id, self.trainer2)
        # moved within the row of one of its trainers: they stay
        slot.trainer_ids = [(4, self.other_trainer.id)]
        slot.write({'planning_trainer_id': self.trainer2.id})
        self.assertEqual(slot.trainer_ids, self.trainer2 | self.other_trainer)
        # a slot of the row without trainer moves in time only
        slot.trainer_ids = [(5,)]
        slot.write(dict(date_start=START, date_end=END,
                        planning_trainer_id=False))
        self.assertFalse(slot.trainer_ids)
        # a co-trainer alone: the row is theirs
        slot.cotrainer_id = self.other_trainer
        self.assertEqual(slot.planning_trainer_id, self.other_trainer)
        slot.write({'planning_trainer_id': self.trainer2.id})
        self.assertEqual(slot.cotrainer_id, self.trainer2)
        # dropped on the row without trainer: refused, trainers are
        # removed in the slot's form
        with self.assertRaisesRegex(UserError, 'row|ligne'), \
                self.cr.savepoint():
            slot.write({'planning_trainer_id': False})
        # the lock applies as to any move
        self._register(self.session)
        with self.assertRaisesRegex(UserError, LOCKED), self.cr.savepoint():
            slot.write({'planning_trainer_id': self.other_trainer.id})
