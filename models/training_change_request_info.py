# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

from .training_change_request import INFO_FIELDS, diff_lines


class TrainingChangeRequestInfo(models.Model):
    """An information session as a change request proposes it: a change of
    an existing one, or a new one."""
    _name = 'training.change.request.info'
    _inherit = 'training.info.session.mixin'
    _description = 'Proposed information session'
    _order = 'date, time_start, id'

    request_id = fields.Many2one('training.change.request', required=True,
                                 index=True, ondelete='cascade')
    info_session_id = fields.Many2one(
        'training.info.session', string='Information session',
        help='The information session changed; empty for a new one.')

    @api.multi
    def _summary_lines(self, prefix):
        self.ensure_one()
        old = self.info_session_id
        before = {name: old[name] for name in INFO_FIELDS} if old else {}
        return diff_lines(self, '%s / %s' % (prefix, _(
            'Information session')), INFO_FIELDS, before)

    @api.multi
    def _apply(self, session):
        self.ensure_one()
        values = {name: self[name] for name in INFO_FIELDS}
        values['is_validated'] = True
        if self.info_session_id:
            self.info_session_id.write(values)
        else:
            self.info_session_id = self.env['training.info.session'].create(
                dict(values, session_id=session.id))
