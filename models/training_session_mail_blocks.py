# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .training_timezone_mixin import DEFAULT_TZ


class TrainingSession(models.Model):
    """The blocks the training mail templates share (issue 18): the
    planning and the organisation's signature, each one QWeb template
    (data/mail_block_templates.xml) instead of a copy per mail template.
    The templates call them as ``${object.session_id.mail_planning()|safe}``
    and ``${object.session_id.mail_signature()|safe}``."""
    _inherit = 'training.session'

    @api.multi
    def mail_planning(self, sequence=None, trainer=False):
        """The planning as an HTML table (text): every sequence of the
        session, or ``sequence`` only, each slot's local hours in the
        session's zone (pre-work named as such, planned sequences by their
        days); with ``trainer``, the slots' notes for the trainer."""
        self.ensure_one()
        # the zone of the mails: the session's responsible's, else Paris
        zone = self.user_id.tz or DEFAULT_TZ
        local = self.with_context(tz=zone)
        return self._mail_block('training_session.mail_planning_block', {
            'session': self, 'sequences': sequence or self.sequence_ids,
            'zone': zone, 'trainer': trainer,
            'local_day': lambda value: local._local(value).strftime(
                '%d/%m/%Y'),
        })

    @api.multi
    def mail_signature(self):
        """The organisation's signature (HTML text): logo, name, address,
        contact, SIRET and activity declaration number."""
        self.ensure_one()
        company = self.company_id or self.env.user.company_id
        return self._mail_block('training_session.mail_signature_block', {
            'company': company,
            'address': ' '.join(filter(None, [
                company.street, company.street2, company.zip,
                company.city])),
            'base_url': self.env['ir.config_parameter'].sudo().get_param(
                'web.base.url', '').rstrip('/'),
        })

    @api.model
    def _mail_block(self, template, values):
        html = self.env['ir.qweb'].render(template, values)
        return html.decode() if isinstance(html, bytes) else html
