# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest import mock

from odoo.addons.mail.models.mail_template import MailTemplate

from .common import TrainingCase


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
        self.Schedule._cron_send_due()
        for partner in self.trainees:
            self.assertEqual(len(self._mails_to(partner, 'Convocation')), 1)
        trainer_file = self._mails_to(self.other_trainer, 'Dossier formateur')
        self.assertEqual(len(trainer_file), 1)
        self.assertIn('Clé au secrétariat', trainer_file.body_html)
        # 09:00 in Paris, as the trainer reads it
        self.assertIn('12/01/2026 09:00', trainer_file.body_html)
        self.assertTrue(self.convocation.schedule_ids.sent_date)
        self.Schedule._cron_send_due()
        for partner in self.trainees:
            self.assertEqual(len(self._mails_to(partner, 'Convocation')), 1)

    def test_failure_is_logged_and_tried_again_without_double_send(self):
        original = MailTemplate.send_mail
        victim = self.trainees[1]

        def failing(template, res_id, *args, **kwargs):
            recipient = self.env['training.session.mail.sent'].browse(res_id)
            if recipient.partner_id == victim:
                raise OSError('SMTP down')
            return original(template, res_id, *args, **kwargs)

        with mock.patch.object(MailTemplate, 'send_mail', failing):
            self.Schedule._cron_send_due()
        failed = self.env['training.session.mail.sent'].search(
            [('partner_id', '=', victim.id), ('state', '=', 'failed')])
        self.assertTrue(failed)
        self.assertIn('SMTP down', failed[0].error)
        self.assertFalse(self.convocation.schedule_ids.sent_date)
        self.assertFalse(self._mails_to(victim, 'Convocation'))
        self.Schedule._cron_send_due()
        for partner in self.trainees:
            self.assertEqual(len(self._mails_to(partner, 'Convocation')), 1)
        self.assertTrue(self.convocation.schedule_ids.sent_date)

    def test_drafts_and_disabled_mails_are_not_sent(self):
        self.convocation.enabled = False
        self.session.publication_state = 'draft'
        self.Schedule._cron_send_due()
        self.assertFalse(self._mails_to(self.trainees[0], 'Rappel'))
        self.session.publication_state = 'published'
        self.Schedule._cron_send_due()
        self.assertTrue(self._mails_to(self.trainees[0], 'Rappel'))
        self.assertFalse(self._mails_to(self.trainees[0], 'Convocation'))
