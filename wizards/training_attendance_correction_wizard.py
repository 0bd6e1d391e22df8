# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..models.training_attendance import ATTENDANCE_STATES


class TrainingAttendanceCorrectionWizard(models.TransientModel):
    """A signed attendance seen and corrected (issue 17): the signature and
    its evidence as given, the history, and a correction with its reason,
    added to the history; the signature stays."""
    _name = 'training.attendance.correction.wizard'
    _description = 'Correct a signed attendance'

    attendance_id = fields.Many2one(
        'training.attendance',
        string='Attendance',
        required=True,
        readonly=True,
        ondelete='cascade',
    )
    partner_id = fields.Many2one(related='attendance_id.partner_id',
                                 readonly=True)
    slot_id = fields.Many2one(related='attendance_id.slot_id',
                              readonly=True)
    signature = fields.Binary(related='attendance_id.signature',
                              readonly=True)
    signed_on = fields.Datetime(related='attendance_id.signed_on',
                                readonly=True)
    signed_ip = fields.Char(related='attendance_id.signed_ip', readonly=True)
    signed_user_agent = fields.Char(related='attendance_id.signed_user_agent',
                                    readonly=True)
    history_ids = fields.One2many(related='attendance_id.history_ids',
                                  readonly=True)
    state = fields.Selection(ATTENDANCE_STATES, string='Attendance',
                             required=True)
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super(TrainingAttendanceCorrectionWizard, self).default_get(
            fields_list)
        attendance = self.env['training.attendance'].browse(
            values.get('attendance_id') or
            self.env.context.get('active_id'))
        if attendance:
            values['attendance_id'] = attendance.id
            values.setdefault('state', attendance.state)
        return values

    @api.model
    def create(self, vals):
        # a transient model has no access rights in Odoo 11, and its
        # many2one's names are read as superuser: training users who read
        # the attendance only
        wizard = super(TrainingAttendanceCorrectionWizard, self).create(vals)
        wizard.attendance_id._check_corrector()
        wizard.attendance_id.check_access_rule('read')
        return wizard

    @api.multi
    def action_correct(self):
        self.ensure_one()
        self.attendance_id.correct(self.state, self.reason)
        return {'type': 'ir.actions.act_window_close'}
