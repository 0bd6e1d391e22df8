# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from .common import TrainingCase


class TestSessionMails(TrainingCase):
    """E-mail settings of a session and their estimated sends (manual
    001)."""

    @classmethod
    def setUpClass(cls):
        super(TestSessionMails, cls).setUpClass()
        cls.session = cls._create_session(name='Manager une équipe',
                                          year='2027')
        # Paris: 15 May 09:00-17:00 (UTC+2) and 27 June 09:00-17:00,
        # after a pre-work sequence
        cls.prework = cls._add_sequence(
            cls.session, 'Pré-work', is_prework=True,
            planned_date_start='2027-05-03 07:00:00',
            planned_date_end='2027-05-12 16:00:00')
        cls.first = cls._add_sequence(cls.session, 'Séquence 1', slots=[
            ('2027-05-15 07:00:00', '2027-05-15 15:00:00')])
        cls.second = cls._add_sequence(cls.session, 'Séquence 2', slots=[
            ('2027-06-27 07:00:00', '2027-06-27 15:00:00')])

    def _mail(self, kind):
        return self.session.mail_ids.filtered(lambda mail: mail.kind == kind)

    def test_prefilled_from_the_company_defaults(self):
        self.assertEqual(
            set(self.session.mail_ids.mapped('kind')),
            {'registration', 'convocation', 'trainer_file', 'organisation',
             'reminder', 'survey_hot', 'survey_cold'})

    def test_course_defaults_win(self):
        course = self.env['training.course'].create({
            'name': 'Cours avec ses e-mails',
            'mail_default_ids': [(0, 0, {
                'kind': 'convocation', 'trigger': 'session_start',
                'delay': 3, 'delay_unit': 'days', 'direction': 'before'})]})
        session = self._create_session(course_id=course.id)
        self.assertEqual(session.mail_ids.mapped('kind'), ['convocation'])
        self.assertEqual(session.mail_ids.delay, 3)

    def test_trainer_file_ten_days_before_each_sequence(self):
        trainer_file = self._mail('trainer_file')
        self.assertEqual(
            [(line.sequence_id, line.scheduled_date)
             for line in trainer_file.schedule_ids],
            # 5 May and 17 June, 09:00 in Paris; none for the pre-work
            [(self.first, '2027-05-05 07:00:00'),
             (self.second, '2027-06-17 07:00:00')])
        # the session triggers follow the session, pre-work included
        self.assertEqual(self._mail('convocation').schedule_ids.mapped(
            'scheduled_date'), ['2027-04-26 07:00:00'])
        # sent on registration: one line without date, the key of who got
        # it already
        registration = self._mail('registration')
        self.assertEqual(len(registration.schedule_ids), 1)
        self.assertFalse(registration.schedule_ids.scheduled_date)
        self.assertEqual(registration.schedule_state, 'none')

    def test_red_when_past_and_not_sent_green_when_upcoming(self):
        old = self._create_session(name='Passée')
        self._add_sequence(old, slots=[
            ('2020-03-02 08:00:00', '2020-03-02 16:00:00')])
        late = old.mail_ids.filtered(lambda m: m.kind == 'trainer_file')
        self.assertEqual(late.schedule_ids.state, 'late')
        self.assertEqual(late.schedule_state, 'late')
        self.assertEqual(self._mail('trainer_file').schedule_state,
                         'planned')
        late.schedule_ids.sent_date = '2020-02-21 07:00:00'
        self.assertEqual(late.schedule_ids.state, 'sent')

    def test_rearmed_only_when_its_date_moves(self):
        trainer_file = self._mail('trainer_file')
        first_send = trainer_file.schedule_ids.filtered(
            lambda line: line.sequence_id == self.first)
        first_send.sent_date = '2027-05-05 07:00:00'
        # the second sequence moves: the first send stays sent
        self.second.slot_ids.sudo(self.manager).write({
            'date_start': '2027-06-28 07:00:00',
            'date_end': '2027-06-28 15:00:00'})
        self.assertEqual(first_send.sent_date, '2027-05-05 07:00:00')
        second_send = trainer_file.schedule_ids.filtered(
            lambda line: line.sequence_id == self.second)
        self.assertEqual(second_send.scheduled_date, '2027-06-18 07:00:00')
        # the first sequence moves: its send is due again
        self.first.slot_ids.sudo(self.manager).write({
            'date_start': '2027-05-16 07:00:00',
            'date_end': '2027-05-16 15:00:00'})
        self.assertFalse(first_send.sent_date)
        self.assertEqual(first_send.scheduled_date, '2027-05-06 07:00:00')
        # a cancelled sequence has no more sends
        self.second.status = 'cancelled'
        self.assertEqual(trainer_file.schedule_ids, first_send)

    def test_duplication_copies_the_settings(self):
        self._mail('reminder').write({'enabled': False, 'delay': 2})
        new = self.session.duplicate_on_dates('2028', '2028-05-13',
                                              '2028-07-31')
        self.assertEqual(
            sorted((m.kind, m.enabled, m.delay) for m in new.mail_ids),
            sorted((m.kind, m.enabled, m.delay)
                   for m in self.session.mail_ids))
        # the new sends follow the new dates: the pre-work starts on 13 May
        # 2028, so the first sequence on 25 May, its trainer file on 15 May
        self.assertEqual(
            new.mail_ids.filtered(
                lambda m: m.kind == 'trainer_file').schedule_ids[:1]
            .scheduled_date, '2028-05-15 07:00:00')
