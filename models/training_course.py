# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

SESSION_TYPES = [
    ('intra', 'Intra-company'),
    ('inter', 'Inter-company'),
]
# LHEO dictionary of pathways ("parcours de formation").
LHEO_PATHWAYS = [
    ('1', 'In a group'),
    ('2', 'Individual'),
    ('3', 'Modular'),
    ('4', 'Mixed'),
]
FORMACODE_RE = re.compile(r'^\d{5}$')


class TrainingCourse(models.Model):
    """A catalogue item ("formation"): the defaults of its sessions."""
    _name = 'training.course'
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _description = 'Training course'
    _order = 'name'

    name = fields.Char(
        required=True,
        translate=True,
        track_visibility='onchange',
    )
    code = fields.Char(track_visibility='onchange')
    active = fields.Boolean(default=True, track_visibility='onchange')
    description = fields.Html(translate=True)
    objectives = fields.Text(translate=True)
    expected_results = fields.Text(
        string='Expected results',
        translate=True,
        help='What the trainee obtains (diploma, certificate of attendance, '
             'skills): "résultats attendus" of the regional catalogue.',
    )
    prerequisites = fields.Text(
        string='Prerequisites and specific conditions',
        translate=True,
    )
    formacode = fields.Char(
        string='Formacode',
        size=5,
        help='Main Formacode of the course (5 digits), the subject index of '
             'the regional catalogue.',
    )
    public_codes = fields.Char(
        string='Target audience codes',
        help='Formacode codes of the target audiences, 5 digits each, '
             'separated by commas (at least one for the regional catalogue, '
             'at most 10).',
    )
    lheo_pathway = fields.Selection(
        LHEO_PATHWAYS,
        string='Pathway',
        default='1',
        required=True,
    )
    user_id = fields.Many2one(
        'res.users',
        string='Responsible',
        default=lambda self: self.env.user,
        track_visibility='onchange',
    )
    company_id = fields.Many2one(
        'res.company',
        default=lambda self: self.env.user.company_id,
    )
    certification_id = fields.Many2one(
        'training.certification.scheme',
        string='Certification',
        track_visibility='onchange',
        help='The certification this course leads to.',
    )
    session_type = fields.Selection(
        SESSION_TYPES,
        string='Session type',
        default='intra',
        required=True,
        track_visibility='onchange',
    )
    organisation_id = fields.Many2one(
        'res.partner',
        string='Training organisation',
        track_visibility='onchange',
    )
    capacity_min = fields.Integer(string='Minimum capacity')
    capacity_target = fields.Integer(string='Target capacity')
    capacity_max = fields.Integer(string='Maximum capacity')
    scheme_id = fields.Many2one(
        'training.scheme',
        string='Scheme',
        track_visibility='onchange',
    )
    funding_eligible = fields.Boolean(string='Eligible for funding')
    comment = fields.Text(string='Comments')
    population_ids = fields.Many2many(
        'training.population',
        'training_course_population_rel',
        'course_id',
        'population_id',
        string='Populations',
        help='Default populations of the sessions of this course.',
    )
    survey_id = fields.Many2one(
        'survey.survey',
        string='Evaluation',
    )
    what_to_bring = fields.Text(
        string='What to bring',
        help='Default of its new sessions: printed on the convocation '
             '(e.g. "Votre pièce d\'identité, une tenue confortable").',
    )
    calendar_invitations = fields.Boolean(
        string='Calendar invitations',
        help='Default of its new sessions: one calendar invitation per '
             'sequence to each enrolled participant.')
    planning_lock = fields.Boolean(
        string='Lock the planning at the first registration',
        default=True,
        # manual 004 (5, NOTA): workshops added to the enrolled trainees
        help='Default of its new sessions: once a participant is '
             'registered, only Operational Managers and Administrators '
             'change the dates, sequences and slots. Untick it for '
             'follow-ups whose workshops are added as they go: the '
             'workshops added later are attached to every registered '
             'trainee.')
    mail_default_ids = fields.One2many(
        'training.mail.default',
        'course_id',
        string='Default e-mail settings',
        help='E-mail settings of its new sessions; the company\'s when '
             'empty.',
    )
    default_cost_ids = fields.One2many(
        'training.course.cost',
        'course_id',
        string='Default costs',
        help='Amounts proposed on the cost lines of its sessions.',
    )
    session_ids = fields.One2many(
        'training.session',
        'course_id',
        string='Sessions',
    )
    session_count = fields.Integer(compute='_compute_session_count')

    _sql_constraints = [
        ('capacity_positive',
         'CHECK (capacity_min >= 0 AND capacity_target >= 0 '
         'AND capacity_max >= 0)',
         'Capacities cannot be negative.'),
    ]

    @api.multi
    def _compute_session_count(self):
        data = self.env['training.session'].read_group(
            [('course_id', 'in', self.ids)], ['course_id'], ['course_id'])
        counts = {d['course_id'][0]: d['course_id_count'] for d in data}
        for course in self:
            course.session_count = counts.get(course.id, 0)

    @api.constrains('capacity_min', 'capacity_target', 'capacity_max')
    def _check_capacities(self):
        check_capacities(self)

    @api.constrains('formacode', 'public_codes')
    def _check_formacodes(self):
        for course in self:
            if course.formacode and not FORMACODE_RE.match(course.formacode):
                raise ValidationError(_(
                    '%s: the Formacode must have 5 digits.') % course.name)
            codes = course.public_code_list()
            if any(not FORMACODE_RE.match(code) for code in codes) or \
                    len(codes) > 10:
                raise ValidationError(_(
                    '%s: the target audience codes must be at most 10 codes '
                    'of 5 digits, separated by commas.') % course.name)

    @api.multi
    def public_code_list(self):
        self.ensure_one()
        return [code.strip() for code in (self.public_codes or '').split(',')
                if code.strip()]

    @api.multi
    def action_view_sessions(self):
        self.ensure_one()
        action = self.env.ref(
            'training_session.training_session_action').read()[0]
        action['domain'] = [('course_id', '=', self.id)]
        action['context'] = {'default_course_id': self.id}
        return action


def check_capacities(records):
    """min <= target <= max, where a capacity of 0 means "not set"."""
    for rec in records:
        mini, target, maxi = (
            rec.capacity_min, rec.capacity_target, rec.capacity_max)
        if (mini and target and mini > target) or \
                (target and maxi and target > maxi) or \
                (mini and maxi and mini > maxi):
            raise ValidationError(_(
                '%(course)s: the capacities must satisfy minimum <= target <= '
                'maximum (here %(minimum)s / %(target)s / %(maximum)s).'
            ) % {'course': rec.display_name, 'minimum': mini,
                 'target': target, 'maximum': maxi})
