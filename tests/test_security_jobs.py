# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 18's new surfaces seen by an attacker: the background jobs, the
batch registration, the mails rendered again when they go and the
planning moved on the timeline, with real users of each role, through
the ORM and over JSON-RPC."""
from odoo.exceptions import AccessError, UserError

from .common import BrowserCase, TrainingCase, run_jobs

DEMO = 'training_session.%s'


class TestTrainingMailFields(TrainingCase):
    """A mail's link to a session mail line is rendered again, as
    superuser, when the mail goes: no user may set it on a mail of theirs,
    or they would read any session's mail (trainee, planning, trainer's
    notes); nor the calendar part of an invitation."""

    @classmethod
    def setUpClass(cls):
        super(TestTrainingMailFields, cls).setUpClass()
        population = cls.env['training.population'].create(
            {'name': 'Siège', 'user_ids': [(6, 0, cls.user.ids)]})
        cls.session = cls._session_with_slot(
            name='Session confidentielle', publication_state='published',
            population_ids=[(6, 0, population.ids)])
        cls.session.register_partners(cls.Partner.create(
            {'name': 'Hugo Lambert', 'email': 'hugo@example.fr'}),
            state='confirmed')
        run_jobs(cls.env)
        cls.line = cls.env['training.session.mail.sent'].search(
            [('session_id', '=', cls.session.id)], limit=1)
        # an employee outside training
        cls.employee = cls.env['res.users'].create({
            'name': 'Employé', 'login': 't_employee',
            'email': 't_employee@example.com',
            'groups_id': [(6, 0, cls.env.ref('base.group_user').ids)]})

    def test_no_user_links_a_mail_to_a_session_mail(self):
        self.assertTrue(self.line)
        for user in (self.employee, self.user2, self.user):
            Mail = self.env['mail.mail'].sudo(user)
            for field, value in (
                    ('training_recipient_id', self.line.id),
                    ('training_calendar', 'BEGIN:VCALENDAR'),
                    ('training_calendar_method', 'REQUEST')):
                with self.assertRaises(AccessError), self.cr.savepoint():
                    mail = Mail.create({
                        'subject': 'x', 'body_html': 'x',
                        'auto_delete': False, field: value,
                        'recipient_ids': [(4, user.partner_id.id)]})
                    mail.send()
                    self.assertNotIn('Hugo Lambert', mail.body_html)
            own = Mail.create({'subject': 'x', 'body_html': 'x',
                               'recipient_ids': [(4, user.partner_id.id)]})
            with self.assertRaises(AccessError), self.cr.savepoint():
                own.write({'training_recipient_id': self.line.id})

    def test_the_training_mails_still_carry_their_links(self):
        mails = self.env['mail.mail'].search(
            [('training_recipient_id', 'in', self.line.ids)])
        self.assertEqual(len(mails), 1)


class TestJobQueueManagers(TrainingCase):
    """The operational managers' rule on the jobs restricts them, not the
    job queue managers who are operational managers too."""

    def test_job_queue_managers_still_see_every_job(self):
        other = self.env['queue.job'].sudo().create({
            'uuid': 'other-app-job', 'user_id': self.env.uid,
            'state': 'failed', 'name': 'Autre application',
            'model_name': 'res.partner', 'method_name': 'name_get',
            'record_ids': [], 'args': (), 'kwargs': {}, 'channel': 'root'})
        Job = self.env['queue.job'].sudo(self.manager)
        self.assertFalse(Job.search([('id', '=', other.id)]))
        self.manager.groups_id = [(4, self.env.ref(
            'queue_job.group_queue_job_manager').id)]
        self.assertEqual(Job.search([('id', '=', other.id)]), other)
        other.sudo(self.manager).requeue()
        self.assertEqual(other.state, 'pending')


class TestRegisterPartners(TrainingCase):
    """register_partners takes partner ids and values over RPC: only those
    who create registrations of the session call it, with the fields
    they may set and real fields only."""

    @classmethod
    def setUpClass(cls):
        super(TestRegisterPartners, cls).setUpClass()
        population = cls.env['training.population'].create(
            {'name': 'Usine', 'user_ids': [(6, 0, cls.user2.ids)]})
        cls.session = cls._session_with_slot(
            publication_state='published', capacity_max=1,
            population_ids=[(6, 0, population.ids)],
            tutor_ids=[(6, 0, cls.tutor.partner_id.ids)],
            trainer_ids=[(6, 0, cls.trainer.partner_id.ids)])
        cls.session.register_partners(cls.trainee.partner_id,
                                      state='confirmed')
        cls.others = cls.Partner.create({'name': 'Léa Martin'}) | \
            cls.Partner.create({'name': 'Noé Petit'})

    def _registered(self):
        return self.Registration.search(
            [('session_id', '=', self.session.id),
             ('partner_id', 'in', self.others.ids)])

    def test_only_training_users_of_the_session_register(self):
        for user in (self.trainee, self.trainer, self.tutor, self.user):
            with self.assertRaises(AccessError), self.cr.savepoint():
                self.session.sudo(user).register_partners(
                    self.others.ids, state='confirmed')
        self.assertFalse(self._registered())
        registrations = self.session.sudo(self.user2).register_partners(
            self.others.ids, state='confirmed')
        # the seat lock still applies: one seat, taken already
        self.assertEqual(set(registrations.mapped('state')), {'waiting'})

    def test_values_are_real_fields(self):
        for name in ('partner_id) VALUES (1); --', 'nonexistent'):
            with self.assertRaises(Exception), self.cr.savepoint():
                self.session.sudo(self.user2).register_partners(
                    self.others.ids, **{name: 'x'})
        self.assertFalse(self._registered())


class TestSlotTimeline(TrainingCase):
    """A slot dropped on another trainer's row goes through the slot's
    write: the planning lock of an enrolled session holds."""

    def test_planning_lock_holds_on_the_timeline(self):
        session = self._session_with_slot(
            trainer_ids=[(6, 0, self.trainer.partner_id.ids)])
        slot = session.slot_ids
        slot.trainer_ids = self.trainer.partner_id
        self._register(session)
        with self.assertRaises(UserError), self.cr.savepoint():
            slot.sudo(self.user).write(
                {'planning_trainer_id': self.other_trainer.id})
        self.assertEqual(slot.trainer_ids, self.trainer.partner_id)


class TestJobsOverRpc(BrowserCase):
    """The jobs' methods are private, and the operational managers read
    the training jobs without changing them."""

    def test_jobs_methods_are_private(self):
        with self.server_env() as env:
            line_id = env['training.session.mail.sent'].search(
                [], limit=1).id
            session_id = env.ref(DEMO % 'training_session_emploi_demo').id
        for login in ('gestionnaire', 'responsable', 'stagiaire'):
            self.authenticate(login, login)
            for model, method, args in (
                    ('training.session.mail.sent', '_job_send',
                     [[line_id]]),
                    ('training.calendar.invitation', '_job_deliver', [[]]),
                    ('training.session.mail.schedule', '_job_send_batch',
                     [[]]),
                    ('training.documentation.wizard', '_job_create_mails',
                     [{'subject': 'x'}, 'x', [1], 'key']),
                    ('training.certification.session', '_job_purge', [[]]),
                    ('training.session', '_register_partners',
                     [[session_id], [1]])):
                answer = self.call(model, method, args)
                self.assertIn('error', answer, (login, method))

    def test_no_mail_linked_to_a_session_mail_over_rpc(self):
        with self.server_env() as env:
            line_id = env['training.session.mail.sent'].search(
                [], limit=1).id
        self.assertTrue(line_id)
        self.authenticate('gestionnaire', 'gestionnaire')
        answer = self.call('mail.mail', 'create', [{
            'subject': 'x', 'body_html': 'x', 'auto_delete': False,
            'email_to': 'attacker@example.com',
            'training_recipient_id': line_id}])
        self.assertIn('error', answer)
        with self.server_env() as env:
            self.assertFalse(env['mail.mail'].search(
                [('email_to', '=', 'attacker@example.com')]))

    def test_managers_neither_requeue_nor_close_jobs(self):
        with self.server_env() as env:
            job = env['queue.job'].search(
                [('channel', '=', 'root.training_mail')], limit=1)
            if not job:
                job = env['queue.job'].create({
                    'uuid': 'training-test-job', 'state': 'failed',
                    'user_id': env.uid,
                    'name': 'Test', 'model_name': 'res.partner',
                    'method_name': 'name_get',
                    'channel': 'root.training_mail'})
            job.state = 'failed'
            job_id = job.id
        self.authenticate('responsable', 'responsable')
        answer = self.call('queue.job', 'read', [[job_id], ['state']])
        self.assertEqual(answer['result'][0]['state'], 'failed')
        for method in ('requeue', 'button_done', 'unlink'):
            self.assertIn('error', self.call('queue.job', method,
                                             [[job_id]]))
        wizard = self.call('queue.requeue.job', 'create',
                           [{'job_ids': [(6, 0, [job_id])]}])
        if 'result' in wizard:
            self.call('queue.requeue.job', 'requeue', [[wizard['result']]])
        with self.server_env() as env:
            self.assertEqual(env['queue.job'].browse(job_id).state,
                             'failed')
