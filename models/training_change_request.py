# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .private_context import CHANGE_REQUEST_KEY, by_workflow, with_private
from .training_info_session import format_time
from .training_session import PLANNING_MANAGER_GROUP

# Session fields a change request proposes, in the order of the summary.
SESSION_FIELDS = ['session_number', 'date_start', 'date_end', 'place_id',
                  'seats']
# set by the validation and the refusal only
DECISION_FIELDS = {'state', 'decided_by_id', 'decision_date'}
INFO_FIELDS = ['date', 'time_start', 'time_end', 'seats', 'public_comment',
               'street_number', 'street_number_ext', 'street_type',
               'street_name', 'building', 'special_mention', 'zip', 'city',
               'cedex']


class TrainingChangeRequest(models.Model):
    """A change request ("demande de modification de données") on the
    sessions of a funded component and their information sessions: the
    proposed values are applied, all at once, when an Operational Manager
    validates it (manual 002)."""
    _name = 'training.change.request'
    _inherit = ['mail.thread', 'mail.activity.mixin']
    _description = 'Change request'
    _order = 'id desc'

    name = fields.Char(string='Reference', readonly=True, copy=False,
                       default=lambda self: _('New'))
    request_type = fields.Selection(
        [('session', 'Sessions and information sessions')],
        string='Type of change', required=True, default='session')
    component_id = fields.Many2one(
        'training.action.component', string='Component', required=True,
        track_visibility='onchange')
    session_id = fields.Many2one(
        'training.session', string='Session',
        domain="[('component_id', '=', component_id)]",
        track_visibility='onchange',
        help='Leave empty to add a new session to the component.')
    state = fields.Selection(
        [('pending', 'Pending issue'), ('validated', 'Validated'),
         ('refused', 'Refused')],
        string='Status', default='pending', required=True, readonly=True,
        copy=False, track_visibility='onchange')
    refusal_reason = fields.Text(track_visibility='onchange')
    user_id = fields.Many2one('res.users', string='Requester',
                              default=lambda self: self.env.user,
                              readonly=True, copy=False)
    decided_by_id = fields.Many2one('res.users', string='Decided by',
                                    readonly=True, copy=False)
    decision_date = fields.Datetime(readonly=True, copy=False)
    # required by the funder's extranet (manual 002, marked *)
    session_number = fields.Char(string='Session number', required=True)
    date_start = fields.Date(string='Start date', required=True)
    date_end = fields.Date(string='End date', required=True)
    place_id = fields.Many2one('res.partner', string='Session place',
                               required=True)
    seats = fields.Integer(string='Seats', required=True,
                           help='Set to 0 to cancel the session.')
    info_ids = fields.One2many('training.change.request.info', 'request_id',
                               string='Information sessions')
    line_ids = fields.One2many(
        'training.change.request.line', 'request_id', string='Summary lines',
        readonly=True, copy=False,
        help='The summary as it read when the request was decided.')
    summary_html = fields.Html(string='Summary', compute='_compute_summary',
                               sanitize=False)

    _sql_constraints = [
        ('seats_positive', 'CHECK (seats >= 0)',
         'The number of seats cannot be negative.'),
    ]

    @api.depends('state', 'line_ids', 'session_id', 'session_number',
                 'date_start', 'date_end', 'place_id', 'seats', 'info_ids')
    def _compute_summary(self):
        for request in self:
            rows = ''.join(
                '<tr><td>%s</td><td>%s</td><td>%s</td></tr>' % tuple(
                    _escape(cell) for cell in line)
                for line in request._shown_summary_lines())
            request.summary_html = (
                '<table class="table table-condensed"><thead><tr>'
                '<th>%s</th><th>%s</th><th>%s</th></tr></thead>'
                '<tbody>%s</tbody></table>' % (
                    _('Field'), _('Value before'), _('Value after'), rows))

    @api.constrains('component_id', 'date_start', 'date_end')
    def _check_dates(self):
        """The session runs within its component's dates (manual 002),
        checked on every save and again at the validation (the component
        may have changed since)."""
        for request in self.filtered(lambda req: req.date_start and
                                     req.date_end):
            start = fields.Date.from_string(request.date_start)
            end = fields.Date.from_string(request.date_end)
            if end < start:
                raise ValidationError(_('The end date of the session cannot '
                                        'be before its start date.'))
            component = request.component_id
            if start < fields.Date.from_string(component.date_start) or \
                    end > fields.Date.from_string(component.date_end):
                raise ValidationError(_(
                    'The start and end dates of a session must be within '
                    'the dates of its component (%(component)s: %(start)s '
                    'to %(end)s).'
                ) % {'component': component.display_name,
                     'start': display_value(component, 'date_start',
                                            component.date_start),
                     'end': display_value(component, 'date_end',
                                          component.date_end)})

    @api.constrains('session_id', 'seats')
    def _check_seats(self):
        """0 seats cancel a session: a new session has seats."""
        if self.filtered(lambda req: not req.session_id and req.seats <= 0):
            raise ValidationError(_(
                'A new session needs its number of seats: 0 seats only '
                'cancel an existing session.'))

    @api.onchange('session_id')
    def _onchange_session_id(self):
        session = self.session_id
        if not session:
            return
        self.update(self._session_values(session))
        self.info_ids = [(5, 0, 0)] + [
            (0, 0, dict(info._info_values(), info_session_id=info.id))
            for info in session.info_session_ids]

    @api.onchange('seats')
    def _onchange_seats(self):
        """0 seats cancel the session (manual 002): say so."""
        if self.session_id.seats and self.seats == 0:
            return {'warning': {
                'title': _('Cancelling the session'),
                'message': _('With 0 seats, the session is cancelled when '
                             'the request is validated.')}}

    @api.model
    def _session_values(self, session):
        """The current values of ``session`` in the request's fields."""
        bounds = session._planning_bounds() if session else None
        return {
            'session_number': session.session_number,
            'date_start': fields.Date.to_string(bounds[0]) if bounds
            else False,
            'date_end': fields.Date.to_string(bounds[1]) if bounds
            else False,
            'place_id': session.place_id.id,
            'seats': session.seats,
        }

    @api.multi
    def _summary_lines(self):
        """[(label, value before, value after)] of what the request
        changes; values as the user reads them."""
        self.ensure_one()
        prefix = '%s / %s' % (
            self.component_id.display_name,
            _('Session n° %s') % (self.session_id.session_number or '-'))
        before = self._session_values(self.session_id) \
            if self.session_id else {}
        lines = diff_lines(self, prefix, SESSION_FIELDS, before)
        for info in self.info_ids:
            lines += info._summary_lines(prefix)
        return lines

    @api.multi
    def _shown_summary_lines(self):
        """The summary a decided request recorded; the live comparison of
        a pending one."""
        self.ensure_one()
        if self.state == 'pending':
            return self._summary_lines()
        return [(line.name, line.value_before or '', line.value_after or '')
                for line in self.line_ids]

    @api.multi
    def _record_summary(self):
        """Keep the summary as it reads now, before the decision applies
        the request (after it, the session reads as the request)."""
        Line = with_private(self.env['training.change.request.line'],
                            CHANGE_REQUEST_KEY)
        for request in self:
            for sequence, (label, before, after) in enumerate(
                    request._summary_lines()):
                Line.create({'request_id': request.id, 'sequence': sequence,
                             'name': label, 'value_before': before,
                             'value_after': after})

    @api.model
    def create(self, vals):
        self._check_decision_fields(vals)
        self._check_seats_given(dict(self.default_get(['seats']), **vals))
        if vals.get('name', _('New')) == _('New'):
            vals['name'] = self.env['ir.sequence'].next_by_code(
                'training.change.request') or _('New')
        return super(TrainingChangeRequest, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_decision_fields(vals)
        if 'seats' in vals:
            self._check_seats_given(vals)
        if 'user_id' in vals:
            raise UserError(_('The requester of a change request does not '
                              'change.'))
        if self.filtered(lambda req: req.state != 'pending') and \
                set(vals) - DECISION_FIELDS - {'refusal_reason',
                                               'message_follower_ids'}:
            raise UserError(_('Only pending change requests can be edited.'))
        return super(TrainingChangeRequest, self).write(vals)

    @api.model
    def _check_decision_fields(self, vals):
        """The status and the decision are written by action_validate and
        action_refuse only, never from a client's values."""
        if DECISION_FIELDS.intersection(vals) and \
                not by_workflow(self):
            raise UserError(_('A change request is validated or refused with '
                              'its buttons only.'))

    @api.model
    def _check_seats_given(self, vals):
        """Nb. de places is required (manual 002, marked *): a number, 0
        included (0 cancels the session); nothing or False is none."""
        seats = vals.get('seats')
        if seats is None or seats is False:
            raise ValidationError(_(
                'Give the number of seats of the session: it is required '
                '(0 cancels an existing session).'))

    @api.multi
    def unlink(self):
        if self.filtered(lambda req: req.state == 'validated'):
            raise UserError(_('A validated change request can never be '
                              'deleted.'))
        if self.filtered(lambda req: req.state != 'pending'):
            raise UserError(_('Only pending change requests can be '
                              'deleted.'))
        if not self.env.user.has_group(PLANNING_MANAGER_GROUP) and \
                self.filtered(lambda req: req.user_id != self.env.user):
            raise UserError(_('Only its requester can delete a pending '
                              'change request.'))
        return super(TrainingChangeRequest, self).unlink()

    @api.multi
    def _check_decision_rights(self):
        if not self.env.user.has_group(PLANNING_MANAGER_GROUP):
            raise UserError(_('Only an Operational Manager can validate or '
                              'refuse a change request.'))
        if self.filtered(lambda req: req.state != 'pending'):
            raise UserError(_('Only pending change requests can be '
                              'validated or refused.'))

    @api.multi
    def action_validate(self):
        """Apply every proposed value at once: any error leaves the data as
        it was (the whole call is one transaction)."""
        self._check_decision_rights()
        requests = with_private(self, CHANGE_REQUEST_KEY)
        for request in requests:
            request._check_dates()
            request._record_summary()
            request._apply()
        return requests._decide('validated')

    @api.multi
    def action_refuse(self):
        self._check_decision_rights()
        if self.filtered(lambda req: not (req.refusal_reason or '').strip()):
            raise UserError(_('Give the reason of the refusal first.'))
        requests = with_private(self, CHANGE_REQUEST_KEY)
        requests._record_summary()
        return requests._decide('refused')

    @api.multi
    def _decide(self, state):
        return self.write({'state': state,
                           'decided_by_id': self.env.uid,
                           'decision_date': fields.Datetime.now()})

    @api.multi
    def _apply(self):
        self.ensure_one()
        if not (self.date_start and self.date_end):
            raise UserError(_('The session needs a start and an end date.'))
        Session = self.env['training.session']
        session = self.session_id
        course = self.component_id._catalogue_course()
        values = {'session_number': self.session_number,
                  'place_id': self.place_id.id, 'seats': self.seats,
                  'is_validated': True}
        if not session:
            # from the catalogue course, as a session created from it
            session = Session.create(dict(
                values, component_id=self.component_id.id,
                course_id=course.id,
                name='%s - %s' % (self.component_id.name,
                                  self.session_number or ''),
                year=self.date_start[:4]))
            self.session_id = session
        else:
            if course and not session.course_id:
                # a course chosen on the session stays
                values['course_id'] = course.id
            session.write(values)
        session._set_period(self.date_start, self.date_end)
        if self.seats == 0 and session.state not in ('cancelled', 'done'):
            session.action_cancel()
        for info in self.info_ids:
            info._apply(session)
        self._publish(session)

    @api.model
    def _publish(self, session):
        """Manual 002: once validated, the session goes to the regional
        catalogue (CARIF) through the feed, so it is published; the feed
        lists what it still lacks. A cancelled or closed session is not."""
        if session.state not in ('cancelled', 'done') and \
                session.seats > 0 and \
                session.publication_state != 'published':
            session.action_publish()


def diff_lines(record, prefix, names, before):
    """[(label, before, after)] of the fields ``names`` of ``record`` whose
    value differs from ``before`` ({name: value, ids for relations})."""
    lines = []
    for name in names:
        after = record[name]
        if isinstance(after, models.BaseModel):
            after = after.id
        if _value_or_none(before.get(name)) != _value_or_none(after):
            label = record._fields[name].get_description(
                record.env)['string']
            lines.append(('%s / %s' % (prefix, label),
                          display_value(record, name, before.get(name)),
                          display_value(record, name, after)))
    return lines


def display_value(record, name, value):
    """``value`` of the field ``name`` of ``record`` as the user reads it."""
    field = record._fields[name]
    if _value_or_none(value) is None:
        return '-'
    if field.type == 'date':
        return fields.Date.from_string(value).strftime('%d/%m/%Y')
    if field.type == 'many2one':
        return record.env[field.comodel_name].browse(value).display_name
    if field.type == 'selection':
        return dict(field._description_selection(record.env)).get(
            value, value)
    if name in ('time_start', 'time_end'):
        return format_time(value)
    return '%s' % value


def _value_or_none(value):
    """``value``, None when it is empty (nothing, False or ''): a number
    is a value, 0 included (0 seats cancel a session)."""
    if value is None or value is False or value == '':
        return None
    return value


def _escape(value):
    return ('%s' % value).replace('&', '&amp;').replace(
        '<', '&lt;').replace('>', '&gt;')
