# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from psycopg2.extras import execute_values

from odoo import _, api, fields, models

from odoo.addons.queue_job.job import job

from .background import MAIL_CHANNEL, delay_batches, dispatch, lock_rows
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
        string='To send', readonly=True,
        help='The mail of the last change is still to be sent: by its '
             'background job, or, when it failed, by the scheduled action.')
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
        if not registrations:
            return self.browse()
        existing = self._existing(registrations)
        sessions = registrations.mapped('session_id')
        if not existing and not sessions.filtered('calendar_invitations'):
            return self.browse()
        sending = {session.id for session in sessions
                   if session.calendar_invitations and
                   session.publication_state == 'published'}
        live = {session_id: [sequence.id for sequence in sequences]
                for session_id, sequences
                in sessions._live_sequences().items()}
        invite, reinvite, cancel = [], [], []
        for reg_id, session_id in registrations._invitable():
            for sequence_id in live.get(session_id, []):
                inv = existing.pop((reg_id, sequence_id), None)
                if session_id not in sending:
                    continue
                if not inv:
                    invite.append((reg_id, sequence_id))
                elif inv[1] == 'cancelled':
                    reinvite.append(inv[0])
        cancel = [inv_id for inv_id, state in existing.values()
                  if state == 'sent']
        created = self._insert(invite)
        created._send('REQUEST', raise_revision=False)
        self.browse(reinvite)._send('REQUEST')
        self.browse(cancel)._send('CANCEL')
        return created | self.browse(reinvite + cancel)

    @api.model
    def _existing(self, registrations):
        """{(registration id, sequence id): (invitation id, state)} of the
        invitations of ``registrations``, in one query."""
        self.env.cr.execute(
            'SELECT registration_id, sequence_id, id, state '
            'FROM training_calendar_invitation WHERE registration_id IN %s',
            (tuple(registrations.ids),))
        return {(reg_id, sequence_id): (inv_id, state)
                for reg_id, sequence_id, inv_id, state
                in self.env.cr.fetchall()}

    @api.model
    def _insert(self, pairs):
        """New invitations of (registration id, sequence id) ``pairs``, in
        one statement."""
        if not pairs:
            return self.browse()
        now = fields.Datetime.now()
        rows = execute_values(self.env.cr, """
            INSERT INTO training_calendar_invitation (registration_id,
                   sequence_id, session_id, revision, state, create_uid,
                   create_date, write_uid, write_date)
            SELECT v.reg, v.seq, reg.session_id, 0, 'sent', v.uid,
                   v.now::timestamp, v.uid, v.now::timestamp
              FROM (VALUES %s) AS v (reg, seq, uid, now)
              JOIN training_registration reg ON reg.id = v.reg
            RETURNING id""", [(reg_id, sequence_id, self.env.uid, now)
                              for reg_id, sequence_id in pairs], fetch=True)
        return self.browse([row[0] for row in rows])

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
    def _send_cancel(self, immediate=False):
        """Cancel these invitations; ``immediate`` when they are about to
        be deleted (their sequence or registration is): the mails are then
        queued at once, as their jobs would find nothing."""
        invitations = self.filtered(lambda inv: inv.state == 'sent')
        invitations._send('CANCEL', immediate=immediate)
        return invitations

    @api.multi
    def _send(self, method, raise_revision=True, immediate=False):
        """A new revision of each invitation (a REQUEST invites or
        updates, a CANCEL cancels), to mail to its trainee: recorded at
        once, mailed by background jobs (see _job_deliver), or at once when
        ``immediate``."""
        if not self:
            return
        invitations = self.sudo()
        self.env.cr.execute(
            'UPDATE training_calendar_invitation SET state = %s, '
            'pending_method = %s, error = NULL, '
            'revision = COALESCE(revision, 0) + %s, '
            "write_uid = %s, write_date = now() at time zone 'UTC' "
            'WHERE id IN %s', (
                'cancelled' if method == 'CANCEL' else 'sent', method,
                1 if raise_revision else 0, self.env.uid,
                tuple(invitations.ids)))
        invitations.invalidate_cache(
            ['state', 'pending_method', 'error', 'revision'])
        if immediate:
            invitations._deliver(method)
        else:
            delay_batches(invitations, '_job_deliver',
                          _('Calendar invitations to send'))

    @job(default_channel=MAIL_CHANNEL)
    @api.multi
    def _job_deliver(self):
        """The background job of a batch of invitations: mails the
        revision of each that is still to be sent (none when run again)."""
        invitations = lock_rows(self.sudo().exists(),
                                'pending_method IS NOT NULL')
        delivered = self.browse()
        for method in ('REQUEST', 'CANCEL'):
            delivered |= invitations.filtered(
                lambda inv: inv.pending_method == method)._deliver(method)
        return _('%(sent)d of %(count)d invitations mailed.') % {
            'sent': len(delivered), 'count': len(self)}

    @api.multi
    def _deliver(self, method):
        """Queue the mails of these invitations' current revision: the
        template rendered once for all, each mail queued in a savepoint
        with its iTIP file (built again when the mail is sent, see
        mail.mail), replacing the mails of an earlier revision not sent
        yet. When one fails, its invitation keeps the method to send and
        the error, and the scheduled action tries again."""
        self.env['mail.mail'].sudo().search([
            ('training_invitation_id', 'in', self.ids),
            ('state', '=', 'outgoing')]).unlink()
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
                    queue_mail(self.env, rendered[inv.id], {
                        'recipient_ids': [(4, inv.partner_id.id)],
                        'training_invitation_id': inv.id,
                        'training_calendar_method': method,
                        'training_calendar': inv._ics(method).decode(),
                    })
            except Exception as error:  # logged, tried again by the cron
                _logger.exception('Calendar invitation %s failed', inv.id)
                inv._delivery_failed(method, error)
            else:
                delivered |= inv
        if delivered:
            self.env.cr.execute(
                'UPDATE training_calendar_invitation SET pending_method = '
                "NULL, error = NULL, sent_date = now() at time zone 'UTC' "
                'WHERE id IN %s', (tuple(delivered.ids),))
            delivered.invalidate_cache(['pending_method', 'error',
                                        'sent_date'])
        return delivered

    @api.multi
    def _ics(self, method):
        """The iTIP file (bytes) of this invitation's current revision."""
        self.ensure_one()
        return self.registration_id.ics_invitation(
            self.sequence_id, method=method, revision=self.revision)

    @api.multi
    def _delivery_failed(self, method, error):
        self.write({'pending_method': method, 'error': str(error)})

    @api.model
    def _cron_retry(self, batch_size=200):
        """The invitations whose mail failed, each tried once per run by a
        background job per batch (see background.dispatch); those waiting
        for their first job are left to it."""
        dispatch(self.sudo().search([('pending_method', '!=', False),
                                     ('error', '!=', False)]),
                 '_job_deliver', _('Calendar invitations to send'),
                 batch_size)
