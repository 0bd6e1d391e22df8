# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from ..models.res_partner import CONTACT_FIELDS
from ..models.training_registration import REGISTERED_STATES
from ..models.training_session_portal import DIRECTORY_ONLY_KEY
from ..wizards.training_documentation_wizard import MAX_ATTACHMENT_SIZE
from .portal import TrainingPortal

# the attendance sheets of a session: the whole one, or a cycle's
SHEETS = {
    'all': 'training_session.action_report_attendance_sheet',
    '1': 'training_session.action_report_attendance_sheet_cycle_1',
    '2': 'training_session.action_report_attendance_sheet_cycle_2',
}


class TrainingSessionPortal(TrainingPortal):
    """A session's page for its tutors and trainers (manual 004, 6, 8 and
    4): its registrant list and attendance sheets, its trainees (the full
    list and a form to complete their contact details for the tutors, the
    directory for the trainers), and the trainees' directory from their
    own registration."""

    def _staff_session(self, session_id):
        """(session as sudo, 'tutor' or 'trainer') if the user reads it and
        follows or teaches it; AccessError otherwise."""
        self._check_access('training.session', session_id)
        session = request.env['training.session'].browse(session_id)
        role = session.portal_staff_role()
        if not role:
            raise AccessError(_('You neither follow nor teach this '
                                'session.'))
        return session.sudo(), role

    def _tutor_session(self, session_id):
        """The session as sudo if the user is one of its tutors;
        AccessError otherwise."""
        self._check_access('training.session', session_id)
        request.env['training.session'].browse(
            session_id)._check_portal_tutor()
        return request.env['training.session'].sudo().browse(session_id)

    def _registrants_pdf(self, session, directory_only):
        pdf = self._report_pdf(
            'training_session.action_report_registrant_list', session,
            {DIRECTORY_ONLY_KEY: directory_only})
        return self._file_response(
            pdf, _('Registrants - %s.pdf') % session.code, 'application/pdf')

    @http.route('/my/training/session/<int:session_id>', type='http',
                auth='user', website=True)
    def portal_training_session(self, session_id, **kw):
        try:
            session, role = self._staff_session(session_id)
        except AccessError:
            return request.redirect('/my')
        values = self._prepare_portal_layout_values()
        tutor = role == 'tutor'
        values.update({
            'page_name': 'training_session',
            'session': session,
            'is_tutor': tutor,
            'cycles': sorted(set(session.sequence_ids.filtered(
                lambda seq: seq.status != 'cancelled' and not seq.is_prework
            ).mapped('cycle')) - {False}),
            'trainees': session.registrant_list().mapped('partner_id')
            if tutor else request.env['res.partner'],
            # the tutors see the full list instead
            'directory': request.env['res.partner'] if tutor else
            session.directory_registrations().mapped('partner_id'),
            'slots': session.slot_ids.sorted('date_start'),
            'folder_documents': request.env[
                'training.documentation.wizard'].portal_folder_documents()
            if tutor else request.env['ir.attachment'],
        })
        return request.render('training_session.portal_training_session',
                              values)

    @http.route('/my/training/session/<int:session_id>/registrants',
                type='http', auth='user', website=True)
    def portal_session_registrants(self, session_id, **kw):
        """The registrant list: in full for the tutors, the directory's
        trainees only for the trainers."""
        try:
            session, role = self._staff_session(session_id)
        except AccessError:
            return request.redirect('/my')
        return self._registrants_pdf(session, directory_only=role != 'tutor')

    @http.route('/my/training/session/<int:session_id>/attendance-sheet'
                '/<string:sheet>', type='http', auth='user', website=True)
    def portal_session_attendance_sheet(self, session_id, sheet, **kw):
        """The whole attendance sheet, or a cycle's (manual 004, 6)."""
        try:
            session, _role = self._staff_session(session_id)
        except AccessError:
            return request.redirect('/my')
        if sheet not in SHEETS:
            return request.redirect('/my/training/session/%d' % session.id)
        pdf = self._report_pdf(SHEETS[sheet], session)
        name = _('Attendance sheet - %s.pdf') % session.code if \
            sheet == 'all' else _('Attendance sheet cycle %(cycle)s - '
                                  '%(code)s.pdf') % {'cycle': sheet,
                                                     'code': session.code}
        return self._file_response(pdf, name, 'application/pdf')

    @http.route('/my/training/session/<int:session_id>/trainee'
                '/<int:partner_id>', type='http', auth='user', website=True,
                methods=['GET', 'POST'])
    def portal_session_trainee(self, session_id, partner_id, **post):
        """A tutor completes the e-mail and phone numbers of a trainee of
        the session (manual 004, 8)."""
        try:
            session, _role = self._staff_session(session_id)
            trainee = request.env['training.session'].browse(
                session.id).portal_tutor_trainees().filtered(
                lambda partner: partner.id == partner_id)
            if not trainee:
                raise AccessError(_('This trainee is not registered to '
                                    'this session.'))
        except AccessError:
            return request.redirect('/my')
        values = self._prepare_portal_layout_values()
        values.update({'page_name': 'training_session_trainee',
                       'session': session, 'trainee': trainee,
                       'error': False})
        form = {name: trainee[name] or '' for name in CONTACT_FIELDS}
        if request.httprequest.method == 'POST':
            form.update({name: post.get(name, '') for name in CONTACT_FIELDS})
            saved = self._save(
                values, lambda: request.env['res.partner'].browse(
                    trainee.id).tutor_update_contact(form),
                '/my/training/session/%d?saved=%d' % (session.id,
                                                      trainee.id),
                errors=(AccessError, UserError, ValidationError))
            if saved:
                return saved
        values['form'] = form
        return request.render(
            'training_session.portal_training_session_trainee', values)

    @http.route('/my/training/registration/<int:registration_id>'
                '/registrants', type='http', auth='user', website=True)
    def portal_registration_registrants(self, registration_id, **kw):
        """The registrant list of the trainee's session: the trainees of
        the directory only (manual 004, 4)."""
        try:
            registration = self._own_registration(registration_id)
        except AccessError:
            return request.redirect('/my')
        if registration.state not in REGISTERED_STATES:
            return request.redirect('/my/training')
        return self._registrants_pdf(registration.session_id,
                                     directory_only=True)

    # ---------------------------------------------------- documentation
    @http.route('/my/training/session/<int:session_id>/document'
                '/<int:attachment_id>', type='http', auth='user',
                website=True)
    def portal_session_folder_document(self, session_id, attachment_id,
                                       **kw):
        """A document of the folders put at the tutors' disposal."""
        try:
            session = self._tutor_session(session_id)
        except AccessError:
            return request.redirect('/my')
        document = request.env['training.documentation.wizard']\
            .portal_folder_documents().filtered(
                lambda doc: doc.id == attachment_id)
        if not document:
            return request.redirect('/my/training/session/%d' % session.id)
        return self._attachment_response(document)

    @http.route('/my/training/session/<int:session_id>/documentation',
                type='http', auth='user', website=True,
                methods=['GET', 'POST'])
    def portal_session_documentation(self, session_id, **post):
        """Envoi documentation (manual 004, 12): the trainees with an
        e-mail, documents from the folders and uploaded ones (2 MB in
        all), an editable message; each trainee's login at the bottom of
        their mail, a copy to the tutor."""
        try:
            session = self._tutor_session(session_id)
        except AccessError:
            return request.redirect('/my')
        Wizard = request.env['training.documentation.wizard']
        subject, text = Wizard.portal_default_text(session)
        values = self._prepare_portal_layout_values()
        values.update({'page_name': 'training_session_documentation',
                       'session': session, 'error': False})
        form = {'subject': subject, 'text': text, 'documents': []}
        if request.httprequest.method == 'POST':
            form.update({
                'subject': post.get('subject', ''),
                'text': post.get('text', ''),
                'documents': [int(value) for value in
                              request.httprequest.form.getlist('document_id')
                              if value.isdigit()],
            })
            # a file over the limit is refused whatever its length: read
            # no more than that
            uploads = [(upload.filename, upload.read(
                MAX_ATTACHMENT_SIZE + 1)) for upload in
                       request.httprequest.files.getlist('upload')
                       if upload.filename]
            user_session = request.env['training.session'].browse(
                session.id)
            saved = self._save(
                values, lambda: Wizard.portal_send(
                    user_session, form['subject'], form['text'],
                    folder_document_ids=form['documents'],
                    uploads=uploads),
                '/my/training/session/%d?sent=1' % session.id)
            if saved:
                return saved
        recipients, missing = Wizard.new(
            {'session_id': session.id})._trainees()
        values.update({
            'form': form,
            'recipients': recipients,
            'missing': missing,
            'documents': Wizard.portal_folder_documents(),
        })
        return request.render(
            'training_session.portal_training_session_documentation', values)
