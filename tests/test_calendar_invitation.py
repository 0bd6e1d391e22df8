# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import email
from unittest import mock

import icalendar
import pytz

from odoo.exceptions import UserError

from .common import TrainingCase, deliver, run_jobs

PARIS = pytz.timezone('Europe/Paris')


class TestCalendarInvitations(TrainingCase):
    """One invitation per sequence on registration, updated when a slot
    moves or the convocation goes, cancelled with the sequence or the
    registration (manual 001)."""

    @classmethod
    def setUpClass(cls):
        super(TestCalendarInvitations, cls).setUpClass()
        cls.place = cls.Partner.create({
            'name': 'Campus Lyon', 'street': '19 boulevard Vivier-Merle',
            'zip': '69003', 'city': 'Lyon'})
        cls.place2 = cls.Partner.create({'name': 'Tour Part-Dieu',
                                         'city': 'Lyon'})
        cls.session = cls._create_session(
            name='Manager une équipe', calendar_invitations=True,
            publication_state='published')
        cls.prework = cls._add_sequence(
            cls.session, 'Lectures', is_prework=True, slots=[
                ('2027-03-01 08:00:00', '2027-03-01 09:00:00')])
        # 15 May and 27 June, 09:00 in Paris (summer time, UTC+2)
        cls.may = cls._add_sequence(cls.session, 'Séquence 1', slots=[
            ('2027-05-15 07:00:00', '2027-05-15 15:00:00',
             {'place_id': cls.place.id})])
        cls.june = cls._add_sequence(cls.session, 'Séquence 2', slots=[
            ('2027-06-27 07:00:00', '2027-06-27 15:00:00',
             {'place_id': cls.place.id})])
        cls.hugo = cls.Partner.create({'name': 'Hugo Lambert',
                                       'email': 'hugo@example.fr'})
        cls.reg = cls.Registration.create({
            'session_id': cls.session.id, 'partner_id': cls.hugo.id,
            'state': 'confirmed'})
        cls.Invitation = cls.env['training.calendar.invitation']

    def _invitation(self, sequence, registration=None):
        return self.Invitation.search([
            ('registration_id', '=', (registration or self.reg).id),
            ('sequence_id', '=', sequence.id)])

    def _ics_mails(self, partner=None):
        """The mails carrying an invitation to ``partner``, oldest first,
        once the background jobs and the mail queue have run."""
        deliver(self.env)
        return self.env['mail.mail'].search([
            ('recipient_ids', 'in', (partner or self.hugo).ids),
            ('training_calendar', '!=', False)], order='id')

    def _event(self, mail):
        calendar = icalendar.Calendar.from_ical(mail.training_calendar)
        events = calendar.walk('VEVENT')
        self.assertEqual(len(events), 1)
        return calendar, events[0]

    def _event_of(self, sequence):
        """The last invitation mail sent for ``sequence``."""
        uid = self.reg._ics_uid(sequence)
        for mail in reversed(self._ics_mails()):
            calendar, event = self._event(mail)
            if str(event['UID']) == uid:
                return calendar, event
        self.fail('no invitation for %s' % sequence.name)

    def test_registration_sends_one_invitation_per_sequence(self):
        mails = self._ics_mails()
        # pre-work included: only its calendar event is sent for it
        self.assertEqual(len(mails), 3)
        uids = set()
        for mail in mails:
            calendar, event = self._event(mail)
            self.assertEqual(calendar['METHOD'], 'REQUEST')
            self.assertEqual(event['SEQUENCE'], 0)
            uids.add(str(event['UID']))
        self.assertEqual(uids, {self.reg._ics_uid(seq) for seq in (
            self.prework, self.may, self.june)})
        _calendar, may = self._event_of(self.may)
        self.assertEqual(may.decoded('DTSTART').astimezone(PARIS).strftime(
            '%d/%m/%Y %H:%M'), '15/05/2027 09:00')
        self.assertIn('Campus Lyon', str(may['LOCATION']))
        self.assertEqual(self._invitation(self.may).revision, 0)

    def test_no_invitation_without_the_setting_then_on_enabling_it(self):
        session = self._create_session(name='Sans invitation',
                                       publication_state='published')
        self._add_sequence(session, 'Jour 1', slots=[
            ('2027-05-15 07:00:00', '2027-05-15 15:00:00')])
        camille = self.Partner.create({'name': 'Camille Roux',
                                       'email': 'camille@example.fr'})
        self._register(session, camille)
        self.assertFalse(self._ics_mails(camille))
        session.calendar_invitations = True
        self.assertEqual(len(self._ics_mails(camille)), 1)

    def test_waiting_list_gets_no_invitation(self):
        self.session.capacity_max = 1
        ines = self.Partner.create({'name': 'Inès Garnier',
                                    'email': 'ines@example.fr'})
        reg = self._register(self.session, ines)
        self.assertEqual(reg.state, 'waiting')
        self.assertFalse(self._ics_mails(ines))
        # a seat frees: enrolled, hence invited
        self.reg.action_cancel()
        self.assertEqual(reg.state, 'confirmed')
        self.assertEqual(len(self._ics_mails(ines)), 3)

    def test_slot_change_sends_an_update_of_that_sequence_only(self):
        _calendar, before = self._event_of(self.may)
        count = len(self._ics_mails())
        self.may.slot_ids.write({'place_id': self.place2.id})
        self.assertEqual(len(self._ics_mails()), count + 1)
        calendar, event = self._event_of(self.may)
        self.assertEqual(calendar['METHOD'], 'REQUEST')
        self.assertEqual(str(event['UID']), str(before['UID']))
        self.assertEqual(event['SEQUENCE'], 1)
        self.assertTrue(event.decoded('DTSTAMP'))
        self.assertIn('Tour Part-Dieu', str(event['LOCATION']))
        self.assertEqual(self._invitation(self.june).revision, 0)
        # a new date: another update
        self.may.slot_ids.write({'date_start': '2027-05-15 06:00:00'})
        _calendar, event = self._event_of(self.may)
        self.assertEqual(event['SEQUENCE'], 2)
        self.assertEqual(event.decoded('DTSTART').astimezone(PARIS)
                         .strftime('%H:%M'), '08:00')

    def test_no_update_when_told_not_to(self):
        count = len(self._ics_mails())
        self.may.slot_ids.write({'place_id': self.place2.id,
                                 'no_calendar_update': True})
        self.assertEqual(self.may.slot_ids.place_id, self.place2)
        self.assertEqual(len(self._ics_mails()), count)
        self.assertEqual(self._invitation(self.may).revision, 0)
        # the same box on the sequence covers its slots edited with it
        self.may.write({'no_calendar_update': True, 'slot_ids': [
            (1, self.may.slot_ids.id, {'place_id': self.place.id})]})
        self.assertEqual(len(self._ics_mails()), count)
        # a change of the comments is no calendar matter
        self.may.slot_ids.write({'comment_place': 'Badge à l\'accueil'})
        self.assertEqual(len(self._ics_mails()), count)

    def test_cancelling_a_sequence_sends_cancel_then_reinvites(self):
        self.june.status = 'cancelled'
        calendar, event = self._event_of(self.june)
        self.assertEqual(calendar['METHOD'], 'CANCEL')
        self.assertEqual(str(event['STATUS']), 'CANCELLED')
        self.assertEqual(event['SEQUENCE'], 1)
        self.assertEqual(self._invitation(self.june).state, 'cancelled')
        self.assertEqual(self._invitation(self.may).state, 'sent')
        self.june.status = 'planned'
        calendar, event = self._event_of(self.june)
        self.assertEqual(calendar['METHOD'], 'REQUEST')
        self.assertEqual(event['SEQUENCE'], 2)

    def test_cancelling_the_registration_cancels_every_sequence(self):
        count = len(self._ics_mails())
        self.reg.action_cancel()
        mails = self._ics_mails()[count:]
        self.assertEqual(len(mails), 3)
        for mail in mails:
            calendar, _event = self._event(mail)
            self.assertEqual(calendar['METHOD'], 'CANCEL')
        self.assertEqual(set(self.reg.mapped(
            'session_id.calendar_invitation_ids.state')), {'cancelled'})

    def test_deleting_a_sequence_or_a_registration_sends_cancel(self):
        uid = self.reg._ics_uid(self.june)
        deliver(self.env)
        self.june.unlink()
        calendar, event = self._event(self._ics_mails()[-1])
        self.assertEqual(calendar['METHOD'], 'CANCEL')
        self.assertEqual(str(event['UID']), uid)
        count = len(self._ics_mails())
        self.reg.unlink()
        self.assertEqual(len(self._ics_mails()), count + 2)

    def test_new_sequence_is_invited(self):
        added = self._add_sequence(self.session, 'Séquence 3', slots=[
            ('2027-09-10 07:00:00', '2027-09-10 15:00:00')])
        invitation = self._invitation(added)
        self.assertEqual(invitation.state, 'sent')
        self.assertEqual(invitation.revision, 0)

    def test_monthly_session_named_by_its_month(self):
        """Manual 004 (1): the event of a monthly session shows its month,
        in the trainee's language."""
        _calendar, event = self._event_of(self.may)
        self.assertEqual(str(event['SUMMARY']),
                         'Manager une équipe - Séquence 1')
        self.session.month = '2027-05-01'
        self.hugo.lang = 'fr_FR'
        self.assertEqual(str(self.reg._ics_event(self.may)['SUMMARY']),
                         'mai 2027 — Manager une équipe - Séquence 1')
        # without a language of their own, the sender's
        self.hugo.lang = False
        self.assertEqual(
            str(self.reg.with_context(lang='en_US')._ics_event(
                self.may)['SUMMARY']),
            'May 2027 — Manager une équipe - Séquence 1')

    def test_convocation_updates_the_invitations(self):
        self.session.session_type = 'inter'
        self.reg.action_send_convocation()
        convocation = self.env['mail.mail'].search([
            ('recipient_ids', 'in', self.hugo.ids),
            ('model', '=', 'training.registration')])
        self.assertEqual(len(convocation), 1)
        self.assertTrue(convocation.attachment_ids.filtered(
            lambda att: att.mimetype == 'application/pdf'))
        for sequence in (self.prework, self.may, self.june):
            self.assertEqual(self._invitation(sequence).revision, 1)
        _calendar, event = self._event_of(self.may)
        self.assertEqual(event['SEQUENCE'], 1)

    def test_scheduled_convocation_updates_the_invitations(self):
        self.session.publication_state = 'published'
        convocation = self.session.mail_ids.filtered(
            lambda mail: mail.kind == 'convocation')
        schedule = convocation.schedule_ids
        schedule.write({'scheduled_date': '2020-01-01 00:00:00'})
        schedule._send_batch()
        self.assertTrue(schedule.sent_date)
        self.assertEqual(self._invitation(self.may).revision, 1)

    def test_invitations_are_hidden_from_participants(self):
        for user in (self.trainer, self.tutor, self.trainee):
            self.assertFalse(self.Invitation.sudo(user).check_access_rights(
                'read', raise_exception=False))
        self.assertTrue(self.Invitation.sudo(self.user).search(
            [('session_id', '=', self.session.id)]))

    def test_draft_sessions_invite_once_published(self):
        session = self._create_session(name='Brouillon',
                                       calendar_invitations=True)
        self._add_sequence(session, 'Jour 1', slots=[
            ('2027-05-15 07:00:00', '2027-05-15 15:00:00')])
        lea = self.Partner.create({'name': 'Léa Morel',
                                   'email': 'lea@example.fr'})
        self._register(session, lea)
        self.assertFalse(self._ics_mails(lea))
        session.action_publish()
        self.assertEqual(len(self._ics_mails(lea)), 1)

    def test_trainee_without_email_gets_no_invitation(self):
        tom = self.Partner.create({'name': 'Tom Sans Courriel'})
        reg = self._register(self.session, tom)
        self.assertFalse(self.Invitation.search(
            [('registration_id', '=', reg.id)]))

    def test_cancellations_still_go_once_the_setting_is_off(self):
        self.session.calendar_invitations = False
        count = len(self._ics_mails())
        self.reg.action_cancel()
        mails = self._ics_mails()[count:]
        self.assertEqual(len(mails), 3)
        self.assertEqual(self._event(mails[0])[0]['METHOD'], 'CANCEL')

    def test_deleting_the_last_slot_cancels_without_dates(self):
        self.june.slot_ids.unlink()
        calendar, event = self._event(self._ics_mails()[-1])
        self.assertEqual(calendar['METHOD'], 'CANCEL')
        self.assertEqual(str(event['UID']), self.reg._ics_uid(self.june))
        self.assertNotIn('DTSTART', event)
        self.assertEqual(self._invitation(self.june).state, 'cancelled')

    def test_one_update_per_save_of_planned_dates(self):
        planned = self._add_sequence(
            self.session, 'Classe virtuelle',
            date_start='2027-09-10 07:00:00', date_end='2027-09-10 09:00:00')
        invitation = self._invitation(planned)
        self.assertEqual((invitation.state, invitation.revision), ('sent', 0))
        count = len(self._ics_mails())
        planned.write({'date_start': '2027-09-11 07:00:00',
                       'date_end': '2027-09-11 09:00:00'})
        self.assertEqual(len(self._ics_mails()), count + 1)
        self.assertEqual(self._invitation(planned).revision, 1)

    def test_information_status_sends_nothing(self):
        count = len(self._ics_mails())
        self.may.status = 'closed'
        self.assertEqual(len(self._ics_mails()), count)

    def test_invitations_carry_organizer_and_attendee(self):
        self.session.company_id.email = 'formation@example.fr'
        self.may.slot_ids.write({'place_id': self.place2.id})
        _calendar, event = self._event_of(self.may)
        self.assertEqual(str(event['ORGANIZER']),
                         'mailto:formation@example.fr')
        self.assertEqual(str(event['ATTENDEE']), 'mailto:hugo@example.fr')

    def test_intra_sessions_do_not_convene_from_the_registration(self):
        with self.assertRaises(UserError):
            self.reg.action_send_convocation()

    def test_one_update_per_save_of_several_slots(self):
        self._add_sequence(self.session, 'Séquence 3', slots=[
            ('2027-09-10 07:00:00', '2027-09-10 10:00:00'),
            ('2027-09-10 11:00:00', '2027-09-10 15:00:00')])
        third = self.session.sequence_ids.filtered(
            lambda seq: seq.name == 'Séquence 3')
        count = len(self._ics_mails())
        revision = self._invitation(third).revision
        # the session form saves both slots, nested in their sequence
        self.session.write({'sequence_ids': [(1, third.id, {'slot_ids': [
            (1, slot.id, {'place_id': self.place2.id})
            for slot in third.slot_ids]})]})
        self.assertEqual(len(self._ics_mails()), count + 1)
        self.assertEqual(self._invitation(third).revision, revision + 1)
        # the sequence form alike
        third.write({'slot_ids': [
            (1, slot.id, {'place_id': self.place.id})
            for slot in third.slot_ids]})
        self.assertEqual(len(self._ics_mails()), count + 2)
        self.assertEqual(self._invitation(third).revision, revision + 2)

    def _sent_messages(self):
        """The MIME messages the mail queue hands to the SMTP server, as
        bytes, while the pending jobs and the queue run."""
        sent = []
        Server = type(self.env['ir.mail_server'])
        original = Server.send_email

        def capture(server, message, *args, **kwargs):
            sent.append(message.as_bytes())
            return original(server, message, *args, **kwargs)

        with mock.patch.object(Server, 'send_email', capture):
            deliver(self.env)
        return [email.message_from_bytes(raw) for raw in sent]

    def test_mail_part_carries_the_itip_method(self):
        """RFC 6047, as Outlook expects it: the real message sent has a
        text/calendar part with the method inside its multipart/alternative
        (beside the text and the HTML), the same file attached, and no
        attachment record per mail."""
        self._sent_messages()
        self.june.status = 'cancelled'
        messages = self._sent_messages()
        self.assertEqual(len(messages), 1)
        for message, method in ((messages[0], 'CANCEL'),):
            alternative = [part for part in message.walk()
                           if part.get_content_type() ==
                           'multipart/alternative']
            self.assertEqual(len(alternative), 1)
            inner = [part.get_content_type()
                     for part in alternative[0].get_payload()]
            self.assertEqual(inner, ['text/plain', 'text/html',
                                     'text/calendar'])
            calendar = alternative[0].get_payload()[2]
            self.assertEqual(calendar.get_param('method'), method)
            self.assertEqual(calendar.get_content_charset(), 'utf-8')
            ics = icalendar.Calendar.from_ical(
                calendar.get_payload(decode=True))
            self.assertEqual(ics['METHOD'], method)
            self.assertEqual(str(ics.walk('VEVENT')[0]['UID']),
                             self.reg._ics_uid(self.june))
            attached = [part for part in message.walk()
                        if part.get_filename() == 'invitation.ics']
            self.assertEqual(len(attached), 1)
            self.assertEqual(attached[0].get_payload(decode=True),
                             calendar.get_payload(decode=True))
        self.assertFalse(self.env['ir.attachment'].search_count([
            ('res_model', '=', self.Invitation._name),
            ('res_id', 'in', self.session.calendar_invitation_ids.ids)]))

    def test_registration_answers_at_once_and_jobs_send_once(self):
        """The registration queues one job per batch of invitations; a job
        run twice mails nothing twice."""
        lea = self.Partner.create({'name': 'Léa Morel',
                                   'email': 'lea@example.fr'})
        Job = self.env['queue.job'].sudo()
        jobs_before = Job.search([])
        self._register(self.session, lea)
        jobs = Job.search([]) - jobs_before
        self.assertEqual(set(jobs.mapped('channel')),
                         {'root.training_mail'})
        self.assertFalse(self._mails_to(lea))
        invitations = self.Invitation.search(
            [('partner_id', '=', lea.id)])
        self.assertEqual(set(invitations.mapped('pending_method')),
                         {'REQUEST'})
        run_jobs(self.env)
        self.assertEqual(len(self._mails_to(lea)), 3)
        self.assertFalse(any(invitations.mapped('pending_method')))
        # the same job once more (requeued by hand, or run twice)
        invitations._job_deliver()
        self.assertEqual(len(self._mails_to(lea)), 3)

    def _mails_to(self, partner):
        return self.env['mail.mail'].search([
            ('recipient_ids', 'in', partner.ids),
            ('training_calendar', '!=', False)])

    def test_an_update_replaces_the_unsent_mail_of_the_last_one(self):
        """Two changes before the mail queue runs: the trainee gets the
        last revision only."""
        deliver(self.env)
        self.may.slot_ids.write({'place_id': self.place2.id})
        run_jobs(self.env)
        self.may.slot_ids.write({'place_id': self.place.id})
        run_jobs(self.env)
        mails = self.env['mail.mail'].search([
            ('training_invitation_id', '=', self._invitation(self.may).id),
            ('state', '=', 'outgoing')])
        self.assertEqual(len(mails), 1)
        self.assertEqual(icalendar.Calendar.from_ical(
            mails.training_calendar).walk('VEVENT')[0]['SEQUENCE'], 2)

    def test_one_failure_does_not_hold_the_others_of_a_batch(self):
        """A change sends its invitations in one batch: the one that fails
        waits for the scheduled action, the others go."""
        Registration = type(self.Registration)
        original = Registration.ics_invitation
        lea = self.Partner.create({'name': 'Léa Morel',
                                   'email': 'lea@example.fr'})
        ines = self.Partner.create({'name': 'Inès Garnier',
                                    'email': 'ines@example.fr'})

        def failing_for_lea(registration, sequence, **kwargs):
            if registration.partner_id == lea:
                raise OSError('disk full')
            return original(registration, sequence, **kwargs)

        with mock.patch.object(Registration, 'ics_invitation',
                               failing_for_lea):
            self.session.register_partners(lea | ines, state='confirmed')
            run_jobs(self.env)
        self.assertEqual(len(self._ics_mails(ines)), 3)
        self.assertFalse(self._ics_mails(lea))
        waiting = self.Invitation.search([('pending_method', '!=', False)])
        self.assertEqual(waiting.mapped('partner_id'), lea)
        self.env['training.session.mail.schedule']._cron_send_due()
        self.assertEqual(len(self._ics_mails(lea)), 3)
        self.assertEqual(len(self._ics_mails(ines)), 3)

    def test_failed_invitation_mail_is_tried_again(self):
        Invitation = type(self.Invitation)
        original = Invitation._ics

        def failing(invitation, method):
            raise OSError('disk full')

        lea = self.Partner.create({'name': 'Léa Morel',
                                   'email': 'lea@example.fr'})
        with mock.patch.object(Invitation, '_ics', failing):
            reg = self._register(self.session, lea)
            run_jobs(self.env)
        # the registration stands; the invitations wait
        self.assertEqual(reg.state, 'confirmed')
        self.assertFalse(self._ics_mails(lea))
        pending = self.Invitation.search([('registration_id', '=', reg.id)])
        self.assertEqual(set(pending.mapped('pending_method')), {'REQUEST'})
        self.assertIn('disk full', pending[0].error)
        with mock.patch.object(Invitation, '_ics', original):
            self.env['training.session.mail.schedule']._cron_send_due()
        self.assertEqual(len(self._ics_mails(lea)), 3)
        self.assertFalse(any(pending.mapped('pending_method')))
        # same revision: the failed one never went out
        self.assertEqual(set(pending.mapped('revision')), {0})
