# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
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
        self.session_id = self.source_session_id.duplicate_on_dates(
            self.year, self.date_start, self.date_end)
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
