# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 13: every party sees and changes only what is theirs (kept mails,
the log of sent mails, change requests, the funder's validation), with
real users of each role, through the ORM and over JSON-RPC."""
from odoo.exceptions import AccessError, UserError

from .common import BrowserCase, TrainingCase

DEMO = 'training_session.%s'
# the refusal of a change of a validated period, in English or French
PERIOD_LOCKED = 'change request|demande de modification'


class TestKeptMails(TrainingCase):
    """Kept mails and their messages: for their recipients and the
    training users of the session only."""

    @classmethod
    def setUpClass(cls):
        super(TestKeptMails, cls).setUpClass()
        Population = cls.env['training.population']
        cls.population = Population.create(
            {'name': 'Siège', 'user_ids': [(6, 0, cls.user.ids)]})
        cls.session = cls._session_with_slot(
            population_ids=[(6, 0, cls.population.ids)],
            tutor_ids=[(6, 0, cls.tutor.partner_id.ids)],
            trainer_ids=[(6, 0, cls.trainer.partner_id.ids)])
        cls.other = cls.Partner.create({'name': 'Autre Stagiaire',
                                        'email': 'autre@example.com'})
        cls.mine = cls.Registration.create({
            'session_id': cls.session.id, 'state': 'confirmed',
            'partner_id': cls.trainee.partner_id.id})
        cls.theirs = cls.Registration.create({
            'session_id': cls.session.id, 'state': 'confirmed',
            'partner_id': cls.other.id})
        template = cls.env.ref(
            'training_session.mail_template_registration_convocation')
        cls.mails = cls.env['mail.mail']
        for registration in cls.mine | cls.theirs:
            cls.mails |= cls.mails.browse(template.send_mail(
                registration.id, email_values={'recipient_ids': [
                    (6, 0, registration.partner_id.ids)]}))
        cls.my_mail, cls.their_mail = cls.mails

    def _found(self, user, model='mail.mail', records=None):
        records = records if records is not None else self.mails
        return self.env[model].sudo(user).search(
            [('id', 'in', records.ids)])

    def test_portal_users_read_only_the_mails_addressed_to_them(self):
        self.assertEqual(self._found(self.trainee), self.my_mail)
        self.assertTrue(self.my_mail.sudo(self.trainee).read(['body_html']))
        for user in (self.trainee, self.trainer, self.tutor):
            with self.assertRaises(AccessError):
                self.their_mail.sudo(user).read(['body_html'])
            with self.assertRaises(AccessError):
                self.their_mail.sudo(user).export_data(['body_html'])
            groups = self.env['mail.mail'].sudo(user).read_group(
                [('id', 'in', self.their_mail.ids)], ['state'], ['state'])
            self.assertFalse(groups)
        self.assertFalse(self._found(self.trainer))
        self.assertFalse(self._found(self.tutor))

    def test_portal_users_never_create_nor_change_a_mail(self):
        """A mail a portal user could create would leave from our address
        to whoever they chose; their own mails are read-only."""
        for user in (self.trainee, self.trainer, self.tutor):
            with self.assertRaises(AccessError), self.cr.savepoint():
                self.env['mail.mail'].sudo(user).create({
                    'subject': 'Votre compte', 'email_to': 'x@example.com',
                    'body_html': '<a href="https://example.com">ici</a>'})
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.my_mail.sudo(self.trainee).write(
                {'email_to': 'x@example.com', 'state': 'outgoing'})
        self.assertFalse(self.my_mail.email_to)

    def test_their_messages_neither(self):
        """The trainer and the tutor read the registrations of their
        session, not the mails sent about them."""
        messages = self.mails.mapped('mail_message_id')
        for user in (self.trainer, self.tutor):
            self.assertTrue(self.theirs.sudo(user).read(['state']))
            self.assertFalse(self._found(user, 'mail.message', messages))
            with self.assertRaises(AccessError):
                messages.sudo(user).read(['body'])

    def test_training_users_of_the_session_only(self):
        self.assertEqual(self._found(self.user), self.mails)
        self.assertEqual(self._found(self.manager), self.mails)
        self.assertFalse(self._found(self.user2))
        with self.assertRaises(AccessError):
            self.their_mail.sudo(self.user2).read(['body_html'])
        with self.assertRaises(AccessError):
            self.their_mail.sudo(self.user2).write({'body_html': 'x'})


class TestSentMailsAndRequests(TrainingCase):
    """The log of sent session mails and the change requests follow their
    session's populations; only the scheduler writes the log."""

    @classmethod
    def setUpClass(cls):
        super(TestSentMailsAndRequests, cls).setUpClass()
        other_population = cls.env['training.population'].create(
            {'name': 'Usine', 'user_ids': [(6, 0, cls.user2.ids)]})
        cls.session = cls._session_with_slot(
            population_ids=[(6, 0, other_population.ids)])
        trainee = cls.Partner.create({'name': 'Jean Stagiaire'})
        schedules = cls.session.mapped('mail_ids.schedule_ids')
        Sent = cls.env['training.session.mail.sent']
        Sent._insert([(schedule.id, trainee.id, None)
                      for schedule in schedules])
        cls.lines = Sent.search([('schedule_id', 'in', schedules.ids)])
        component = cls._funded_component(
            'TR-TEST-1', '2027-01-01', '2027-12-31')
        cls.session.component_id = component
        cls.request = cls.env['training.change.request'].sudo(
            cls.user2).create({
                'component_id': component.id,
                'session_id': cls.session.id, 'session_number': '01',
                'date_start': '2027-02-01', 'date_end': '2027-02-01',
                'place_id': cls.Partner.create({'name': 'Lieu'}).id,
                'seats': 10})

    def test_sent_mails_log_follows_the_populations(self):
        self.assertTrue(self.lines)
        Sent = self.env['training.session.mail.sent']
        self.assertEqual(Sent.sudo(self.user2).search(
            [('id', 'in', self.lines.ids)]), self.lines)
        self.assertFalse(Sent.sudo(self.user).search(
            [('id', 'in', self.lines.ids)]))
        with self.assertRaises(AccessError):
            self.lines.sudo(self.user).read(['state'])

    def test_only_the_scheduler_writes_the_log(self):
        for user in (self.user2, self.manager, self.admin):
            with self.assertRaises(AccessError), self.cr.savepoint():
                self.lines[:1].sudo(user).write({'state': 'sent'})
            with self.assertRaises(AccessError), self.cr.savepoint():
                self.lines[:1].sudo(user).unlink()
        self.assertEqual(set(self.lines.mapped('state')), {'todo'})

    def test_change_requests_follow_the_populations(self):
        Request = self.env['training.change.request']
        self.assertEqual(Request.sudo(self.user2).search(
            [('id', '=', self.request.id)]), self.request)
        self.assertFalse(Request.sudo(self.user).search(
            [('id', '=', self.request.id)]))
        with self.assertRaises(AccessError):
            self.request.sudo(self.user).read(['seats'])
        self.assertFalse(self.env['training.change.request.info'].sudo(
            self.user).search([('request_id', '=', self.request.id)]))


class TestFunderValidation(TrainingCase):
    """Funded data of a validated session change only by validating a
    change request: the workflow's fields and the context do not open
    it."""

    @classmethod
    def setUpClass(cls):
        super(TestFunderValidation, cls).setUpClass()
        cls.component = cls._funded_component(
            'TR-TEST-2', '2027-01-01', '2027-12-31')
        cls.place = cls.Partner.create({'name': 'Lieu', 'zip': '34500',
                                        'city': 'BEZIERS'})
        cls.Request = cls.env['training.change.request']
        request = cls.Request.sudo(cls.user).create({
            'component_id': cls.component.id, 'session_number': '01',
            'date_start': '2027-02-01', 'date_end': '2027-03-01',
            'place_id': cls.place.id, 'seats': 10,
            'info_ids': [(0, 0, {'date': '2027-01-20', 'time_start': 10.0,
                                 'time_end': 12.0, 'seats': 15,
                                 'zip': '34500', 'street_name': 'Madeleine',
                                 'city': 'BEZIERS'})]})
        request.sudo(cls.manager).action_validate()
        cls.request = request
        cls.session = request.session_id
        cls.info = cls.session.info_session_ids

    def test_the_validation_flag_is_the_workflow_s(self):
        session = self.session.sudo(self.user)
        with self.assertRaises(UserError), self.cr.savepoint():
            session.write({'is_validated': False})
        with self.assertRaises(UserError), self.cr.savepoint():
            session.unlink()
        with self.assertRaises(UserError), self.cr.savepoint():
            self.info.sudo(self.user).write({'is_validated': False})
        with self.assertRaises(UserError), self.cr.savepoint():
            self.env['training.session'].sudo(self.user).create(
                {'name': 'Faux', 'is_validated': True})
        self.assertTrue(self.session.is_validated and self.info.is_validated)

    def test_the_context_unlocks_nothing(self):
        """What an RPC client may send: the key the code used to read."""
        for value in (True, 1, 'yes'):
            session = self.session.sudo(self.user).with_context(
                training_change_request=value)
            with self.assertRaises(UserError), self.cr.savepoint():
                session.write({'seats': 99})
            info = self.info.sudo(self.user).with_context(
                training_change_request=value)
            with self.assertRaises(UserError), self.cr.savepoint():
                info.write({'seats': 99})
        self.assertEqual((self.session.seats, self.info.seats), (10, 15))

    def test_decisions_are_the_buttons_only(self):
        request = self.Request.sudo(self.user).create({
            'component_id': self.component.id,
            'session_id': self.session.id, 'session_number': '01',
            'date_start': '2027-02-01', 'date_end': '2027-03-01',
            'place_id': self.place.id, 'seats': 20})
        for values in ({'state': 'validated'},
                       {'decided_by_id': self.manager.id},
                       {'decision_date': '2027-01-01 10:00:00'},
                       {'user_id': self.user2.id}):
            with self.assertRaises(UserError), self.cr.savepoint():
                request.sudo(self.user).write(values)
            with self.assertRaises(UserError), self.cr.savepoint():
                request.sudo(self.manager).write(values)
        with self.assertRaises(UserError), self.cr.savepoint():
            self.Request.sudo(self.user).create({
                'component_id': self.component.id, 'state': 'validated',
                'session_number': '02', 'date_start': '2027-02-01',
                'date_end': '2027-03-01', 'place_id': self.place.id,
                'seats': 5})
        self.assertEqual(request.state, 'pending')
        request.sudo(self.manager).action_validate()
        self.assertEqual((request.state, request.decided_by_id),
                         ('validated', self.manager))
        self.assertEqual(self.session.seats, 20)

    def test_the_summary_is_the_decision_s(self):
        """What a decided request shows is what its validation recorded:
        no one adds, changes or removes a line of it, whatever the
        context."""
        lines = self.request.line_ids
        self.assertTrue(lines)
        pending = self.Request.sudo(self.user).create({
            'component_id': self.component.id,
            'session_id': self.session.id, 'session_number': '01',
            'date_start': '2027-02-01', 'date_end': '2027-03-01',
            'place_id': self.place.id, 'seats': 20})
        forged = {'name': 'Nb. de places', 'value_before': '10',
                  'value_after': '99'}
        for user in (self.user, self.manager, self.admin):
            for context in ({}, {'training_change_request': True}):
                Line = self.env['training.change.request.line'].sudo(
                    user).with_context(**context)
                for forge in (
                        lambda: Line.create(dict(
                            forged, request_id=self.request.id)),
                        lambda: Line.browse(lines[0].id).write(
                            {'value_after': '99'}),
                        lambda: Line.browse(lines.ids).unlink(),
                        lambda: pending.sudo(user).with_context(
                            **context).write(
                            {'line_ids': [(0, 0, forged)]})):
                    with self.assertRaises(UserError), self.cr.savepoint():
                        forge()
        self.env.cache.invalidate()
        self.assertEqual(self.request.line_ids, lines)
        self.assertNotIn('99', self.request.summary_html)
        self.assertFalse(pending.line_ids)

    def test_the_validated_period_moves_by_request_only(self):
        """The session's first and last days are funded data too (the
        funder validated 01/02 to 01/03): its planning moves within them
        only."""
        sequence = self.session.sequence_ids.sudo(self.user)
        self.assertEqual(len(sequence), 1)
        later = self.session._utc_of_local('2027-03-05', 17)
        for change in (
                lambda: sequence.write({'planned_date_end': later}),
                lambda: sequence.copy({
                    'planned_date_start': self.session._utc_of_local(
                        '2027-04-01', 9),
                    'planned_date_end': self.session._utc_of_local(
                        '2027-04-02', 17)}),
                lambda: self.env['training.slot'].sudo(self.user).create({
                    'sequence_id': sequence.id,
                    'date_start': self.session._utc_of_local('2027-02-10', 9),
                    'date_end': self.session._utc_of_local('2027-02-10', 12)}),
                sequence.unlink):
            with self.assertRaisesRegex(UserError, PERIOD_LOCKED), \
                    self.cr.savepoint():
                change()
            # what the savepoint rolled back may still be in the cache
            self.env.cache.invalidate()
        # within its days: an hour later on the first day
        sequence.write({'planned_date_start': self.session._utc_of_local(
            '2027-02-01', 10)})
        # a validated request moves them
        request = self.Request.sudo(self.user).create({
            'component_id': self.component.id,
            'session_id': self.session.id, 'session_number': '01',
            'date_start': '2027-02-01', 'date_end': '2027-03-05',
            'place_id': self.place.id, 'seats': 10})
        request.sudo(self.manager).action_validate()
        bounds = ('2027-02-01', '2027-03-05')
        self.assertEqual(tuple(map(str, self.session._planning_bounds())),
                         bounds)
        # slots on the validated days, saved together (one after the
        # other, the first would make a one-day session)
        self.session.sudo(self.user).write({'sequence_ids': [
            (1, sequence.id, {'slot_ids': [(0, 0, {
                'date_start': self.session._utc_of_local(day, 9),
                'date_end': self.session._utc_of_local(day, 12)})
                for day in bounds]})]})
        slots = sequence.slot_ids.sorted('date_start')
        self.assertEqual(len(slots), 2)
        slots[0].write({
            'date_start': self.session._utc_of_local(bounds[0], 10)})
        with self.assertRaisesRegex(UserError, PERIOD_LOCKED), \
                self.cr.savepoint():
            slots[-1].write({
                'date_end': self.session._utc_of_local('2027-03-06', 12)})
        with self.assertRaisesRegex(UserError, PERIOD_LOCKED), \
                self.cr.savepoint():
            slots[0].unlink()


class TestTrustOverRpc(BrowserCase):
    """The same refusals over JSON-RPC, as the demo users."""

    def test_trainee_reads_only_own_mails(self):
        with self.server_env() as env:
            partner = env.ref(DEMO % 'partner_training_trainee_demo').id
            registration = env.ref(
                DEMO % 'training_registration_management_2_demo')
            template = env.ref(
                'training_session.mail_template_registration_convocation')
            template.send_mail(registration.id, email_values={
                'recipient_ids': [(6, 0, registration.partner_id.ids)]})
            others = env['mail.mail'].search(
                [('recipient_ids', 'not in', [partner])]).ids
        self.assertTrue(others)
        self.authenticate('stagiaire', 'stagiaire')
        answer = self.call('mail.mail', 'search_read', [[]],
                           {'fields': ['recipient_ids', 'body_html']})
        for row in answer['result']:
            self.assertIn(partner, row['recipient_ids'])
        answer = self.call('mail.mail', 'read', [others[:5], ['body_html']])
        self.assertIn('error', answer)
        self.assertNotIn('result', answer)

    def test_context_key_does_not_unlock_a_validated_session(self):
        with self.server_env() as env:
            session = env.ref(DEMO % 'training_session_emploi_demo')
            self.assertTrue(session.is_validated)
            session_id, seats = session.id, session.seats
        self.authenticate('gestionnaire', 'gestionnaire')
        answer = self.call('training.session', 'write',
                           [[session_id], {'seats': seats + 5}],
                           {'context': {'training_change_request': True}})
        self.assertIn('error', answer)
        answer = self.call('training.session', 'write',
                           [[session_id], {'is_validated': False}])
        self.assertIn('error', answer)
        with self.server_env() as env:
            session = env['training.session'].browse(session_id)
            self.assertEqual((session.seats, session.is_validated),
                             (seats, True))


class TestSeatsContext(TrainingCase):
    """The context key that defers the seat checks of a batch is the
    code's: sent by a client, the seats are still counted."""

    def test_a_client_cannot_skip_the_seat_checks(self):
        session = self._session_with_slot(capacity_max=1)
        self._register(session)
        late = self.Registration.sudo(self.user).with_context(
            training_defer_seats=True).create({
                'session_id': session.id, 'state': 'confirmed',
                'partner_id': self.Partner.create({'name': 'Tard'}).id})
        self.assertEqual(late.state, 'waiting')
