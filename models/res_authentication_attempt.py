# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class ResAuthenticationAttempt(models.Model):
    """The login attempts of OCA auth_brute_force are personal data (a
    login, the address it came from): only the administrators read them
    (the module's read access for every user is switched off in
    security/training_session_rules.xml). The ban is checked while a user
    logs in, as that user: it counts the attempts as superuser. Nothing is
    sent to a third-party geolocation service (the module looks every
    address up on ip-api.com, over plain HTTP, when the form is read)."""
    _inherit = 'res.authentication.attempt'

    remote_metadata = fields.Text(
        help='Not looked up: the addresses of login attempts are not sent '
             'to any third-party service.')

    @api.model
    def _trusted(self, remote, login):
        return super(ResAuthenticationAttempt, self.sudo())._trusted(
            remote, login)

    @api.multi
    @api.depends('remote')
    def _compute_metadata(self):
        for attempt in self:
            attempt.remote_metadata = _(
                'Not looked up: the addresses of login attempts are not '
                'sent to any third-party service.')
