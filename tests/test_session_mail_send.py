# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from unittest import mock

from odoo.tools.safe_eval import safe_eval

from .common import TrainingCase, deliver, run_jobs


def run_scheduler(env):
    """The mail scheduler's run, then the jobs it queued (a batch each),
    as the job runner would run them."""
    env['training.session.mail.schedule']._cron_send_due()
    run_jobs(env)


class TestSendingSessionMails(TrainingCase):
    """The scheduled action sends what is due, once per person and
    occurrence, and tries failures again later (manual 001)."""

    @classmethod
    def setUpClass(cls):
        super(TestSendingSessionMails, cls).setUpClass()
        cls.session = cls._create_session(
            name='Manager une équipe', publication_state='published',
            trainer_ids=[(6, 0, cls.other_trainer.ids)])
        # already started: every "before" send is due
        cls.sequence = cls._add_sequence(cls.session, 'Séquence 1', slots=[
            ('2026-01-12 08:00:00', '2026-01-12 16:00:00')])
        cls.session.slot_ids.comment_trainer_file = 'Clé au secrétariat'
        cls.trainees = cls.Partner.browse()
        for name in ('Hugo Lambert', 'Camille Roux', 'Inès Garnier'):
            partner = cls.Partner.create(
                {'name': name, 'email': '%s@example.fr' % name.split()[0]})
            cls.trainees |= partner
        cls.session.register_partners(cls.trainees, state='confirmed')
        cls.Schedule = cls.env['training.session.mail.schedule']
        cls.convocation = cls.session.mail_ids.filtered(
            lambda mail: mail.kind == 'convocation')

    def _mails_to(self, partner, kind_subject):
        return self.env['mail.mail'].search([
            ('recipient_ids', 'in', partner.ids),
            ('subject', 'ilike', kind_subject)])

    def test_due_mails_sent_once(self):
        run_scheduler(self.env)
        for partner in self.trainees:
            self.assertEqual(len(self._mails_to(partner, 'Convocation')), 1)
        trainer_file = self._mails_to(self.other_trainer, 'Dossier formateur')
        self.assertEqual(len(trainer_file), 1)
        self.assertIn('Clé au secrétariat', trainer_file.body_html)
        # 09:00 in Paris, as the trainer reads it
        self.assertIn('12/01/2026 09:00', trainer_file.body_html)
        self.assertTrue(self.convocation.schedule_ids.sent_date)
        run_scheduler(self.env)
        for partner in self.trainees:
            self.assertEqual(len(self._mails_to(partner, 'Convocation')), 1)

    def test_scheduler_queues_its_batches_once(self):
        """Issue 18: the scheduled action hands its batches to jobs (no
        commit of its own); run again before the job runner has caught up,
        it queues nothing more, and the jobs send each mail once."""
        Job = self.env['queue.job'].sudo()
        before = Job.search([])
        self.Schedule._cron_send_due(batch_size=1)
        queued = Job.search([('method_name', '=', '_job_send_batch')]) - before
        due = self.Schedule.search([('session_id', '=', self.session.id),
                                    ('sent_date', '=', False)])
        self.assertGreaterEqual(len(queued), len(due))
        self.assertEqual(set(queued.mapped('channel')),
                         {'root.training_mail'})
        self.Schedule._cron_send_due(batch_size=1)
        self.assertEqual(Job.search([('method_name', '=', '_job_send_batch')])
                         - before, queued)
        run_jobs(self.env)
        for partner in self.trainees:
            self.assertEqual(len(self._mails_to(partner, 'Convocation')), 1)
        self.assertTrue(self.convocation.schedule_ids.sent_date)

    def test_extra_recipients_and_blind_copies(self):
        """Manual 001: a mail setting's extra recipients get the mail, its
        blind copies are in the Bcc of each trainee's mail."""
        manager = self.Partner.create({'name': 'Claire Martin',
                                       'email': 'claire@example.fr'})
        archive = self.Partner.create({'name': 'Archives formation',
                                       'email': 'archives@example.fr'})
        self.convocation.write({
            'partner_ids': [(6, 0, manager.ids)],
            'bcc_partner_ids': [(6, 0, archive.ids)]})
        run_scheduler(self.env)
        self.assertEqual(len(self._mails_to(manager, 'Convocation')), 1)
        mail = self._mails_to(self.trainees[0], 'Convocation')
        # the message Odoo's mail server builds carries it, as a Bcc
        message = self.env['ir.mail_server'].build_email(
            email_from='formation@example.fr',
            email_to=[self.trainees[0].email], subject=mail.subject,
            body=mail.body_html, headers=safe_eval(mail.headers))
        self.assertIn('archives@example.fr', message['Bcc'])
        # a blind copy is never a visible recipient
        self.assertNotIn(archive, mail.recipient_ids)

    def test_notification_comments_in_the_mails(self):
        """Manual 001: the notification comments (convocation, training
        organisation, place, trainer file) appear in the e-mails sent; the
        organisation of a slot gets the organisation's notice too."""
        organisation = self.Partner.create({
            'name': 'Centre Formapro', 'email': 'contact@formapro.example.fr',
            'is_company': True})
        slot_organisation = self.Partner.create({
            'name': 'Atelier Sud', 'email': 'atelier@sud.example.fr',
            'is_company': True})
        self.session.write({
            'organisation_id': organisation.id,
            'notification_comment_convocation': 'Apporter une pièce '
                                                "d'identité.",
            'notification_comment_organisation': 'Facturer au siège.'})
        self.session.slot_ids.write({
            'organisation_id': slot_organisation.id,
            'comment_place': 'Entrée par le parking B.',
            'comment_organisation': 'Prévoir le vidéoprojecteur.'})
        self.session.mail_ids.filtered(
            lambda mail: mail.kind == 'organisation').enabled = True
        run_scheduler(self.env)
        convocation = self._mails_to(self.trainees[0], 'Convocation')
        self.assertIn("Apporter une pièce d'identité.",
                      convocation.body_html)
        self.assertIn('Entrée par le parking B.', convocation.body_html)
        trainer_file = self._mails_to(self.other_trainer, 'Dossier formateur')
        self.assertIn('Entrée par le parking B.', trainer_file.body_html)
        for partner in (organisation, slot_organisation):
            notice = self.env['mail.mail'].search(
                [('recipient_ids', 'in', partner.ids)])
            self.assertEqual(len(notice), 1, partner.name)
            self.assertIn('Facturer au siège.', notice.body_html)
            self.assertIn('Prévoir le vidéoprojecteur.', notice.body_html)

    def test_failure_is_logged_and_tried_again_without_double_send(self):
        Sent = type(self.env['training.session.mail.sent'])
        original = Sent._create_mail
        victim = self.trainees[1]

        def failing(line, values):
            if line.partner_id == victim:
                raise OSError('SMTP down')
            return original(line, values)

        with mock.patch.object(Sent, '_create_mail', failing):
            run_scheduler(self.env)
        failed = self.env['training.session.mail.sent'].search(
            [('partner_id', '=', victim.id), ('state', '=', 'failed')])
        self.assertTrue(failed)
        self.assertIn('SMTP down', failed[0].error)
        self.assertFalse(self.convocation.schedule_ids.sent_date)
        self.assertFalse(self._mails_to(victim, 'Convocation'))
        run_scheduler(self.env)
        for partner in self.trainees:
            self.assertEqual(len(self._mails_to(partner, 'Convocation')), 1)
        self.assertTrue(self.convocation.schedule_ids.sent_date)

    def test_drafts_and_disabled_mails_are_not_sent(self):
        self.convocation.enabled = False
        self.session.publication_state = 'draft'
        run_scheduler(self.env)
        self.assertFalse(self._mails_to(self.trainees[0], 'Rappel'))
        self.session.publication_state = 'published'
        run_scheduler(self.env)
        self.assertTrue(self._mails_to(self.trainees[0], 'Rappel'))
        self.assertFalse(self._mails_to(self.trainees[0], 'Convocation'))

    def test_settings_attachments_go_with_the_mail(self):
        attachment = self.env['ir.attachment'].create({
            'name': 'Plan d\'accès.pdf', 'datas_fname': 'plan.pdf',
            'datas': base64.b64encode(b'%PDF-1.4 plan')})
        self.convocation.attachment_ids = attachment
        run_scheduler(self.env)
        mail = self._mails_to(self.trainees[0], 'Convocation')
        self.assertEqual(mail.attachment_ids, attachment)

    def test_inter_convocations_come_from_the_registrations(self):
        self.session.session_type = 'inter'
        run_scheduler(self.env)
        self.assertFalse(self._mails_to(self.trainees[0], 'Convocation'))
        # the other trainee mails still go
        self.assertTrue(self._mails_to(self.trainees[0], 'Rappel'))
        reg = self.session.registration_ids.filtered(
            lambda reg: reg.partner_id == self.trainees[0])
        reg.action_send_convocation()
        mail = self._mails_to(self.trainees[0], 'Convocation')
        self.assertEqual(len(mail), 1)
        # generated into the registration's documents, then sent from there
        self.assertTrue(reg.document_ids)
        self.assertEqual(mail.attachment_ids, reg.document_ids)


class TestRegistrationMails(TrainingCase):
    """The mails triggered by the registration go when the trainee
    enrols, once (manual 001)."""

    @classmethod
    def setUpClass(cls):
        super(TestRegistrationMails, cls).setUpClass()
        cls.session = cls._session_with_slot(
            name='Gestion du temps', publication_state='published')
        cls.mail = cls.session.mail_ids.filtered(
            lambda mail: mail.trigger == 'registration')
        cls.Schedule = cls.env['training.session.mail.schedule']

    def _registration_mails(self, partner):
        deliver(self.env)
        return self.env['mail.mail'].search([
            ('recipient_ids', 'in', partner.ids),
            ('subject', 'ilike', 'Inscription')])

    def _trainee(self, name):
        return self.Partner.create(
            {'name': name, 'email': '%s@example.fr' % name.split()[0]})

    def test_sent_at_registration_once(self):
        self.assertEqual(len(self.mail), 1)
        hugo = self._trainee('Hugo Lambert')
        reg = self._register(self.session, hugo)
        self.assertEqual(len(self._registration_mails(hugo)), 1)
        # the planning of the session is in it
        self.assertIn('01/02/2027 09:00',
                      self._registration_mails(hugo).body_html)
        run_scheduler(self.env)
        reg.action_cancel()
        reg.action_reset()
        reg.action_confirm()
        self.assertEqual(len(self._registration_mails(hugo)), 1)

    def test_mail_gives_the_planning_of_when_it_is_sent(self):
        """Issue 18: a trainee whose mail was queued before a slot moved
        gets the new hour (the mail is rendered again when it goes)."""
        hugo = self._trainee('Hugo Lambert')
        self._register(self.session, hugo)
        run_jobs(self.env)
        queued = self.env['mail.mail'].search([
            ('recipient_ids', 'in', hugo.ids), ('state', '=', 'outgoing'),
            ('training_recipient_id', '!=', False)])
        self.assertEqual(len(queued), 1)
        self.assertIn('01/02/2027 09:00', queued.body_html)
        slot = self.session.slot_ids.sorted('date_start')[0]
        slot.write({'date_start': '2027-02-01 09:30:00'})
        sent = self._registration_mails(hugo)
        self.assertEqual(sent, queued)
        self.assertEqual(sent.state, 'sent')
        self.assertIn('01/02/2027 10:30', sent.body_html)
        self.assertNotIn('01/02/2027 09:00', sent.body_html)

    def test_registration_mails_go_by_a_job_run_once(self):
        """The registration queues a job; run twice, it sends once."""
        hugo = self._trainee('Hugo Lambert')
        self._register(self.session, hugo)
        line = self.env['training.session.mail.sent'].search(
            [('partner_id', '=', hugo.id)])
        self.assertEqual(line.state, 'todo')
        job = self.env['queue.job'].sudo().search(
            [('method_name', '=', '_job_send'),
             ('record_ids', 'like', str(line.id))])
        self.assertEqual(job.channel, 'root.training_mail')
        run_jobs(self.env)
        self.assertEqual(line.state, 'sent')
        line._job_send()
        self.assertEqual(len(self._registration_mails(hugo)), 1)

    def test_pre_work_named_as_such_in_the_planning(self):
        """Manual 001: the pre-work is part of the planning sent, named as
        pre-work."""
        self._add_sequence(self.session, 'Lecture du guide',
                           is_prework=True,
                           planned_date_start='2027-01-18 08:00:00',
                           planned_date_end='2027-01-29 17:00:00')
        ines = self._trainee('Inès Garnier')
        self._register(self.session, ines)
        self.assertIn('Lecture du guide (travail préparatoire)',
                      self._registration_mails(ines).body_html)

    def test_requests_and_waiting_list_get_nothing(self):
        camille = self._trainee('Camille Roux')
        reg = self._register(self.session, camille, state='draft')
        self.assertFalse(self._registration_mails(camille))
        reg.action_confirm()
        self.assertEqual(len(self._registration_mails(camille)), 1)

    def test_draft_session_sends_once_published(self):
        self.session.publication_state = 'draft'
        ines = self._trainee('Inès Garnier')
        self._register(self.session, ines)
        run_scheduler(self.env)
        self.assertFalse(self._registration_mails(ines))
        self.session.publication_state = 'published'
        run_scheduler(self.env)
        self.assertEqual(len(self._registration_mails(ines)), 1)
        run_scheduler(self.env)
        self.assertEqual(len(self._registration_mails(ines)), 1)

    def test_delay_after_registration_and_departure_before_it(self):
        self.mail.write({'delay': 2, 'delay_unit': 'hours',
                         'direction': 'after'})
        leo = self._trainee('Léo Martin')
        self._register(self.session, leo)
        run_scheduler(self.env)
        self.assertFalse(self._registration_mails(leo))
        line = self.env['training.session.mail.sent'].search(
            [('partner_id', '=', leo.id)])
        self.assertEqual(line.state, 'todo')
        line.due_date = '2020-01-01 00:00:00'
        run_scheduler(self.env)
        self.assertEqual(len(self._registration_mails(leo)), 1)
        # one who leaves before the delay never gets it
        nina = self._trainee('Nina Petit')
        reg = self._register(self.session, nina)
        reg.action_cancel()
        self.assertFalse(self.env['training.session.mail.sent'].search(
            [('partner_id', '=', nina.id)]))

    def test_failure_at_registration_is_tried_again_by_the_cron(self):
        Sent = type(self.env['training.session.mail.sent'])
        zoe = self._trainee('Zoé Bernard')

        def failing(line, values):
            raise OSError('SMTP down')

        with mock.patch.object(Sent, '_create_mail', failing):
            self._register(self.session, zoe)
            run_jobs(self.env)
        self.assertFalse(self._registration_mails(zoe))
        line = self.env['training.session.mail.sent'].search(
            [('partner_id', '=', zoe.id)])
        self.assertEqual((line.state, line.attempts), ('failed', 1))
        run_scheduler(self.env)
        self.assertEqual(len(self._registration_mails(zoe)), 1)

    def test_deleted_registration_loses_its_pending_mail(self):
        self.mail.write({'delay': 2, 'delay_unit': 'hours',
                         'direction': 'after'})
        reg = self._register(self.session, self._trainee('Paul Girard'))
        partner = reg.partner_id
        reg.unlink()
        self.assertFalse(self.env['training.session.mail.sent'].search(
            [('partner_id', '=', partner.id)]))

    def test_disabling_then_enabling_sends_nothing_again(self):
        hugo = self._trainee('Hugo Lambert')
        reg = self._register(self.session, hugo)
        self.mail.enabled = False
        self.mail.enabled = True
        reg.write({'state': 'done'})
        run_scheduler(self.env)
        self.assertEqual(len(self._registration_mails(hugo)), 1)

    def test_each_trainee_reads_their_own_language(self):
        self.env['res.lang'].load_lang('fr_FR')
        self.env['ir.translation'].create({
            'type': 'model', 'name': 'mail.template,subject',
            'lang': 'fr_FR', 'res_id': self.mail.template_id.id,
            'src': self.mail.template_id.subject,
            'value': 'Inscription (FR) : ${object.session_id.name}',
            'state': 'translated'})
        self.session.publication_state = 'draft'
        french = self._trainee('Zoé Lefèvre')
        french.lang = 'fr_FR'
        english = self._trainee('John Smith')
        english.lang = False
        self.session.register_partners(english | french, state='confirmed')
        self.session.publication_state = 'published'
        run_scheduler(self.env)
        self.assertIn('(FR)', self._registration_mails(french).subject)
        self.assertNotIn('(FR)', self._registration_mails(english).subject)
