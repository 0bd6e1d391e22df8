# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


# the total of each unit of the volumes, as in the manual's TOTAL lines
UNIT_TOTAL_FIELDS = {
    'centre_hours': 'volume_total_centre_hours',
    'company_hours': 'volume_total_company_hours',
    'flat_fee': 'volume_total_flat_fee',
}


class TrainingActionComponent(models.Model):
    """A component ("composante") of a funded action: its dates bound the
    dates of its sessions; its volumes are totalled unit by unit, hours and
    flat fees never added together (manual 002)."""
    _name = 'training.action.component'
    _description = 'Funded action component'
    _order = 'action_id, number'

    action_id = fields.Many2one('training.action', string='Action',
                                required=True, index=True,
                                ondelete='cascade')
    number = fields.Char(required=True)
    code = fields.Char()
    name = fields.Char(string='Label', required=True)
    date_start = fields.Date(string='Start', required=True)
    date_end = fields.Date(string='End', required=True)
    city = fields.Char()
    zip = fields.Char(string='Postal code')
    course_id = fields.Many2one(
        'training.course', string='Catalogue course',
        help='Course of the sessions of this component validated through '
             'change requests, in the LHEO feed of the regional catalogue '
             '(CARIF). Empty: the catalogue course of the action.')
    action_course_id = fields.Many2one(
        related='action_id.course_id', readonly=True,
        string='Catalogue course of the action')
    volume_ids = fields.One2many('training.action.component.volume',
                                 'component_id', string='Volumes')
    volume_total_centre_hours = fields.Float(
        string='Total trainee hours in the centre (hc)',
        compute='_compute_volume_totals')
    volume_total_company_hours = fields.Float(
        string='Total trainee hours in a company (he)',
        compute='_compute_volume_totals')
    volume_total_flat_fee = fields.Float(
        string='Total flat fees (fp)', compute='_compute_volume_totals')
    session_ids = fields.One2many('training.session', 'component_id',
                                  string='Sessions')

    _sql_constraints = [
        ('number_unique', 'UNIQUE (action_id, number)',
         'The component number must be unique within its action.'),
    ]

    @api.depends('volume_ids.unit', 'volume_ids.volume_total')
    def _compute_volume_totals(self):
        for component in self:
            totals = dict.fromkeys(UNIT_TOTAL_FIELDS.values(), 0.0)
            # a line being entered may have no unit yet
            for volume in component.volume_ids.filtered('unit'):
                totals[UNIT_TOTAL_FIELDS[volume.unit]] += volume.volume_total
            component.update(totals)

    @api.constrains('date_start', 'date_end')
    def _check_dates(self):
        for component in self:
            if component.date_end < component.date_start:
                raise ValidationError(_(
                    'Component %s: the end must be after the start.'
                ) % component.display_name)
        self.mapped('session_ids')._check_component_dates()

    @api.multi
    def _catalogue_course(self):
        """The catalogue course of the component's validated sessions: its
        own, else its action's (possibly none)."""
        self.ensure_one()
        return self.course_id or self.action_id.course_id

    @api.multi
    def _give_course_to_sessions(self):
        """The sessions validated by the funder that have no course take
        the catalogue course, when it is set after their validation (the
        feed lists them without a course until then)."""
        for component in self:
            course = component._catalogue_course()
            sessions = component.session_ids.filtered(
                lambda session: session.is_validated and
                not session.course_id)
            if course and sessions:
                sessions.write({'course_id': course.id})

    @api.multi
    def write(self, vals):
        result = super(TrainingActionComponent, self).write(vals)
        if vals.get('course_id'):
            self._give_course_to_sessions()
        return result

    @api.multi
    def name_get(self):
        return [(comp.id, ' - '.join(
            part for part in (comp.number, comp.code, comp.name) if part))
            for comp in self]
