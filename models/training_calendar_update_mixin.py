# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .training_calendar_invitation import NO_UPDATE_KEY


class TrainingCalendarUpdateMixin(models.AbstractModel):
    """The "do not send a calendar update" box of the sequences and slots
    (manual 001): ticked before saving, the invitations stay as they are
    for that save only. The models add ``calendar_invitations``, related
    to their session's, to show the box only when it matters."""
    _name = 'training.calendar.update.mixin'
    _description = 'Calendar update switch'

    no_calendar_update = fields.Boolean(
        string='Do not send a calendar update',
        compute='_compute_no_calendar_update',
        inverse='_inverse_no_calendar_update',
        help='Tick before saving a change of place or dates that the '
             'participants need not hear about: their calendar invitations '
             'stay as they are.',
    )

    @api.multi
    def _compute_no_calendar_update(self):
        for record in self:
            record.no_calendar_update = False

    @api.multi
    def _inverse_no_calendar_update(self):
        """Only a switch for the save it comes with: see _with_switch."""

    @api.model
    def _with_switch(self, vals):
        """``self`` in the context the box asks for, the box taken out of
        ``vals``."""
        if vals.pop('no_calendar_update', False):
            return self.with_context(**{NO_UPDATE_KEY: True})
        return self
