# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from odoo import fields, models

MAIL_KINDS = [
    ('registration', 'Registration confirmation'),
    ('convocation', 'Convocation'),
    ('trainer_file', 'Trainer file'),
    ('organisation', 'Training organisation notice'),
    ('reminder', 'Reminder'),
    ('survey_hot', 'Hot survey'),
    ('survey_cold', 'Cold survey'),
]
TRIGGERS = [
    ('registration', 'On registration'),
    ('session_start', 'Session start'),
    ('session_end', 'Session end'),
    ('sequence_start', 'Start of each sequence'),
    ('sequence_end', 'End of each sequence'),
]
SEQUENCE_TRIGGERS = ('sequence_start', 'sequence_end')
# what a setting copies from a default
SETTING_FIELDS = ['kind', 'enabled', 'template_id', 'trigger', 'delay',
                  'delay_unit', 'direction']


class TrainingMailSettingMixin(models.AbstractModel):
    """When and how a session mail is sent: kind, template, trigger and
    delay. Shared by the defaults (company, course) and the sessions' e-mail
    settings (manual 001)."""
    _name = 'training.mail.setting.mixin'
    _description = 'E-mail setting'
    _order = 'sequence, id'

    sequence = fields.Integer(default=10)
    kind = fields.Selection(MAIL_KINDS, required=True)
    enabled = fields.Boolean(default=True)
    template_id = fields.Many2one(
        'mail.template', string='Template',
        domain=[('model', 'in', ('training.registration',
                                 'training.session'))])
    trigger = fields.Selection(TRIGGERS, required=True,
                               default='session_start')
    delay = fields.Integer(default=0)
    delay_unit = fields.Selection(
        [('hours', 'Hours'), ('days', 'Days')], default='days',
        required=True)
    direction = fields.Selection(
        [('before', 'Before'), ('after', 'After')], default='before',
        string='Before or after', required=True)

    def _delay_delta(self):
        """The signed delay as a timedelta."""
        return delay_delta(self.delay, self.delay_unit, self.direction)


def delay_delta(delay, unit, direction):
    """A signed delay (``delay`` hours or days before or after) as a
    timedelta."""
    delta = datetime.timedelta(**{unit: delay or 0})
    return -delta if direction == 'before' else delta
