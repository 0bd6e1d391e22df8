# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .signature import keep_rows
from .training_attendance import ATTENDANCE_STATES


class TrainingAttendanceHistory(models.Model):
    """What happened to a signed attendance line: its signature, its
    countersignature and every correction, with its author and reason. A
    signature is never rewritten: a correction is a new line here
    (issue 17). Written by the attendance's own methods only."""
    _name = 'training.attendance.history'
    _description = 'Attendance history'
    _order = 'date desc, id desc'

    attendance_id = fields.Many2one(
        'training.attendance',
        string='Attendance',
        required=True,
        index=True,
        ondelete='restrict',
        readonly=True,
    )
    partner_id = fields.Many2one(
        related='attendance_id.partner_id',
        string='Trainee',
        readonly=True,
    )
    date = fields.Datetime(
        required=True,
        default=fields.Datetime.now,
        readonly=True,
    )
    user_id = fields.Many2one(
        'res.users',
        string='Author',
        required=True,
        readonly=True,
        ondelete='restrict',
    )
    event = fields.Selection(
        [('signed', 'Signed'),
         ('countersigned', 'Countersigned by the trainer'),
         ('correction', 'Correction')],
        required=True,
        readonly=True,
    )
    state_before = fields.Selection(
        ATTENDANCE_STATES,
        string='Before',
        readonly=True,
    )
    state_after = fields.Selection(
        ATTENDANCE_STATES,
        string='After',
        readonly=True,
    )
    reason = fields.Text(readonly=True)

    @api.model_cr
    def init(self):
        keep_rows(self.env.cr, self._table)
