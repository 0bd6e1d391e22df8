# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import icalendar

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import CertificationCase, TrainingCase


class TestPortalData(TrainingCase):
    """What the portal pages do, as the trainees and trainers themselves:
    their own data only (manual 004, issue 7)."""

    @classmethod
    def setUpClass(cls):
        super(TestPortalData, cls).setUpClass()
        cls.trainee.partner_id.write({
            'is_trainee': True, 'lastname': 'Lambert', 'firstname': 'Hugo',
            'title': cls.env.ref('base.res_partner_title_mister').id})
        cls.other = cls._create_user(
            't_trainee_other', 'group_training_session_trainee', portal=True)
        cls.session = cls._session_with_slot(
            name='Bureautique', publication_state='published',
            trainer_ids=[(6, 0, cls.trainer.partner_id.ids)])
        cls.reg = cls.Registration.create({
            'session_id': cls.session.id, 'state': 'confirmed',
            'partner_id': cls.trainee.partner_id.id})
        cls.other_reg = cls.Registration.create({
            'session_id': cls.session.id, 'state': 'confirmed',
            'partner_id': cls.other.partner_id.id})
        cls.slot = cls.session.slot_ids

    def test_trainee_saves_personal_data_with_the_same_checks(self):
        partner = self.trainee.partner_id.sudo(self.trainee)
        partner.portal_update_personal_data(
            {'phone': '0612345678', 'lastname': 'lambert-roux',
             'firstname': 'hugo', 'city': 'Lyon'})
        self.assertEqual(self.trainee.partner_id.phone, '06 12 34 56 78')
        self.assertEqual(self.trainee.partner_id.name, 'LAMBERT-ROUX Hugo')
        with self.assertRaises(ValidationError), self.cr.savepoint():
            partner.portal_update_personal_data({'phone': '12'})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            partner.portal_update_personal_data({'lastname': ''})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            partner.portal_update_personal_data({'email': 'hugo@'})
        self.assertEqual(self.trainee.partner_id.phone, '06 12 34 56 78')
        # only the form's fields
        partner.portal_update_personal_data({'is_trainee': False,
                                             'city': 'Lyon 3e'})
        self.assertTrue(self.trainee.partner_id.is_trainee)

    def test_same_checks_for_a_portal_user_not_flagged_trainee(self):
        self.other.partner_id.write({'lastname': 'Petit',
                                     'firstname': 'Léa'})
        partner = self.other.partner_id.sudo(self.other)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            partner.portal_update_personal_data({'phone': '12'})
        partner.portal_update_personal_data({'mobile': '0612345678'})
        self.assertEqual(self.other.partner_id.mobile, '06 12 34 56 78')

    def test_nobody_else_s_data(self):
        with self.assertRaises(AccessError):
            self.other.partner_id.sudo(self.trainee) \
                .portal_update_personal_data({'phone': '0612345678'})

    def test_trainee_reads_own_registration_only(self):
        own = self.reg.sudo(self.trainee)
        own.check_access_rule('read')
        with self.assertRaises(AccessError):
            self.other_reg.sudo(self.trainee).check_access_rule('read')

    def test_ics_of_one_sequence(self):
        sequence = self.session.sequence_ids
        calendar = icalendar.Calendar.from_ical(
            self.reg.ics_sequence_file(sequence))
        self.assertEqual(calendar['METHOD'], 'PUBLISH')
        events = calendar.walk('VEVENT')
        self.assertEqual(len(events), 1)
        self.assertEqual(str(events[0]['UID']), self.reg._ics_uid(sequence))

    def test_trainer_records_attendance_of_their_slot(self):
        slot = self.slot.sudo(self.trainer)
        self.assertTrue(slot.portal_can_record())
        lines = {att.id: ('present', ' Très bonne participation ')
                 for att in self.slot.attendance_ids}
        slot.portal_record_attendance(lines)
        self.assertEqual(set(self.slot.attendance_ids.mapped('state')),
                         {'present'})
        self.assertEqual(self.slot.attendance_ids[0].comment,
                         'Très bonne participation')

    def test_trainer_of_another_slot_is_refused(self):
        other_session = self._session_with_slot(
            name='Autre', publication_state='published')
        other_slot = other_session.slot_ids
        with self.assertRaises(AccessError):
            other_slot.sudo(self.trainer).portal_record_attendance({})
        # lines of another slot through this slot
        foreign = self.Registration.create({
            'session_id': other_session.id, 'state': 'confirmed',
            'partner_id': self.Partner.create({'name': 'Zoé Autre'}).id})
        with self.assertRaises(AccessError):
            self.slot.sudo(self.trainer).portal_record_attendance(
                {foreign.attendance_ids.id: ('absent', '')})
        # trainees and the tutors of other sessions do not record
        for user in (self.trainee, self.tutor):
            with self.assertRaises(AccessError), self.cr.savepoint():
                self.slot.sudo(user).portal_record_attendance(
                    {self.reg.attendance_ids.id: ('present', '')})

    def test_validated_attendance_stays(self):
        attendance = self.reg.attendance_ids
        attendance.write({'state': 'present'})
        attendance.action_validate()
        with self.assertRaises(UserError):
            self.slot.sudo(self.trainer).portal_record_attendance(
                {attendance.id: ('absent', '')})

    def test_tutor_validates_the_recorded_lines(self):
        self.session.tutor_ids = self.tutor.partner_id
        self.reg.attendance_ids.write({'state': 'present'})
        slot = self.slot.sudo(self.tutor)
        self.assertTrue(slot.portal_can_validate())
        self.assertFalse(slot.portal_can_record())
        validated = slot.portal_validate_attendance()
        self.assertEqual(validated, self.reg.attendance_ids)
        self.assertEqual(self.reg.attendance_ids.validated_by_id,
                         self.tutor)
        # the line not recorded yet waits
        self.assertFalse(self.other_reg.attendance_ids.validated_on)

    def test_tutor_corrects_and_comments_before_validating(self):
        """Manual 004 (9): the tutor validates presences and absences, and
        the trainees read the tutor's comments; validated, it is locked
        for the trainer."""
        self.session.tutor_ids = self.tutor.partner_id
        attendance = self.reg.attendance_ids
        attendance.write({'state': 'present'})
        slot = self.slot.sudo(self.tutor)
        slot.portal_record_attendance(
            {attendance.id: ('absent', 'Absence à justifier auprès de '
                                       'votre conseiller')})
        slot.portal_validate_attendance()
        self.assertEqual(
            (attendance.state, attendance.comment, attendance.validated_by_id),
            ('absent', 'Absence à justifier auprès de votre conseiller',
             self.tutor))
        own = attendance.sudo(self.trainee)
        self.assertEqual(own.comment,
                         'Absence à justifier auprès de votre conseiller')
        with self.assertRaises(UserError):
            self.slot.sudo(self.trainer).portal_record_attendance(
                {attendance.id: ('present', '')})

    def test_trainer_file_documents_for_trainers_and_tutors(self):
        Attachment = self.env['ir.attachment']

        def document(name):
            return Attachment.create({'name': name, 'datas_fname': name,
                                      'datas': 'JVBERi0xLjQK'})
        mails = self.session.mail_ids
        trainer_file = mails.filtered(lambda m: m.kind == 'trainer_file')
        if not trainer_file:
            trainer_file = mails.create({
                'session_id': self.session.id, 'kind': 'trainer_file',
                'template_id': self.env.ref(
                    'training_session.mail_template_session_trainer_file').id})
        case = document('Cas pratique.pdf')
        trainer_file.write({'enabled': True,
                            'attachment_ids': [(6, 0, case.ids)]})
        # the trainees' documents are not the trainer file
        convocation = mails.filtered(lambda m: m.kind == 'convocation')
        convocation.write({'attachment_ids': [
            (6, 0, document('Plan d\'accès.pdf').ids)]})
        self.assertEqual(
            self.slot.sudo(self.trainer).portal_trainer_documents(), case)
        self.session.tutor_ids = self.tutor.partner_id
        self.assertEqual(
            self.slot.sudo(self.tutor).portal_trainer_documents(), case)
        for user in (self.trainee, self.other):
            with self.assertRaises(AccessError), self.cr.savepoint():
                self.slot.sudo(user).portal_trainer_documents()
        # a disabled setting is not sent: nor shown
        trainer_file.enabled = False
        self.assertFalse(
            self.slot.sudo(self.trainer).portal_trainer_documents())

    def test_only_the_session_s_tutors_validate(self):
        for user in (self.tutor, self.trainer, self.trainee):
            with self.assertRaises(AccessError), self.cr.savepoint():
                self.slot.sudo(user).portal_validate_attendance()


class TestPortalCatalogue(TrainingCase):
    """The portal's catalogue: published sessions the user may see, never
    drafts; a request the back office confirms."""

    @classmethod
    def setUpClass(cls):
        super(TestPortalCatalogue, cls).setUpClass()
        cls.open = cls._session_with_slot(name='Ouverte',
                                          publication_state='published')
        cls.draft = cls._session_with_slot(name='Brouillon')
        cls.population = cls.env['training.population'].create({
            'name': 'Managers', 'user_ids': [(6, 0, cls.user.ids)]})
        cls.restricted = cls._session_with_slot(
            name='Réservée', publication_state='published',
            population_ids=[(6, 0, cls.population.ids)])

    def test_catalogue_shows_published_sessions_of_the_user(self):
        seen = self.Session.sudo(self.trainee).portal_catalogue()
        self.assertIn(self.open, seen)
        self.assertNotIn(self.draft, seen)
        self.assertNotIn(self.restricted, seen)
        self.population.user_ids |= self.trainee
        self.assertIn(self.restricted,
                      self.Session.sudo(self.trainee).portal_catalogue())

    def test_request_is_a_draft_registration_once(self):
        registration = self.open.sudo(self.trainee) \
            .portal_request_registration()
        self.assertEqual(registration.state, 'draft')
        self.assertEqual(registration.partner_id, self.trainee.partner_id)
        with self.assertRaises(UserError), self.cr.savepoint():
            self.open.sudo(self.trainee).portal_request_registration()

    def test_no_request_outside_the_catalogue(self):
        for session in (self.draft, self.restricted):
            with self.assertRaises(AccessError), self.cr.savepoint():
                session.sudo(self.trainee).portal_request_registration()
        self.assertFalse(self.Registration.search(
            [('partner_id', '=', self.trainee.partner_id.id)]))


class TestPortalCertification(CertificationCase):
    """Step 2 of manual 003 on the portal: the (portal) trainer records the
    results, then sends them or returns the session."""

    def setUp(self):
        super(TestPortalCertification, self).setUp()
        patcher = self._today(self.TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.session = self._submitted_session(self.delegate_a)
        self.results = {cand.id: 'pass' for cand in self.session.candidate_ids}

    def test_portal_trainer_sends_the_results(self):
        self.assertTrue(self.trainer.has_group('base.group_portal'))
        self.session.sudo(self.trainer).portal_trainer_step(
            self.results, action='send')
        self.assertEqual(self.session.state, 'entity_validation')
        self.assertEqual(set(self.session.candidate_ids.mapped('result')),
                         {'pass'})

    def test_portal_trainer_returns_with_a_comment(self):
        with self.assertRaises(UserError), self.cr.savepoint():
            self.session.sudo(self.trainer).portal_trainer_step(
                {}, action='return', comment=' ')
        self.session.sudo(self.trainer).portal_trainer_step(
            {}, action='return', comment='Candidate absente de la liste.')
        self.assertEqual(self.session.state, 'draft')

    def test_only_its_trainer_and_its_candidates(self):
        for user in (self.delegate_a, self.trainee, self.tutor):
            with self.assertRaises(AccessError), self.cr.savepoint():
                self.session.sudo(user).portal_trainer_step(
                    self.results, action='send')
        other = self._submitted_session(self.delegate_a)
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.session.sudo(self.trainer).portal_trainer_step(
                {other.candidate_ids[0].id: 'pass'})
        self.assertEqual(self.session.state, 'trainer_validation')


class TestPortalReviewFixes(TestPortalData):
    """What a review of the portal found: each would pass the routes'
    record rules but is not the caller's business."""

    def test_validation_fields_only_through_the_validation(self):
        attendance = self.reg.attendance_ids
        attendance.write({'state': 'present'})
        with self.assertRaises(UserError), self.cr.savepoint():
            attendance.sudo(self.trainer).write(
                {'validated_on': '2027-02-01 10:00:00'})
        # a tutor of another session cannot validate these lines
        with self.assertRaises(AccessError), self.cr.savepoint():
            attendance.sudo(self.tutor).action_validate()
        self.assertFalse(attendance.validated_on)

    def test_trainee_neither_records_nor_validates(self):
        slot = self.slot.sudo(self.trainee)
        slot.check_access_rule('read')  # they read their sessions' slots
        self.assertFalse(slot.portal_can_record())
        self.assertFalse(slot.portal_can_validate())

    def test_downloaded_ics_carries_the_current_revision(self):
        self.session.calendar_invitations = True
        sequence = self.session.sequence_ids
        self.slot.write({'date_start': '2027-02-01 07:00:00'})
        invitation = self.env['training.calendar.invitation'].search([
            ('registration_id', '=', self.reg.id)])
        self.assertEqual(invitation.revision, 1)
        event = icalendar.Calendar.from_ical(
            self.reg.ics_sequence_file(sequence)).walk('VEVENT')[0]
        self.assertEqual(event['SEQUENCE'], 1)

    def test_catalogue_requests_are_for_trainees(self):
        session = self._session_with_slot(name='Ouverte',
                                          publication_state='published')
        with self.assertRaises(AccessError):
            session.sudo(self.trainer).portal_request_registration()

    def test_trainers_and_tutors_write_the_attendance_only(self):
        """Over RPC, a trainer or tutor could move a line to another trainee
        or date (related fields write through): only the attendance and its
        comment are theirs."""
        self.session.tutor_ids = self.tutor.partner_id
        attendance = self.reg.attendance_ids
        other_partner = self.other.partner_id
        for user in (self.trainer, self.tutor):
            for values in ({'partner_id': other_partner.id},
                           {'date_start': '2030-01-01 08:00:00'},
                           {'session_id': self.session.id},
                           {'state': 'present',
                            'partner_id': other_partner.id}):
                with self.assertRaises(UserError), self.cr.savepoint():
                    attendance.sudo(user).write(values)
        self.assertEqual(attendance.partner_id, self.trainee.partner_id)
        self.assertEqual(self.reg.partner_id, self.trainee.partner_id)
        self.assertEqual(attendance.state, 'todo')
        attendance.sudo(self.trainer).write({'state': 'present',
                                             'comment': 'Ponctuel'})
        self.assertEqual(attendance.comment, 'Ponctuel')

    def test_a_validation_is_not_stamped_again(self):
        self.session.tutor_ids = self.tutor.partner_id
        second = self._create_user('t_tutor_second',
                                   'group_training_session_tutor',
                                   portal=True)
        self.session.tutor_ids |= second.partner_id
        attendance = self.reg.attendance_ids
        attendance.write({'state': 'present'})
        attendance.sudo(self.tutor).action_validate()
        stamped = (attendance.validated_by_id, attendance.validated_on)
        attendance.sudo(second).action_validate()
        self.assertEqual(
            (attendance.validated_by_id, attendance.validated_on), stamped)

    def test_a_trainee_s_documents_are_theirs_only(self):
        """Odoo checks an attachment against its record: trainers and
        tutors read the registrations of their sessions, trainees the
        sessions they attend; /web/content would serve their files."""
        self.session.tutor_ids = self.tutor.partner_id
        Attachment = self.env['ir.attachment']

        def file_of(record, name):
            return Attachment.create({
                'name': name, 'datas_fname': name, 'datas': 'JVBERi0xLjQK',
                'res_model': record._name, 'res_id': record.id})
        own = file_of(self.reg, 'convocation-lambert.pdf')
        others = file_of(self.other_reg, 'convocation-autre.pdf')
        session_file = file_of(self.session, 'notes-internes.pdf')
        self.assertEqual(own.sudo(self.trainee).datas, b'JVBERi0xLjQK')
        for user, attachment in ((self.trainee, others),
                                 (self.trainee, session_file),
                                 (self.trainer, own), (self.tutor, own),
                                 (self.other, own)):
            with self.assertRaises(AccessError), self.cr.savepoint():
                attachment.sudo(user).read(['datas'])
        # nor found by a search (as those of records one may not read)
        for user, visible in ((self.trainee, own), (self.trainer, False),
                              (self.tutor, False)):
            found = Attachment.sudo(user).search([
                ('res_model', 'in', ('training.registration',
                                     'training.session'))])
            self.assertEqual(found, Attachment.browse(visible and visible.id))
        # the back office reads them all
        (own | others | session_file).sudo(self.user).read(['datas'])

    def test_trainee_does_not_rename_their_user(self):
        """Odoo lets users write their own name and e-mail: for trainees
        that would skip the checks of their personal data page."""
        for values in ({'name': 'x'}, {'email': 'pas-une-adresse'}):
            with self.assertRaises(UserError), self.cr.savepoint():
                self.trainee.sudo(self.trainee).write(values)
        self.assertEqual(self.trainee.partner_id.name, 'LAMBERT Hugo')
        # their preferences stay theirs
        self.trainee.sudo(self.trainee).write({'tz': 'Europe/Paris'})
        self.assertEqual(self.trainee.tz, 'Europe/Paris')
        # the administrators change them
        self.trainee.write({'email': 'hugo@example.fr'})
        self.assertEqual(self.trainee.partner_id.email, 'hugo@example.fr')
