# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import logging

from odoo import api, fields, models

from .mail_batch import queue_mail, render_batch

_logger = logging.getLogger(__name__)


# what makes the sequence's event change for the trainee
SLOT_EVENT_FIELDS = {'date_start', 'date_end', 'place_id', 'sequence_id'}
SEQUENCE_EVENT_FIELDS = {'date_start', 'date_end', 'planned_date_start',
                         'planned_date_end', 'name', 'url', 'session_id'}
# context key of "do not send a calendar update"
NO_UPDATE_KEY = 'training_no_calendar_update'
# context key of the changes collected during one save
PENDING_KEY = 'training_calendar_changes'


class CalendarChanges(object):
    """The sequences whose calendar changed during one save of a session
    or sequence form (several slots edited at once): their trainees get one
    update, not one per slot. Hashable by identity, as a context value must
    be."""

    def __init__(self):
        self.session_ids = set()
        self.updated_ids = set()

    def add(self, sessions, updated):
        self.session_ids.update(sessions.ids)
        self.updated_ids.update(updated.ids)

    def flush(self, env):
        env = env(context=dict(env.context, **{PENDING_KEY: None,
                                               NO_UPDATE_KEY: False}))
        sessions = env['training.session'].browse(self.session_ids).exists()
        env['training.sequence'].browse(self.updated_ids).exists() \
            ._notify_calendar(sessions)


class TrainingCalendarInvitation(models.Model):
    """The calendar invitation of one trainee to one sequence (manual 001:
    as many invitations as sequences): its UID stays, its revision goes up
    with each update, and it ends with a cancellation."""
    _name = 'training.calendar.invitation'
    _description = 'Calendar invitation to a sequence'
    _order = 'registration_id, sequence_id'

    registration_id = fields.Many2one(
        'training.registration', string='Registration', required=True,
        ondelete='cascade', index=True)
    sequence_id = fields.Many2one(
        'training.sequence', string='Sequence', required=True,
        ondelete='cascade', index=True)
    session_id = fields.Many2one(related='registration_id.session_id',
                                 store=True, readonly=True, index=True)
    partner_id = fields.Many2one(related='registration_id.partner_id',
                                 readonly=True)
    revision = fields.Integer(
        readonly=True,
        help='SEQUENCE of the event: raised by each update, so that the '
             'calendars replace the previous version.')
    state = fields.Selection(
        [('sent', 'Sent'), ('cancelled', 'Cancelled')], required=True,
        default='sent', readonly=True)
    sent_date = fields.Datetime(string='Last sent on', readonly=True)
    pending_method = fields.Selection(
        [('REQUEST', 'Invitation'), ('CANCEL', 'Cancellation')],
        string='To send again', readonly=True,
        help='The mail of the last change failed: the scheduled action '
             'tries again.')
    error = fields.Text(readonly=True)

    _sql_constraints = [
        ('registration_sequence_unique',
         'UNIQUE (registration_id, sequence_id)',
         'A trainee has one invitation per sequence.'),
    ]

    # ------------------------------------------------------------ syncing
    @api.model
    def _sync(self, registrations):
        """Bring the invitations of ``registrations`` in line: one per live
        sequence (pre-work included) for each enrolled trainee who has an
        e-mail, sent once the session is published and sends calendar
        invitations; a cancellation for those that stand no longer (even
        when the session has stopped sending invitations since)."""
        # sent on behalf of whoever registers, trainees included
        self = self.sudo()
        registrations = registrations.sudo()
        existing = {(inv.registration_id, inv.sequence_id): inv
                    for inv in self.search([
                        ('registration_id', 'in', registrations.ids)])}
        if not existing and not registrations.mapped(
                'session_id').filtered('calendar_invitations'):
            return self.browse()
        invite = []
        reinvite = cancel = self.browse()
        live = registrations.mapped('session_id')._live_sequences()
        for reg in registrations:
            session = reg.session_id
            sending = session.calendar_invitations and \
                session.publication_state == 'published'
            sequences = live.get(session.id, []) if reg._is_invitable() \
                else []
            for sequence in sequences:
                inv = existing.pop((reg, sequence), None)
                if not sending:
                    continue
                if not inv:
                    invite.append((reg, sequence))
                elif inv.state == 'cancelled':
                    reinvite |= inv
        for inv in existing.values():
            if inv.state == 'sent':
                cancel |= inv
        created = self.browse()
        for reg, sequence in invite:
            created |= self.create({'registration_id': reg.id,
                                    'sequence_id': sequence.id})
        created._send('REQUEST', raise_revision=False)
        reinvite._send('REQUEST')
        cancel._send('CANCEL')
        return created | reinvite | cancel

    @api.multi
    def _send_update(self):
        """A new version of these invitations (dates, place or the
        convocation): same UID, revision raised, new DTSTAMP."""
        if self.env.context.get(NO_UPDATE_KEY):
            return self.browse()
        invitations = self.filtered(lambda inv: inv.state == 'sent')
        invitations._send('REQUEST')
        return invitations

    @api.multi
    def _send_cancel(self):
        invitations = self.filtered(lambda inv: inv.state == 'sent')
        invitations._send('CANCEL')
        return invitations

    @api.multi
    def _send(self, method, raise_revision=True):
        """Mail the iTIP file of each invitation to its trainee (a REQUEST
        invites or updates, a CANCEL cancels), in the session's time zone
        for the text and UTC for the event times."""
        if not self:
            return
        invitations = self.sudo()
        invitations.write({
            'state': 'cancelled' if method == 'CANCEL' else 'sent',
            'sent_date': fields.Datetime.now()})
        if raise_revision:
            self.env.cr.execute(
                'UPDATE training_calendar_invitation '
                'SET revision = COALESCE(revision, 0) + 1 WHERE id IN %s',
                (tuple(invitations.ids),))
            invitations.invalidate_cache(['revision'])
        invitations._deliver(method)

    @api.multi
    def _deliver(self, method):
        """Queue the mails of these invitations' current revision: the
        template rendered once for all, each mail queued in a savepoint.
        When one fails, its invitation keeps the method to send and the
        error, and the scheduled action tries again."""
        template = self.env.ref(
            'training_session.mail_template_calendar_cancellation'
            if method == 'CANCEL' else
            'training_session.mail_template_calendar_invitation')
        rendered = render_batch(
            self, template,
            lambda inv, error: inv._delivery_failed(method, error))
        delivered = self.browse()
        for inv in self.filtered(lambda inv: inv.id in rendered):
            try:
                with self.env.cr.savepoint():
                    ics = inv.registration_id.ics_invitation(
                        inv.sequence_id, method=method,
                        revision=inv.revision)
                    queue_mail(self.env, rendered[inv.id], {
                        'recipient_ids': [(4, inv.partner_id.id)],
                        'attachment_ids': inv._ics_attachment(
                            ics, method).ids,
                    })
            except Exception as error:  # logged, tried again by the cron
                _logger.exception('Calendar invitation %s failed', inv.id)
                inv._delivery_failed(method, error)
            else:
                delivered |= inv
        delivered.filtered('pending_method').write(
            {'pending_method': False, 'error': False})
        return delivered

    @api.multi
    def _delivery_failed(self, method, error):
        self.write({'pending_method': method, 'error': str(error)})

    @api.model
    def _cron_retry(self, batch_size=200):
        """The invitations whose mail failed, each tried once per run,
        batch by batch."""
        tried = []
        while True:
            invitations = self.sudo().search(
                [('pending_method', '!=', False), ('id', 'not in', tried)],
                limit=batch_size)
            if not invitations:
                return
            tried += invitations.ids
            for method in set(invitations.mapped('pending_method')):
                invitations.filtered(
                    lambda inv: inv.pending_method == method)._deliver(method)
            self.env['training.session.mail.schedule']._commit()

    @api.multi
    def _ics_attachment(self, ics, method):
        """The .ics of the mail. Its type carries the iTIP method (RFC 6047)
        into the mail part, which is what makes Outlook treat the file as a
        meeting request or cancellation rather than an event to import."""
        self.ensure_one()
        return self.env['ir.attachment'].create({
            'name': 'invitation.ics', 'datas_fname': 'invitation.ics',
            'datas': base64.b64encode(ics),
            'mimetype': 'text/calendar; method=%s; charset=UTF-8' % method,
            'res_model': self._name, 'res_id': self.id,
        })
