# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

from .training_registration import REGISTERED_STATES

# sessions listed on the dashboard, the next ones first
UPCOMING_LISTED = 10


class TrainingDashboard(models.TransientModel):
    """Where training staff land (issue 18): what needs them, counted as
    the user (their record rules, populations included), each tile
    opening the records it counts. Nothing is stored: a record is made
    each time the dashboard opens, its counters computed when read."""
    _name = 'training.dashboard'
    _description = 'Training dashboard'

    upcoming_count = fields.Integer(
        string='Sessions to come', compute='_compute_counts')
    below_minimum_count = fields.Integer(
        string='Below their minimum', compute='_compute_counts',
        help='Sessions to come whose registered participants do not reach '
             'their minimum capacity.')
    upcoming_html = fields.Html(
        string='Next sessions', compute='_compute_counts', sanitize=False)
    late_mail_count = fields.Integer(
        string='Late e-mails', compute='_compute_counts',
        help='Sends of session e-mails due and not sent yet.')
    attendance_slot_count = fields.Integer(
        string='Attendance to validate', compute='_compute_counts',
        help='Past slots with attendance lines no tutor validated yet.')
    change_request_count = fields.Integer(
        string='Change requests waiting', compute='_compute_counts')
    certification_count = fields.Integer(
        string='Certification sessions to process',
        compute='_compute_counts',
        help='Certification sessions waiting for their trainer\'s '
             'results.')
    show_certification = fields.Boolean(
        string='Certification tile', compute='_compute_counts',
        help='Whether the user reads certification sessions.')

    @api.multi
    def _compute_counts(self):
        """One count (or read_group) per tile, as the user: the same for
        every record, computed once."""
        upcoming = self.env['training.session'].search(
            self._upcoming_domain(), order='date_start, id')
        counts = upcoming._registered_counts()
        below = upcoming.filtered(
            lambda session: counts.get(session.id, 0) <
            session.capacity_min)
        Certification = self.env['training.certification.session']
        show_certification = Certification.check_access_rights(
            'read', raise_exception=False)
        values = {
            'upcoming_count': len(upcoming),
            'below_minimum_count': len(below),
            'upcoming_html': self._upcoming_html(
                upcoming[:UPCOMING_LISTED], counts),
            'late_mail_count': self.env[
                'training.session.mail.schedule'].search_count(
                self._late_mail_domain()),
            'attendance_slot_count': len(
                self.env['training.attendance'].read_group(
                    self._attendance_domain(), ['slot_id'], ['slot_id'])),
            'change_request_count': self.env[
                'training.change.request'].search_count(
                self._change_request_domain()),
            'certification_count': show_certification and
            Certification.search_count(self._certification_domain()),
            'show_certification': show_certification,
        }
        for dashboard in self:
            dashboard.update(values)

    @api.model
    def _upcoming_html(self, sessions, counts):
        """The next sessions with their fill rate (registered out of the
        maximum capacity) and whether their minimum is reached."""
        rows = []
        for session in sessions:
            registered = counts.get(session.id, 0)
            rows.append({
                'session': session,
                'start': session._local(session.date_start).strftime(
                    '%d/%m/%Y %H:%M'),
                'registered': registered,
                # none without a maximum capacity
                'fill_rate': '%d %%' % round(
                    100.0 * registered / session.capacity_max)
                if session.capacity_max else '-',
                'minimum_reached': registered >= session.capacity_min,
            })
        return self.env['ir.ui.view'].render_template(
            'training_session.training_dashboard_upcoming',
            {'rows': rows}).decode('utf-8')

    @api.multi
    def name_get(self):
        # the breadcrumb's title
        return [(dashboard.id, _('Dashboard')) for dashboard in self]

    # --------------------------------------------------------- domains
    @api.model
    def _upcoming_domain(self):
        return [('date_start', '>=', fields.Datetime.now()),
                ('state', '!=', 'cancelled')]

    @api.model
    def _late_mail_domain(self):
        """Sends the scheduler should have made: due, not sent, of
        published sessions still running (its own domain)."""
        return self.env['training.session.mail.schedule']._due_domain()

    @api.model
    def _attendance_domain(self):
        """Attendance lines of enrolled trainees at slots already over,
        not validated by a tutor, in sessions not cancelled."""
        return [('slot_id.date_end', '<', fields.Datetime.now()),
                ('validated_on', '=', False),
                ('registration_id.state', 'in', REGISTERED_STATES),
                ('session_id.state', '!=', 'cancelled')]

    @api.model
    def _change_request_domain(self):
        return [('state', '=', 'pending')]

    @api.model
    def _certification_domain(self):
        return [('state', '=', 'trainer_validation')]

    # --------------------------------------------------------- actions
    @api.model
    def action_open_dashboard(self):
        """The dashboard's window (the menu's and the home action's
        server action): a new record, computed as the user."""
        return {
            'type': 'ir.actions.act_window',
            'name': _('Dashboard'),
            'res_model': self._name,
            'res_id': self.create({}).id,
            'view_mode': 'form',
            'views': [(self.env.ref(
                'training_session.training_dashboard_view_form').id,
                'form')],
            'target': 'current',
        }

    @api.model
    def _open(self, xmlid, domain, name, context=None):
        action = self.env.ref(xmlid).read()[0]
        action.update({'name': name, 'domain': domain,
                       'context': context or {}})
        return action

    @api.multi
    def action_open_upcoming(self):
        action = self._open(
            'training_session.training_session_action',
            self._upcoming_domain(), _('Sessions to come'))
        action['views'] = [
            (self.env.ref(
                'training_session.training_session_view_tree_fill').id,
             'tree'), (False, 'form'), (False, 'kanban'),
            (False, 'calendar')]
        action['view_mode'] = 'tree,form,kanban,calendar'
        return action

    @api.multi
    def action_open_late_mails(self):
        action = self._open(
            'training_session.training_session_mail_schedule_action_late',
            self._late_mail_domain(), _('Late e-mails'))
        return action

    @api.multi
    def action_open_attendance(self):
        return self._open(
            'training_session.training_attendance_action',
            self._attendance_domain(), _('Attendance to validate'),
            {'search_default_groupby_slot': 1})

    @api.multi
    def action_open_change_requests(self):
        return self._open(
            'training_session.training_change_request_action',
            self._change_request_domain(), _('Change requests waiting'))

    @api.multi
    def action_open_certification(self):
        return self._open(
            'training_session.training_certification_session_action',
            self._certification_domain(),
            _('Certification sessions to process'))
