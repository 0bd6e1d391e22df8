# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .mail_thread import is_training_model


class MailMessage(models.Model):
    """Searches as the reads of mail_thread.check_mail_message_access: a
    portal user finds the messages of training records only when they are
    addressed to them or written by them."""
    _inherit = 'mail.message'

    @api.model
    def _find_allowed_model_wise(self, doc_model, doc_dict):
        if self.env.user.share and is_training_model(doc_model):
            return set()
        return super(MailMessage, self)._find_allowed_model_wise(
            doc_model, doc_dict)
