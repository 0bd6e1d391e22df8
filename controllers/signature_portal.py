# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from .portal import TrainingPortal


class TrainingSignaturePortal(TrainingPortal):
    """Attendance signed on the phone (issue 17): the trainee's signing
    page, reached from their registration or the QR code the trainer
    shows; the trainer's countersignature on the slot's page."""

    @http.route('/my/training/attendance/<int:attendance_id>/sign',
                type='http', auth='user', website=True,
                methods=['GET', 'POST'])
    def portal_attendance_sign(self, attendance_id, **post):
        try:
            line = self._own('training.attendance', attendance_id)
        except AccessError:
            return request.redirect('/my')
        values = self._prepare_portal_layout_values()
        values.update({'page_name': 'training_attendance_sign',
                       'error': False, 'attendance': line})
        if request.httprequest.method == 'POST':
            saved = self._save(
                values, lambda: request.env['training.attendance'].browse(
                    line.id).sign(post.get('signature', '')),
                '/my/training/registration/%d?signed=%d' % (
                    line.registration_id.id, line.id),
                errors=(AccessError, UserError))
            if saved:
                return saved
        start, end = line.slot_id._signing_window()
        values.update({
            'can_sign': not line.signed_on and line.slot_id.signing_open(),
            'window_start': line.slot_id._local_time(start),
            'window_end': line.slot_id._local_time(end),
        })
        return request.render('training_session.portal_attendance_sign',
                              values)

    @http.route('/my/training/sign/<int:slot_id>/<string:token>',
                type='http', auth='user', website=True)
    def portal_slot_sign_link(self, slot_id, token, **kw):
        """The QR code's link: the caller's line of that slot, while the
        link is valid."""
        slot = request.env['training.slot'].sudo().browse(slot_id).exists()
        if not slot or not slot.check_signing_token(token):
            return request.redirect('/my')
        line = request.env['training.attendance'].search([
            ('slot_id', '=', slot.id),
            ('partner_id', '=', request.env.user.partner_id.id)], limit=1)
        if not line:
            return request.redirect('/my')
        return request.redirect('/my/training/attendance/%d/sign' % line.id)

    @http.route('/my/training/registration/<int:registration_id>'
                '/completion', type='http', auth='user', website=True)
    def portal_certificate_of_completion(self, registration_id, **kw):
        """The trainee's certificate of completion (certificat de
        réalisation), from the hours they signed, once the session is
        done."""
        return self._done_registration_report(
            registration_id,
            'training_session.action_report_certificate_of_completion',
            _('Certificate of completion - %s.pdf'))
