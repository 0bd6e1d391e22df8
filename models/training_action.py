# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


# LHEO dictionary of funders ("code financeur"), the codes of the schema.
LHEO_FUNDERS = [
    ('2', 'Regional council'),
    ('8', 'Departmental council'),
    ('9', 'Municipality'),
    ('15', 'Other local authority'),
    ('11', 'State - Ministry of Employment'),
    ('12', 'State - Ministry of Education'),
    ('13', 'State - Other'),
    ('4', 'France Travail (Pôle emploi)'),
    ('3', 'European funds - ESF'),
    ('14', 'European funds - Other'),
    ('7', 'AGEFIPH'),
    ('16', 'Skills operator (OPCO)'),
    ('17', 'OPACIF'),
    ('5', 'Company'),
    ('10', 'Trainee'),
    ('0', 'Other'),
]


class TrainingAction(models.Model):
    """A funded training action ("action de formation") of a regional
    funder's purchase order, made of components (manual 002)."""
    _name = 'training.action'
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _description = 'Funded training action'
    _order = 'date_start desc, number'

    name = fields.Char(string='Title', required=True,
                       track_visibility='onchange')
    number = fields.Char(string='Action number', required=True, index=True,
                         track_visibility='onchange')
    contract_number = fields.Char(string='Contract / agreement number',
                                  track_visibility='onchange')
    holder_id = fields.Many2one('res.partner', string='Holder / agent',
                                track_visibility='onchange')
    status = fields.Selection(
        [('draft', 'Draft'), ('running', 'Running'),
         ('closed', 'Closed'), ('cancelled', 'Cancelled')],
        default='running', required=True, track_visibility='onchange')
    scheme_ids = fields.Many2many(
        'training.scheme', 'training_action_scheme_rel', 'action_id',
        'scheme_id', string='Schemes')
    consultation = fields.Char(string='Consultation / call for projects')
    programme = fields.Char()
    funder_code = fields.Selection(
        LHEO_FUNDERS,
        string='Funder type',
        default='2',
        help='Type of funder declared to the regional catalogue.',
    )
    course_id = fields.Many2one(
        'training.course', string='Catalogue course',
        track_visibility='onchange',
        help='Course of the sessions the funder validates through change '
             'requests: they are published with it in the LHEO feed of the '
             'regional catalogue (CARIF), which takes its title, '
             'objectives, content and target audiences. A component may '
             'have its own. Validated sessions without a course get it when '
             'it is set.')
    year = fields.Char(size=4)
    date_start = fields.Date(string='Planned start')
    date_end = fields.Date(string='Planned end')
    component_ids = fields.One2many('training.action.component', 'action_id',
                                    string='Components')
    company_id = fields.Many2one(
        'res.company', default=lambda self: self.env.user.company_id)

    _sql_constraints = [
        ('number_unique', 'UNIQUE (number)',
         'The action number must be unique.'),
    ]

    @api.constrains('date_start', 'date_end')
    def _check_dates(self):
        for action in self:
            if action.date_start and action.date_end and \
                    action.date_end < action.date_start:
                raise ValidationError(_(
                    'Action %s: the planned end must be after the planned '
                    'start.') % action.number)

    @api.multi
    def write(self, vals):
        result = super(TrainingAction, self).write(vals)
        if vals.get('course_id'):
            # the validated sessions without a course take it
            self.mapped('component_ids')._give_course_to_sessions()
        return result

    @api.multi
    def name_get(self):
        return [(action.id, '%s - %s' % (action.number, action.name))
                for action in self]
