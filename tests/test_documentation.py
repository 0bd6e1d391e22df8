# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo.exceptions import AccessError, UserError

from .common import TrainingCase, last_job, run_jobs

MEGABYTE = 1024 * 1024
WIZARD = 'training.documentation.wizard'


class DocumentationCase(TrainingCase):

    @classmethod
    def setUpClass(cls):
        super(DocumentationCase, cls).setUpClass()
        # tutors who work in the back office, as in the manual
        cls.tutor_office = cls._create_user(
            't_tutor_office', 'group_training_session_tutor')
        cls.other_tutor = cls._create_user(
            't_tutor_other', 'group_training_session_tutor')
        cls.session = cls._session_with_slot(
            name='Ateliers emploi',
            tutor_ids=[(6, 0, cls.tutor_office.partner_id.ids)])
        Partner = cls.env['res.partner']
        cls.hugo = Partner.create({'name': 'Hugo Lambert',
                                   'email': 'hugo.lambert@example.fr'})
        cls.camille = Partner.create({'name': 'Camille Roux',
                                      'email': 'camille.roux@example.fr'})
        cls.camille_user = cls.env['res.users'].create({
            'partner_id': cls.camille.id, 'login': 'croux-portail',
            'groups_id': [(6, 0, [cls.env.ref('base.group_portal').id])]})
        cls.no_email = Partner.create({'name': 'Luc Sansmail'})
        cls.session.register_partners(cls.hugo | cls.camille | cls.no_email,
                                      state='confirmed')
        # neither a request nor a cancelled registration gets the mail
        for name, state in (('Demande Envoyée', 'draft'),
                            ('Annulé Parti', 'cancelled')):
            cls.env['training.registration'].create({
                'session_id': cls.session.id, 'state': state,
                'partner_id': Partner.create({
                    'name': name,
                    'email': '%s@example.fr' % state}).id})
        cls.folder = cls.env['training.document.folder'].sudo(
            cls.manager).create({'name': 'Livret d\'accueil'})
        cls.guide = cls._upload(cls.manager, 'livret.pdf', MEGABYTE,
                                'training.document.folder')
        cls.folder.write({'attachment_ids': [(6, 0, cls.guide.ids)]})

    @classmethod
    def _upload(cls, user, name, size, model=WIZARD):
        """An attachment as the upload widget creates it (no record)."""
        return cls.env['ir.attachment'].sudo(user).create({
            'name': name, 'datas_fname': name, 'res_model': model,
            'res_id': 0, 'datas': base64.b64encode(b'x' * size)})

    def _wizard(self, user=None, session=None):
        user = user or self.user
        return self.env[WIZARD].sudo(user).with_context(
            default_session_id=(session or self.session).id).create({})

    def _send(self, wizard):
        """The mails created by sending ``wizard``, once its background
        jobs have run."""
        last = self.env['mail.mail'].search([], order='id desc', limit=1)
        job = last_job(self.env)
        wizard.action_send()
        run_jobs(self.env, after=job)
        return self.env['mail.mail'].search([('id', '>', last.id or 0)])

    def _notes(self):
        return self.env['mail.message'].search([
            ('model', '=', 'training.session'),
            ('res_id', '=', self.session.id)])

    def _users(self, partner):
        return self.env['res.users'].search([('partner_id', '=', partner.id)])

    def _mail_to(self, mails, partner):
        mail = mails.filtered(lambda mail: mail.recipient_ids == partner)
        self.assertEqual(len(mail), 1, partner.name)
        return mail


class TestDocumentationWizard(DocumentationCase):
    """Sending documentation to the trainees of a session (manual 004,
    "Envoi de la documentation")."""

    def test_recipients_are_registered_trainees_with_email(self):
        wizard = self._wizard()
        self.assertEqual(wizard.recipient_ids, self.hugo | self.camille)
        self.assertEqual(wizard.missing_email_names, 'Luc Sansmail')
        self.assertTrue(wizard.subject)
        self.assertIn(self.session.code, wizard.body)

    def test_one_mail_per_trainee_and_a_copy_to_the_sender(self):
        mails = self._send(self._wizard())
        self.assertEqual(len(mails), 3)
        self._mail_to(mails, self.hugo)
        self._mail_to(mails, self.camille)
        copy = self._mail_to(mails, self.user.partner_id)
        for trainee in (self.hugo, self.camille):
            self.assertIn(trainee.name, copy.body_html)
            self.assertIn(trainee.email, copy.body_html)
        self.assertIn('Luc Sansmail', copy.body_html)
        for mail in mails:
            self.assertEqual(mail.author_id, self.user.partner_id)
            self.assertEqual(mail.state, 'outgoing')
        note = self._notes()[0]
        self.assertIn('Hugo Lambert', note.body)
        self.assertIn('Camille Roux', note.body)

    def test_each_trainee_gets_their_own_login(self):
        url = '%s/my' % self.env['ir.config_parameter'].get_param(
            'web.base.url')
        mails = self._send(self._wizard())
        # Hugo had no user: a portal trainee user is made, as for the
        # welcome sheet
        hugo_user = self._users(self.hugo)
        self.assertEqual(len(hugo_user), 1)
        self.assertTrue(hugo_user.has_group('base.group_portal'))
        self.assertTrue(hugo_user.has_group(
            'training_session.group_training_session_trainee'))
        to_hugo = self._mail_to(mails, self.hugo).body_html
        to_camille = self._mail_to(mails, self.camille).body_html
        self.assertIn(hugo_user.login, to_hugo)
        self.assertNotIn('croux-portail', to_hugo)
        self.assertIn('croux-portail', to_camille)
        self.assertNotIn(hugo_user.login, to_camille)
        self.assertIn(url, to_hugo)
        self.assertIn(url, to_camille)
        # the copy has the message, not the trainees' logins
        copy = self._mail_to(mails, self.user.partner_id).body_html
        self.assertNotIn('croux-portail', copy)
        # a second mailing reuses the users
        self._send(self._wizard())
        self.assertEqual(self._users(self.hugo), hugo_user)

    def test_attachments_on_every_mail(self):
        wizard = self._wizard()
        upload = self._upload(self.user, 'planning.pdf', 1000)
        wizard.write({'folder_document_ids': [(6, 0, self.guide.ids)],
                      'attachment_ids': [(6, 0, upload.ids)]})
        self.assertEqual(wizard.total_size, MEGABYTE + 1000)
        mails = self._send(wizard)
        for mail in mails:
            self.assertEqual(mail.attachment_ids, self.guide | upload)
        # the uploaded document stays with the session, the folder's own
        self.assertEqual((upload.res_model, upload.res_id),
                         ('training.session', self.session.id))
        self.assertEqual(self.guide.res_model, 'training.document.folder')
        self.assertEqual(self._notes()[0].attachment_ids,
                         self.guide | upload)

    def test_at_most_two_megabytes(self):
        wizard = self._wizard()
        upload = self._upload(self.user, 'exact.pdf', MEGABYTE)
        wizard.write({'folder_document_ids': [(6, 0, self.guide.ids)],
                      'attachment_ids': [(6, 0, upload.ids)]})
        self.assertEqual(wizard.total_size, 2 * MEGABYTE)
        self.assertFalse(wizard.size_exceeded)
        self.assertEqual(len(self._send(wizard)), 3)

        notes = self._notes()
        wizard = self._wizard()
        one_byte_more = self._upload(self.user, 'trop.pdf', MEGABYTE + 1)
        wizard.write({'folder_document_ids': [(6, 0, self.guide.ids)],
                      'attachment_ids': [(6, 0, one_byte_more.ids)]})
        self.assertTrue(wizard.size_exceeded)
        with self.assertRaises(UserError):
            self._send(wizard)
        self.assertFalse(self.env['mail.mail'].search(
            [('attachment_ids', 'in', one_byte_more.ids)]))
        self.assertEqual(self._notes(), notes)
        self.assertEqual(one_byte_more.res_model, WIZARD)

    def test_nobody_to_send_to(self):
        session = self._session_with_slot(name='Sans e-mails')
        session.register_partners(self.no_email, state='confirmed')
        wizard = self._wizard(session=session)
        self.assertFalse(wizard.recipient_ids)
        last = self.env['mail.mail'].search([], order='id desc', limit=1)
        with self.assertRaises(UserError):
            wizard.action_send()
        self.assertFalse(self.env['mail.mail'].search(
            [('id', '>', last.id)]))
        self.assertFalse(self._users(self.no_email))

    def test_nothing_done_without_the_senders_email(self):
        self.user2.partner_id.email = False
        wizard = self._wizard(self.user2)
        last = self.env['mail.mail'].search([], order='id desc', limit=1)
        with self.assertRaises(UserError):
            wizard.action_send()
        self.assertFalse(self.env['mail.mail'].search(
            [('id', '>', last.id)]))
        # not even the trainees' portal users
        self.assertFalse(self._users(self.hugo))

    def test_trainees_mails_go_by_jobs_run_once(self):
        """Issue 18: the click creates the sender's copy; the trainees'
        mails are made by a job, which makes none twice when run again."""
        wizard = self._wizard()
        last = self.env['mail.mail'].search([], order='id desc', limit=1)
        Job = self.env['queue.job'].sudo()
        jobs = Job.search([])
        job = last_job(self.env)
        wizard.action_send()
        queued = Job.search([]) - jobs
        self.assertEqual(queued.mapped('channel'), ['root.training_mail'])
        mails = self.env['mail.mail'].search([('id', '>', last.id)])
        self.assertEqual(mails.mapped('recipient_ids'),
                         self.user.partner_id)
        # the portal users missing are made by the job too (minutes for a
        # few hundred)
        self.assertFalse(self._users(self.hugo))
        run_jobs(self.env, after=job)
        self.assertTrue(self._users(self.hugo))
        mails = self.env['mail.mail'].search([('id', '>', last.id)])
        self.assertIn(self.hugo, mails.mapped('recipient_ids'))
        count = len(mails)
        # the same job once more
        job = queued.with_context(
            test_queue_job_no_delay=True)
        record = self.env[job.model_name]
        record._job_create_mails(*job.args)
        self.assertEqual(len(self.env['mail.mail'].search(
            [('id', '>', last.id)])), count)

    def test_the_message_is_editable(self):
        wizard = self._wizard()
        proposed = wizard.body
        wizard.write({'subject': 'Vos documents 4242',
                      'body': '<p>Message du tuteur 4242</p>'})
        mails = self._send(wizard)
        for trainee in (self.hugo, self.camille, self.user.partner_id):
            mail = self._mail_to(mails, trainee)
            self.assertIn('Message du tuteur 4242', mail.body_html)
            self.assertNotIn(proposed, mail.body_html)
            self.assertIn('Vos documents 4242', mail.subject)

    def test_the_tutor_of_the_session_sends_it(self):
        wizard = self._wizard(self.tutor_office)
        self.assertEqual(wizard.recipient_ids, self.hugo | self.camille)
        wizard.write({'folder_document_ids': [(6, 0, self.guide.ids)]})
        mails = self._send(wizard)
        self._mail_to(mails, self.hugo)
        copy = self._mail_to(mails, self.tutor_office.partner_id)
        self.assertIn('Camille Roux', copy.body_html)
        self.assertEqual(mails.mapped('author_id'),
                         self.tutor_office.partner_id)

    def test_other_people_are_refused(self):
        for user in (self.other_tutor, self.tutor, self.trainer,
                     self.trainee):
            with self.assertRaises(AccessError):
                self._wizard(user)
        # even with a wizard made without the session in its context, or
        # one made for another session and moved to this one
        with self.assertRaises(AccessError):
            self.env[WIZARD].sudo(self.other_tutor).create({
                'session_id': self.session.id, 'subject': 'Documents',
                'body': '<p>Documents</p>'})
        own = self._create_session(
            name='La sienne', tutor_ids=[(6, 0, self.other_tutor.partner_id
                                          .ids)])
        wizard = self._wizard(self.other_tutor, own)
        with self.assertRaises(AccessError):
            wizard.write({'session_id': self.session.id})


class TestDocumentFolders(DocumentationCase):
    """Training users put documents in folders; tutors read and download
    them; trainers and trainees see none."""

    def test_uploads_are_documents_of_their_folder(self):
        upload = self._upload(self.user, 'charte.pdf', 10,
                              'training.document.folder')
        folder = self.env['training.document.folder'].sudo(self.user).create(
            {'name': 'Chartes', 'parent_id': self.folder.id,
             'attachment_ids': [(6, 0, upload.ids)]})
        self.assertEqual((upload.res_model, upload.res_id),
                         ('training.document.folder', folder.id))
        self.assertEqual(folder.document_count, 1)
        self.assertEqual(folder.complete_name, 'Livret d\'accueil / Chartes')
        folder.write({'attachment_ids': [(5,)]})
        self.assertFalse(upload.exists())

    def test_tutors_read_and_download(self):
        for tutor in (self.tutor_office, self.tutor):
            folder = self.folder.sudo(tutor)
            self.assertEqual(folder.attachment_ids, self.guide)
            self.assertTrue(self.guide.sudo(tutor).datas)
            with self.assertRaises(AccessError):
                folder.write({'name': 'Renommé'})
            with self.assertRaises(AccessError):
                self.env['training.document.folder'].sudo(tutor).create(
                    {'name': 'Nouveau'})
        with self.assertRaises(AccessError):
            self.env['ir.attachment'].sudo(self.tutor_office).create({
                'name': 'ajout.pdf', 'res_model': 'training.document.folder',
                'res_id': self.folder.id, 'datas': base64.b64encode(b'x')})

    def test_trainers_and_trainees_have_no_access(self):
        for user in (self.trainer, self.trainee):
            with self.assertRaises(AccessError):
                self.env['training.document.folder'].sudo(user).search([])
            with self.assertRaises(AccessError):
                self.folder.sudo(user).read(['name'])
            with self.assertRaises(AccessError):
                self.guide.sudo(user).read(['datas'])
