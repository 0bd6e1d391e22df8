# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import socket
import uuid

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext, html_escape, plaintext2html

from odoo.addons.queue_job.job import job

from ..models.background import (JOB_BATCH_SIZE, MAIL_CHANNEL,
                                 always_queued)
from ..models.training_registration import (REGISTERED_STATES,
                                            TRAINING_USER_GROUP, TUTOR_GROUP)

# what the mail server of manual 004 accepts for all the attachments of a
# mail, in bytes (ir.attachment.file_size)
MAX_ATTACHMENT_SIZE = 2 * 1024 * 1024
FOLDER_MODEL = 'training.document.folder'
# what a tutor may upload from the portal: documents and images, never
# markup a browser would run (HTML, SVG)
UPLOAD_EXTENSIONS = ('pdf', 'doc', 'docx', 'odt', 'rtf', 'txt', 'xls', 'xlsx',
                     'ods', 'csv', 'ppt', 'pptx', 'odp', 'png', 'jpg', 'jpeg')


class TrainingDocumentationWizard(models.TransientModel):
    """Send documentation to the trainees of a session (manual 004, "Envoi
    de la documentation"): one mail per registered trainee who has an
    e-mail, with the documents (at most 2 MB in all) and, at the bottom,
    that trainee's login on the trainees' site; then a copy to the sender
    with the list of recipients, and a note in the session's chatter.
    Training users and the tutors of the session send it."""
    _name = 'training.documentation.wizard'
    _description = 'Send documentation'

    session_id = fields.Many2one(
        'training.session',
        string='Session',
        required=True,
        readonly=True,
        ondelete='cascade',
    )
    recipient_ids = fields.Many2many(
        'res.partner',
        string='Recipients',
        compute='_compute_recipients',
        help='The registered trainees who have an e-mail address.',
    )
    missing_email_names = fields.Char(
        string='Trainees without e-mail',
        compute='_compute_recipients',
    )
    folder_document_ids = fields.Many2many(
        'ir.attachment',
        'training_documentation_wizard_folder_rel',
        'wizard_id',
        'attachment_id',
        string='Documents from the folders',
        domain=[('res_model', '=', FOLDER_MODEL), ('res_id', '!=', False)],
    )
    attachment_ids = fields.Many2many(
        'ir.attachment',
        'training_documentation_wizard_attachment_rel',
        'wizard_id',
        'attachment_id',
        string='Attach trainee documents',
        help='Add the documents one by one; all the attachments together '
             'may weigh at most 2 MB.',
    )
    subject = fields.Char(required=True)
    body = fields.Html(string='Message text', required=True)
    total_size = fields.Integer(
        string='Total size (bytes)',
        compute='_compute_total_size',
    )
    total_size_mb = fields.Float(
        string='Total size of the attachments (MB)',
        digits=(16, 2),
        compute='_compute_total_size',
    )
    size_exceeded = fields.Boolean(
        string='Over 2 MB',
        compute='_compute_total_size',
    )

    @api.depends('session_id')
    def _compute_recipients(self):
        for wizard in self:
            recipients, missing = wizard._trainees()
            wizard.recipient_ids = recipients
            # False, not '', so that the form hides the warning
            wizard.missing_email_names = ', '.join(
                missing.mapped('name')) or False

    @api.depends('attachment_ids', 'folder_document_ids')
    def _compute_total_size(self):
        for wizard in self:
            size = sum(wizard._documents().mapped('file_size'))
            wizard.total_size = size
            wizard.total_size_mb = size / 1024.0 / 1024.0
            wizard.size_exceeded = size > MAX_ATTACHMENT_SIZE

    @api.model
    def create(self, vals):
        # a transient model has no access rights in Odoo 11: only the
        # senders of the session make one (its default taken)
        wizard = super(TrainingDocumentationWizard, self).create(vals)
        self._check_sender(wizard.session_id)
        return wizard

    @api.multi
    def write(self, vals):
        if 'session_id' in vals:
            self._check_sender(self.env['training.session'].browse(
                vals['session_id']))
        return super(TrainingDocumentationWizard, self).write(vals)

    @api.model
    def default_get(self, fields_list):
        values = super(TrainingDocumentationWizard, self).default_get(
            fields_list)
        session = self.env['training.session'].browse(
            values.get('session_id'))
        if session:
            self._check_sender(session)
            subject, body = self._default_texts(session)
            if 'subject' in fields_list:
                values.setdefault('subject', subject)
            if 'body' in fields_list:
                values.setdefault('body', body)
        return values

    @api.model
    def _check_sender(self, session):
        """Training users who see the session, and its tutors, send its
        documentation; nobody else."""
        user = self.env.user
        if user.has_group(TRAINING_USER_GROUP):
            session.check_access_rights('read')
            session.check_access_rule('read')
            return
        if user.has_group(TUTOR_GROUP) and \
                user.partner_id in session.sudo().tutor_ids:
            return
        raise AccessError(_(
            'Only training users and the tutors of the session %s send its '
            'documentation.') % session.sudo().display_name)

    @api.model
    def _default_texts(self, session):
        """The subject and message proposed, in the sender's language."""
        subject = _('Documentation of the session %s') % session.display_name
        paragraphs = [
            _('Hello,'),
            _('Please find attached the documentation of the session %s.')
            % session.display_name,
            _('Best regards,'),
            self.env.user.name,
        ]
        return subject, ''.join('<p>%s</p>' % html_escape(text)
                                for text in paragraphs)

    @api.multi
    def _trainees(self):
        """(registered trainees with an e-mail, those without), by name,
        for a sender of the session: read as superuser, since tutors on
        the portal read no contact."""
        self.ensure_one()
        self._check_sender(self.session_id)
        trainees = self.session_id.sudo().registration_ids.filtered(
            lambda reg: reg.state in REGISTERED_STATES).mapped('partner_id')
        trainees = trainees.sorted(
            lambda partner: (partner.name or '').lower())
        with_email = trainees.filtered(lambda partner: partner.email)
        return with_email, trainees - with_email

    @api.multi
    def _documents(self):
        self.ensure_one()
        return self.folder_document_ids | self.attachment_ids

    @api.multi
    def action_send(self):
        """Check everything, then queue the trainees' mails as background
        jobs, a batch each (the sender's copy at once): nothing is sent
        when anything is wrong."""
        self.ensure_one()
        session = self.session_id
        self._check_sender(session)
        documents = self._documents()
        documents.check('read')
        recipients, missing = self._trainees()
        if not recipients:
            raise UserError(_(
                'No registered trainee of the session %s has an e-mail '
                'address: there is nobody to send the documentation to.')
                % session.display_name)
        size = sum(documents.mapped('file_size'))
        if size > MAX_ATTACHMENT_SIZE:
            raise UserError(self._size_message(size))
        sender = self.env.user.partner_id
        if not sender.email:
            raise UserError(_(
                'Your user has no e-mail address: the documentation is sent '
                'from it and its copy comes back to it. Set it in your '
                'preferences first.'))
        values = {
            'subject': self.subject,
            'email_from': sender.email_formatted,
            'reply_to': sender.email_formatted,
            'author_id': sender.id,
            'attachment_ids': [(6, 0, documents.ids)],
        }
        self._send_later(values, self.body or '', recipients)
        self.env['mail.mail'].sudo().create(dict(
            values, recipient_ids=[(4, sender.id)],
            subject=_('Copy: %s') % self.subject,
            body_html=self._recipient_list(
                _('Copy of the documentation sent to:'), recipients,
                missing) + '<hr/>' + (self.body or '')))
        # the uploaded documents stay with the session, as its chatter shows
        self.attachment_ids.filtered(
            lambda doc: doc.res_model == self._name).sudo().write(
            {'res_model': session._name, 'res_id': session.id})
        session.sudo().message_post(
            body=self._recipient_list(
                _('Documentation "%s" sent by e-mail to:') % self.subject,
                recipients, missing),
            author_id=sender.id, message_type='comment',
            subtype='mail.mt_note', attachment_ids=documents.ids)
        return {'type': 'ir.actions.act_window_close'}

    @api.model
    def _send_later(self, values, body, recipients):
        """The mails of ``recipients`` (partners), ``body`` followed by each
        trainee's login, with the common ``values``, created by background
        jobs, one per batch, which first make the portal users missing (a
        few hundred take minutes); each mail has a Message-Id of its own,
        from which a job run twice knows the mails it made already."""
        key = uuid.uuid4().hex
        ids = recipients.ids
        for start in range(0, len(ids), JOB_BATCH_SIZE):
            always_queued(self).with_delay(
                description=_('Documentation "%s" to send') %
                values['subject'])._job_create_mails(
                values, body, ids[start:start + JOB_BATCH_SIZE], key)

    @job(default_channel=MAIL_CHANNEL)
    @api.model
    def _job_create_mails(self, values, body, partner_ids, key):
        """Create the mails of a batch of trainees (see _send_later), those
        not made yet, in the sender's language (the job runner gives no
        context)."""
        self = self.with_context(lang=self.env.user.lang)
        Mail = self.env['mail.mail'].sudo()
        # the ids the click checked (a job's arguments are the server's)
        partners = self.env['res.partner'].sudo().browse(
            partner_ids).exists()
        logins = self._portal_logins(partners)
        url = '%s/my' % self.env['ir.config_parameter'].sudo().get_param(
            'web.base.url', '').rstrip('/')
        ids = {partner.id: '<training-documentation-%s-%d@%s>' % (
            key, partner.id, socket.getfqdn()) for partner in partners}
        done = set(Mail.search([('message_id', 'in', list(ids.values()))])
                   .mapped('message_id'))
        created = 0
        for partner in partners:
            if ids[partner.id] not in done:
                Mail.create(dict(
                    values, recipient_ids=[(4, partner.id)],
                    body_html=body + self._login_reminder(
                        logins[partner.id], url),
                    message_id=ids[partner.id]))
                created += 1
        return _('%(created)d of %(count)d mails created.') % {
            'created': created, 'count': len(partner_ids)}

    @api.model
    def portal_send(self, session, subject, text, folder_document_ids=(),
                    uploads=()):
        """The documentation sent by a tutor from the portal (manual 004,
        12): ``text`` the message as typed, ``folder_document_ids`` chosen
        among the folders' documents, ``uploads`` (file name, content)
        pairs; checked and sent as from the back office, nothing kept when
        it is refused."""
        self._check_sender(session)
        documents = self.portal_folder_documents().filtered(
            lambda doc: doc.id in folder_document_ids)
        self._check_uploads(uploads, sum(documents.mapped('file_size')))
        wizard = self.create({
            'session_id': session.id,
            'subject': (subject or '').strip() or
            self._default_texts(session)[0],
            'body': plaintext2html(text or ''),
            'folder_document_ids': [(6, 0, documents.ids)],
        })
        # markup is stored as plain text, whoever creates it
        Attachment = self.env['ir.attachment'].sudo().with_context(
            attachments_mime_plainxml=True)
        wizard.attachment_ids = [(6, 0, [Attachment.create({
            'name': name, 'datas_fname': name,
            'datas': base64.b64encode(content),
            'res_model': self._name, 'res_id': wizard.id}).id
            for name, content in uploads])]
        return wizard.action_send()

    @api.model
    def _check_uploads(self, uploads, size):
        """UserError unless every upload is a document or an image and all
        the attachments (``size`` bytes chosen in the folders besides) weigh
        at most 2 MB, before anything is stored."""
        for name, _content in uploads:
            extension = (name or '').rpartition('.')[2].lower()
            if extension not in UPLOAD_EXTENSIONS:
                raise UserError(_(
                    '"%(name)s" cannot be sent: only documents and images '
                    '(%(extensions)s).') % {
                        'name': name,
                        'extensions': ', '.join(UPLOAD_EXTENSIONS)})
        size += sum(len(content) for _name, content in uploads)
        if size > MAX_ATTACHMENT_SIZE:
            raise UserError(self._size_message(size))

    @api.model
    def _size_message(self, size):
        return _(
            'The attachments weigh %(megabytes).2f MB (%(size)d bytes) in '
            'total: at most 2 MB (%(max_size)d bytes) can be sent. Remove '
            'some documents.') % {
            'megabytes': size / 1024.0 / 1024.0, 'size': size,
            'max_size': MAX_ATTACHMENT_SIZE}

    @api.model
    def portal_folder_documents(self):
        """The documents of the folders the user reads (the tutors), by
        folder and name, as superuser for their contents."""
        folders = self.env[FOLDER_MODEL].search([])
        return folders.sudo().mapped('attachment_ids').filtered(
            lambda doc: doc.res_model == FOLDER_MODEL and doc.res_id
        ).sorted(lambda doc: (doc.res_id, (doc.name or '').lower()))

    @api.model
    def portal_default_text(self, session):
        """The message proposed to a tutor, as plain text to edit."""
        subject, body = self._default_texts(session)
        return subject, html2plaintext(body)

    @api.model
    def _portal_logins(self, partners):
        """{partner id: login}, after creating the portal users missing as
        the welcome sheet does (no password, no invitation mail)."""
        partners._ensure_trainee_portal_users()
        logins = {}
        # the users of all the trainees at once; the first one of each
        # partner, as on the welcome sheet
        for user in self.env['res.users'].sudo().search(
                [('partner_id', 'in', partners.ids)]):
            logins.setdefault(user.partner_id.id, user.login)
        return logins

    @api.model
    def _login_reminder(self, login, url):
        """The paragraph at the bottom of a trainee's mail: their login and
        the address of the trainees' site; never a password."""
        url, login = html_escape(url), html_escape(login)
        lines = [
            '<strong>%s</strong>' % html_escape(
                _("Your access to the trainees' site")),
            html_escape(_('Address: %s')) % (
                '<a href="%s">%s</a>' % (url, url)),
            html_escape(_('Login: %s')) % ('<strong>%s</strong>' % login),
            html_escape(_('If you have not chosen your password yet, use the '
                          'link of your welcome sheet or ask your tutor.')),
        ]
        return '<hr/><p>%s</p>' % '<br/>'.join(lines)

    @api.model
    def _recipient_list(self, title, recipients, missing):
        html = '<p>%s</p><ul>%s</ul>' % (html_escape(title), ''.join(
            '<li>%s &lt;%s&gt;</li>' % (html_escape(partner.name),
                                        html_escape(partner.email))
            for partner in recipients))
        if missing:
            html += '<p>%s</p>' % html_escape(_(
                'Not sent, no e-mail address: %s') % ', '.join(
                missing.mapped('name')))
        return html
