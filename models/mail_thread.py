# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.exceptions import AccessError


def is_training_model(model_name):
    """Whether ``model_name`` is one of the addon's records."""
    return (model_name or '').startswith('training.')


class MailThread(models.AbstractModel):
    """The messages of the training records (convocations, registration
    mails, their notes) are the back office's: a portal user reads those
    addressed to them or written by them only, never through the record
    (a trainer or a tutor reads the registrations of their sessions, not
    the trainees' mails)."""
    _inherit = 'mail.thread'

    @api.model
    def check_mail_message_access(self, res_ids, operation,
                                  model_name=None):
        if operation == 'read' and self.env.user.share and \
                is_training_model(model_name or self._name):
            raise AccessError(_('The messages of training records are '
                                'for the back office.'))
        return super(MailThread, self).check_mail_message_access(
            res_ids, operation, model_name=model_name)
