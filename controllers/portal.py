# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from psycopg2 import IntegrityError
from werkzeug.urls import url_encode

from odoo import _, fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.res_partner import PORTAL_FIELDS
from ..models.training_registration import (REGISTERED_STATES,
                                            TRAINEE_GROUP, TUTOR_GROUP)

# what a trainer records per trainee of a slot
ATTENDANCE_CHOICES = ('todo', 'present', 'absent', 'excused')


class TrainingPortal(CustomerPortal):
    """The trainees' and trainers' pages under /my (issue 7, manual 004):
    each record is checked against the caller (record rules) before it is
    shown, and shown with sudo only then."""

    def _prepare_portal_layout_values(self):
        if not request.env.context.get('tz'):
            request.context = dict(request.context, tz=self._portal_tz())
        values = super(TrainingPortal, self)._prepare_portal_layout_values()
        values.update({
            'training_is_trainee': request.env.user.has_group(TRAINEE_GROUP),
            'training_registration_count': self._search_readable(
                'training.registration', self._registration_domain(),
                count=True),
            'training_slot_count': self._search_readable(
                'training.slot', self._staff_slot_domain(tutoring=False),
                count=True),
            'training_tutoring_count': self._search_readable(
                'training.slot', self._staff_slot_domain(tutoring=True),
                count=True),
            'training_certification_count': self._search_readable(
                'training.certification.session',
                self._certification_domain(), count=True),
        })
        return values

    @staticmethod
    def _search_readable(model, domain, count=False, **kwargs):
        """The records of ``model`` in ``domain`` (or their number) for
        the user; none when ``domain`` is None or the user may not read
        ``model`` at all (a search would raise an AccessError)."""
        Model = request.env[model]
        if domain is None or not Model.check_access_rights(
                'read', raise_exception=False):
            return 0 if count else Model
        if count:
            return Model.search_count(domain)
        return Model.search(domain, **kwargs)

    @staticmethod
    def _certification_domain():
        return [('trainer_id', '=', request.env.user.partner_id.id)]

    @staticmethod
    def _portal_tz():
        """The caller's time zone; the trainees' accounts often have none:
        then the local hours of the sessions, as in the back office and the
        mails."""
        return request.env.user.tz or 'Europe/Paris'

    def _report_pdf(self, xmlid, records, context=None):
        """The PDF of report ``xmlid`` for ``records``, printed as superuser
        (portal users read no report) in the caller's time zone, with the
        ``context`` keys given."""
        return request.env.ref(xmlid).sudo().with_context(
            tz=self._portal_tz(), **(context or {})).render_qweb_pdf(
            records.ids)[0]

    def _staff_slot_domain(self, tutoring):
        """The slots the user teaches, or those of the sessions they tutor
        (None for users who are no tutor)."""
        return self._tutoring_domain() if tutoring \
            else self._teaching_domain()

    @staticmethod
    def _tutoring_domain():
        """The slots of the sessions the user tutors; None for users who
        are no tutor."""
        user = request.env.user
        if not user.has_group(TUTOR_GROUP):
            return None
        return [('sequence_id.session_id.tutor_ids', 'in',
                 user.partner_id.ids)]

    # ------------------------------------------------------------ access
    @staticmethod
    def _check_access(model, record_id):
        """``record_id`` of ``model`` if the caller may read it (record
        rules), as sudo for the display; AccessError otherwise."""
        record = request.env[model].browse(record_id)
        if not record.exists():
            raise AccessError(_('This record does not exist.'))
        record.check_access_rights('read')
        record.check_access_rule('read')
        return record.sudo()

    def _own(self, model, record_id):
        """The caller's own ``record_id`` of ``model`` (a registration, an
        attendance line: trainers, tutors and back-office users may read
        others', not here), as sudo; AccessError otherwise."""
        record = self._check_access(model, record_id)
        if record.partner_id != request.env.user.partner_id:
            raise AccessError(_('This is not yours.'))
        return record

    def _own_registration(self, registration_id):
        return self._own('training.registration', registration_id)

    def _done_registration_report(self, registration_id, xmlid, filename):
        """Report ``xmlid`` of the caller's own registration, once its
        session is done, downloaded as ``filename`` (% the session's
        code)."""
        try:
            registration = self._own_registration(registration_id)
        except AccessError:
            return request.redirect('/my')
        if registration.state != 'done':
            return request.redirect('/my/training')
        return self._file_response(
            self._report_pdf(xmlid, registration),
            filename % registration.session_id.code, 'application/pdf')

    @staticmethod
    def _save(values, action, url,
              errors=(AccessError, UserError, ValidationError)):
        """Run ``action`` in a savepoint: the redirect to ``url`` when it
        passes; None, with its message in ``values['error']``, when it is
        refused (nothing it wrote is kept)."""
        try:
            with request.env.cr.savepoint():
                action()
        except errors as error:
            values['error'] = error.name
            return None
        return request.redirect(url)

    @staticmethod
    def _file_response(content, filename, mimetype):
        """A download: never shown inline, never sniffed."""
        return request.make_response(content, headers=[
            ('Content-Type', mimetype or 'application/octet-stream'),
            ('Content-Disposition', content_disposition(filename)),
            ('X-Content-Type-Options', 'nosniff')])

    def _pdf_response(self, data, filename):
        """The download of a PDF stored in base64 (``data``)."""
        return self._file_response(base64.b64decode(data or b''), filename,
                                   'application/pdf')

    def _attachment_response(self, attachment):
        return self._file_response(
            base64.b64decode(attachment.datas or b''),
            attachment.datas_fname or attachment.name, attachment.mimetype)

    @staticmethod
    def _registration_domain():
        return [('partner_id', '=', request.env.user.partner_id.id),
                ('state', '!=', 'cancelled')]

    @staticmethod
    def _teaching_domain():
        partner = request.env.user.partner_id
        return ['|', '|', ('trainer_ids', 'in', partner.ids),
                ('cotrainer_id', '=', partner.id),
                ('sequence_id.session_id.trainer_ids', 'in', partner.ids)]

    # ---------------------------------------------------------- trainees
    @http.route('/my/training', type='http', auth='user', website=True)
    def portal_my_training(self, **kw):
        values = self._prepare_portal_layout_values()
        registrations = request.env['training.registration'].search(
            self._registration_domain(), order='session_date_start desc')
        values.update({
            'page_name': 'training',
            'registrations': registrations.sudo(),
            'certificates': request.env[
                'training.certificate'].portal_my_certificates(),
        })
        return request.render('training_session.portal_my_training', values)

    @http.route('/my/training/registration/<int:registration_id>',
                type='http', auth='user', website=True)
    def portal_my_registration(self, registration_id, **kw):
        try:
            registration = self._own_registration(registration_id)
        except AccessError:
            return request.redirect('/my')
        values = self._prepare_portal_layout_values()
        values.update({
            'page_name': 'training_registration',
            'registration': registration,
            'sequences': registration.session_id.sequence_ids.filtered(
                lambda seq: seq.status != 'cancelled'),
            'attendances': registration.attendance_ids.sorted('date_start'),
            'is_registered': registration.state in REGISTERED_STATES,
        })
        return request.render('training_session.portal_my_registration',
                              values)

    @http.route('/my/training/registration/<int:registration_id>'
                '/sequence/<int:sequence_id>.ics',
                type='http', auth='user', website=True)
    def portal_sequence_ics(self, registration_id, sequence_id, **kw):
        """One sequence of the trainee's planning as an .ics file."""
        try:
            registration = self._own_registration(registration_id)
        except AccessError:
            return request.redirect('/my')
        sequence = registration.session_id.sequence_ids.filtered(
            lambda seq: seq.id == sequence_id and seq.date_start and
            seq.status != 'cancelled')
        if not sequence or registration.state not in REGISTERED_STATES:
            return request.redirect('/my/training')
        return self._file_response(
            registration.ics_sequence_file(sequence),
            '%s-%d.ics' % (registration.session_id.code, sequence.id),
            'text/calendar; charset=utf-8')

    @http.route('/my/training/registration/<int:registration_id>'
                '/document/<int:attachment_id>',
                type='http', auth='user', website=True)
    def portal_registration_document(self, registration_id, attachment_id,
                                     **kw):
        """A document of the trainee's registration (the convocation)."""
        try:
            registration = self._own_registration(registration_id)
        except AccessError:
            return request.redirect('/my')
        document = registration.document_ids.filtered(
            lambda doc: doc.id == attachment_id)
        if not document:
            return request.redirect('/my/training')
        return self._attachment_response(document)

    @http.route('/my/training/registration/<int:registration_id>'
                '/certificate', type='http', auth='user', website=True)
    def portal_attendance_certificate(self, registration_id, **kw):
        """The certificate of attendance, once the session is done."""
        return self._done_registration_report(
            registration_id,
            'training_session.action_report_attendance_certificate', '%s.pdf')

    @http.route('/my/training/certificate/<int:certificate_id>',
                type='http', auth='user', website=True)
    def portal_my_certificate(self, certificate_id, **kw):
        """A certification certificate of the caller, while downloadable."""
        certificate = request.env['training.certificate']\
            .portal_my_certificates().filtered(
                lambda cert: cert.id == certificate_id)
        if not certificate:
            return request.redirect('/my')
        return self._pdf_response(
            certificate.pdf_file,
            certificate.pdf_filename or '%s.pdf' % certificate.name)

    @http.route('/my/training/catalogue', type='http', auth='user',
                website=True, methods=['GET', 'POST'])
    def portal_training_catalogue(self, **post):
        """The published sessions the user may see (populations), with a
        registration request per session; the back office confirms."""
        values = self._prepare_portal_layout_values()
        values.update({'page_name': 'training_catalogue', 'error': False,
                       'requested': bool(post.get('requested'))})
        if request.httprequest.method == 'POST' and \
                post.get('session_id', '').isdigit():
            session = request.env['training.session'].browse(
                int(post['session_id']))
            try:
                saved = self._save(values, session.portal_request_registration,
                                   '/my/training/catalogue?requested=1')
            except IntegrityError:  # the same request twice at once
                saved = None
                values['error'] = _('You already asked to attend this '
                                    'session.')
            if saved:
                return saved
        sessions = request.env['training.session'].portal_catalogue()
        asked = request.env['training.registration'].sudo().search([
            ('session_id', 'in', sessions.ids),
            ('partner_id', '=', request.env.user.partner_id.id)]).mapped(
            'session_id')
        values.update({'sessions': sessions, 'asked': asked})
        return request.render('training_session.portal_training_catalogue',
                              values)

    # ---------------------------------------------------- certification
    @http.route('/my/training/certifications', type='http', auth='user',
                website=True)
    def portal_my_certifications(self, **kw):
        """The certification sessions the trainer is the trainer of."""
        values = self._prepare_portal_layout_values()
        sessions = self._search_readable('training.certification.session',
                                         self._certification_domain())
        values.update({'page_name': 'training_certifications',
                       'sessions': sessions.sudo()})
        return request.render(
            'training_session.portal_my_certifications', values)

    @http.route('/my/training/certification/<int:session_id>', type='http',
                auth='user', website=True, methods=['GET', 'POST'])
    def portal_certification(self, session_id, **post):
        """Step 2 of a certification session, for its trainer: the
        candidates' results, then send them or return the session with a
        comment."""
        try:
            session = self._check_access('training.certification.session',
                                         session_id)
        except AccessError:
            return request.redirect('/my')
        values = self._prepare_portal_layout_values()
        values.update({'page_name': 'training_certification',
                       'error': False, 'saved': bool(post.get('saved'))})
        if request.httprequest.method == 'POST':
            results = {cand.id: post.get('result_%d' % cand.id, '')
                       for cand in session.candidate_ids}
            saved = self._save(values, lambda: request.env[
                'training.certification.session'].browse(
                session.id).portal_trainer_step(
                results, action=post.get('action'),
                comment=post.get('return_comment')),
                '/my/training/certification/%d?saved=1' % session.id)
            if saved:
                return saved
        values.update({
            'session': session,
            'can_act': session.state == 'trainer_validation' and
            session.trainer_id == request.env.user.partner_id,
        })
        return request.render('training_session.portal_certification',
                              values)

    @http.route(['/my/account'], type='http', auth='user', website=True)
    def account(self, redirect=None, **post):
        """Trainees change their details on /my/training/profile, with the
        trainees' checks (Odoo's form would save any name and reject a
        phone number with a server error)."""
        if request.env.user.has_group(TRAINEE_GROUP):
            return request.redirect('/my/training/profile')
        return super(TrainingPortal, self).account(redirect=redirect, **post)

    @http.route('/my/training/profile', type='http', auth='user',
                website=True, methods=['GET', 'POST'])
    def portal_training_profile(self, **post):
        """The trainee's own personal data, saved at once (manual 004),
        with the back office's checks; an error keeps what was typed."""
        # env.user is a superuser record in Odoo 11: the partner as the user
        partner = request.env['res.partner'].browse(
            request.env.user.partner_id.id)
        values = self._prepare_portal_layout_values()
        values.update({'page_name': 'training_profile', 'error': False,
                       'saved': bool(post.get('saved'))})
        form = {name: partner[name] or '' for name in PORTAL_FIELDS}
        if request.httprequest.method == 'POST':
            form.update({name: post.get(name, '') for name in PORTAL_FIELDS})
            saved = self._save(
                values, lambda: partner.portal_update_personal_data(form),
                '/my/training/profile?saved=1',
                errors=(UserError, ValidationError))
            if saved:
                return saved
        values['form'] = form
        return request.render('training_session.portal_training_profile',
                              values)

    # ---------------------------------------------------------- trainers
    @http.route(['/my/training/teaching', '/my/training/tutoring'],
                type='http', auth='user', website=True)
    def portal_my_teaching(self, **kw):
        """The slots the trainer teaches, or those of the sessions the
        tutor follows, upcoming first."""
        values = self._prepare_portal_layout_values()
        now = fields.Datetime.now()
        Slot = request.env['training.slot']
        tutoring = request.httprequest.path.endswith('/tutoring')
        domain = self._staff_slot_domain(tutoring)
        if domain is None or not Slot.check_access_rights(
                'read', raise_exception=False):
            return request.redirect('/my')
        values.update({
            'page_name': 'training_teaching',
            'tutoring': tutoring,
            'upcoming': Slot.search(domain + [('date_end', '>=', now)],
                                    order='date_start').sudo(),
            'past': Slot.search(domain + [('date_end', '<', now)],
                                order='date_start desc', limit=50).sudo(),
        })
        return request.render('training_session.portal_my_teaching', values)

    @http.route('/my/training/slot/<int:slot_id>', type='http',
                auth='user', website=True, methods=['GET', 'POST'])
    def portal_slot(self, slot_id, **post):
        """A slot taught by the trainer: its trainees, the trainer file,
        and the attendance to record (present, absent, excused and a
        comment for the trainee)."""
        try:
            # trainees read the slots of their sessions, not the others'
            # attendance
            as_user = self._slot_for_staff(slot_id)
        except AccessError:
            return request.redirect('/my')
        slot = as_user.sudo()
        values = self._prepare_portal_layout_values()
        values.update({'page_name': 'training_slot', 'error': False,
                       'saved': bool(post.get('saved'))})
        if request.httprequest.method == 'POST' and post.get('countersign'):
            saved = self._save(
                values, lambda: as_user.countersign(post.get('signature')),
                '/my/training/slot/%d?countersigned=1' % slot.id)
            if saved:
                return saved
        elif request.httprequest.method == 'POST':
            lines = {}
            for attendance in slot.attendance_ids:
                state = post.get('state_%d' % attendance.id)
                if state in ATTENDANCE_CHOICES:
                    lines[attendance.id] = (
                        state, post.get('comment_%d' % attendance.id, ''))
            saved = self._save(
                values, lambda: as_user.portal_save_attendance(
                    lines, validate=bool(post.get('validate'))),
                '/my/training/slot/%d?saved=1' % slot.id)
            if saved:
                return saved
        values.update({
            'slot': slot,
            'attendances': slot.attendance_ids.sorted(
                lambda att: att.partner_id.name or ''),
            'can_record': as_user.portal_can_record(),
            'can_validate': as_user.portal_can_validate(),
            'documents': as_user.portal_trainer_documents(),
        })
        values.update(self._slot_signing_values(slot, values['can_record']))
        return request.render('training_session.portal_training_slot',
                              values)

    @staticmethod
    def _slot_signing_values(slot, can_record):
        """What the slot's page shows of the signatures (issue 17): the
        QR code of the signing link while the window is open, for the
        trainers."""
        start, end = slot._signing_window()
        link = False
        if can_record and slot.signing_open():
            base = request.env['ir.config_parameter'].sudo().get_param(
                'web.base.url', '').rstrip('/')
            link = '%s/my/training/sign/%d/%s' % (base, slot.id,
                                                  slot.signing_token())
        return {
            'signing_link': link,
            'signing_qr': link and '/report/barcode/?%s' % url_encode({
                'type': 'QR', 'value': link, 'width': 280, 'height': 280}),
            'can_countersign': can_record and not slot.trainer_signed_on and
            start <= fields.Datetime.now(),
            'window_start': slot._local_time(start),
            'window_end': slot._local_time(end),
        }

    def _slot_for_staff(self, slot_id):
        """The slot ``slot_id`` as the user, if they teach it or tutor its
        session; AccessError otherwise."""
        self._check_access('training.slot', slot_id)
        slot = request.env['training.slot'].browse(slot_id)
        slot._check_portal_staff()
        return slot

    @http.route('/my/training/slot/<int:slot_id>/document/<int:attachment_id>',
                type='http', auth='user', website=True)
    def portal_slot_document(self, slot_id, attachment_id, **kw):
        """A document of the trainer file of the slot's session."""
        try:
            documents = self._slot_for_staff(
                slot_id).portal_trainer_documents()
        except AccessError:
            return request.redirect('/my')
        document = documents.filtered(lambda doc: doc.id == attachment_id)
        if not document:
            return request.redirect('/my/training/slot/%d' % slot_id)
        return self._attachment_response(document)

    @http.route('/my/training/slot/<int:slot_id>/attendance-sheet',
                type='http', auth='user', website=True)
    def portal_slot_attendance_sheet(self, slot_id, **kw):
        """The session's attendance sheet, for the trainees to sign
        (manual 004, 10)."""
        try:
            slot = self._slot_for_staff(slot_id)
        except AccessError:
            return request.redirect('/my')
        session = slot.sudo().session_id
        pdf = self._report_pdf(
            'training_session.action_report_attendance_sheet', session)
        return self._file_response(
            pdf, _('Attendance sheet - %s.pdf') % session.code,
            'application/pdf')

    @http.route('/my/training/trainee/<int:partner_id>/welcome-sheet',
                type='http', auth='user', website=True)
    def portal_welcome_sheet(self, partner_id, **kw):
        """A trainee's welcome sheet, for the tutors of their sessions
        (manual 004, 7): their login and, if they never logged in, a link
        to choose their password."""
        partner = request.env['res.partner'].browse(partner_id).exists()
        try:
            if not partner:
                raise AccessError(_('This record does not exist.'))
            partner._prepare_welcome_sheets()
        except (AccessError, UserError):
            return request.redirect('/my')
        pdf = self._report_pdf('training_session.action_report_welcome_sheet',
                               partner)
        return self._file_response(
            pdf, _('Welcome sheet - %s.pdf') % partner.sudo().name,
            'application/pdf')
