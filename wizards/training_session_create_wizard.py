# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class TrainingSessionCreateWizard(models.TransientModel):
    """The "Create a session" button of the sessions list (manual 001):
    create a new session, or duplicate an existing one on new dates."""
    _name = 'training.session.create.wizard'
    _description = 'Create a training session'

    mode = fields.Selection(
        [('create', 'Create: a new session'),
         ('duplicate', 'Duplicate: an existing session on new dates'),
         ('import', 'Import: partner sessions from a file')],
        required=True,
        default='create',
    )
    step = fields.Selection(
        [('choose', 'Choose'), ('session', 'Session'),
         ('dates', 'Dates'), ('done', 'Done')],
        default='choose',
        required=True,
    )
    source_session_id = fields.Many2one(
        'training.session',
        string='Session to duplicate',
    )
    year = fields.Char(size=4)
    date_start = fields.Date(string='Start date')
    date_end = fields.Date(string='End date')
    session_id = fields.Many2one(
        'training.session',
        string='New session',
        readonly=True,
    )

    @api.onchange('source_session_id')
    def _onchange_source_session_id(self):
        if self.source_session_id and not self.year:
            self.year = self.source_session_id.year

    @api.multi
    def _reopen(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'res_model': self._name,
            'res_id': self.id,
            'view_mode': 'form',
            'target': 'new',
            'name': _('Create a session'),
        }

    @api.multi
    def action_continue(self):
        self.ensure_one()
        if self.mode == 'create':
            action = self.env.ref(
                'training_session.training_session_action').read()[0]
            action.update({'view_mode': 'form', 'views': [(False, 'form')],
                           'target': 'current'})
            return action
        if self.mode == 'import':
            return self.env.ref(
                'training_session.training_session_import_action'
            ).read()[0]
        self.step = 'session'
        return self._reopen()

    @api.multi
    def action_next(self):
        self.ensure_one()
        if not self.source_session_id:
            raise UserError(_('Choose the session to duplicate.'))
        if not self.year:
            self.year = self.source_session_id.year
        self.step = 'dates'
        return self._reopen()

    @api.multi
    def action_duplicate(self):
        self.ensure_one()
        if not (self.year and self.date_start and self.date_end):
            raise UserError(_(
                'Fill in the year, the start date and the end date.'))
        self.session_id = self._duplicate_session(
            self.source_session_id, self.year, self.date_start, self.date_end)
        self.step = 'done'
        return self._reopen()

    @api.multi
    def action_open_session(self):
        self.ensure_one()
        return {
            'type': 'ir.actions.act_window',
            'res_model': 'training.session',
            'res_id': self.session_id.id,
            'view_mode': 'form',
            'target': 'current',
        }

    @api.model
    def _duplicate_session(self, session, year, date_start, date_end):
        """Copy of ``session`` for ``year``, its sequences shifted so that
        the first one starts on ``date_start`` (a date) at the same local
        hour, keeping their offsets (manual 001). The copy is a draft in
        state created, with a new code; slots, participants, costs,
        fundings and history are not copied."""
        session.ensure_one()
        start = fields.Date.from_string(date_start)
        end = fields.Date.from_string(date_end)
        if end < start:
            raise UserError(_('The end date must be on or after the start '
                              'date.'))
        sequences = session.sequence_ids.filtered('date_start')
        first = min(sequences.mapped('date_start')) if sequences else False
        shift = start - session._local(first).date() if first else \
            datetime.timedelta(0)
        new = session.copy({'year': year})
        for sequence in session.sequence_ids:
            values = {'session_id': new.id}
            for name in ('date_start', 'date_end'):
                if sequence[name]:
                    values['planned_' + name] = session._shifted(
                        sequence[name], shift)
            sequence.copy(values)
        if not first and len(new.sequence_ids) <= 1:
            # nothing dated to shift: the new dates are the session's
            new._set_period(date_start, date_end)
        if new.date_end and session._local(new.date_end).date() > end:
            raise UserError(_(
                'The copied sequences end on %(sequences_end)s, after the end '
                'date %(date_end)s: choose a later end date.'
            ) % {'sequences_end': session._local(new.date_end).strftime(
                '%d/%m/%Y'), 'date_end': end.strftime('%d/%m/%Y')})
        return new
