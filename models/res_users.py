# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError

from .training_registration import TRAINEE_GROUP, TRAINING_USER_GROUP

# what Odoo lets users write on their own user, that the trainees' own
# page checks (names make the name, the e-mail's format)
PERSONAL_FIELDS = {'name', 'email'}


class ResUsers(models.Model):
    _inherit = 'res.users'

    certification_entity_id = fields.Many2one(
        'res.partner',
        string='Certification entity',
        domain=[('is_company', '=', True)],
        help='The entity (an organisation) whose certification sessions '
             'this user declares (Delegate) or manages (Manager).',
    )

    @api.multi
    def write(self, vals):
        self._check_trainee_self_write(vals)
        result = super(ResUsers, self).write(vals)
        if 'certification_entity_id' in vals:
            # record rules read the entity and are cached per user
            self.env['ir.rule'].clear_caches()
        return result

    @api.multi
    def _check_trainee_self_write(self, vals):
        """Trainees change their names and e-mail on their portal page,
        with the back office's checks, not by writing their own user
        (which Odoo allows for these fields)."""
        user = self.env.user
        if self.env.uid != SUPERUSER_ID and self.ids == [self.env.uid] and \
                PERSONAL_FIELDS.intersection(vals) and \
                user.has_group(TRAINEE_GROUP) and \
                not user.has_group(TRAINING_USER_GROUP):
            raise UserError(_('Change your names and e-mail address on your '
                              'page "My personal data", where they are '
                              'checked.'))
