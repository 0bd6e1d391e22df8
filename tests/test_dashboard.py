# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The training dashboard (issue 18): each tile counts, as the user and
within their populations, what its action opens."""
import datetime

from odoo import fields

from .common import CertificationCase

COUNTERS = ('upcoming_count', 'below_minimum_count', 'late_mail_count',
            'attendance_slot_count', 'change_request_count',
            'certification_count')


def _moment(**delta):
    """A UTC datetime string ``delta`` from now, on the hour."""
    moment = datetime.datetime.utcnow().replace(
        minute=0, second=0, microsecond=0) + datetime.timedelta(**delta)
    return fields.Datetime.to_string(moment)


class TestDashboard(CertificationCase):

    @classmethod
    def setUpClass(cls):
        super(TestDashboard, cls).setUpClass()
        cls.Dashboard = cls.env['training.dashboard']
        # the training user is in no population: the sessions of the
        # population of user2 are hidden from them
        cls.population = cls.env['training.population'].create({
            'name': 'Tableau de bord', 'user_ids': [(6, 0, cls.user2.ids)]})

    def _counts(self, user):
        dashboard = self.Dashboard.sudo(user).create({})
        return {name: dashboard[name] for name in COUNTERS}

    def _delta(self, before, user):
        after = self._counts(user)
        return {name: after[name] - before[name] for name in COUNTERS}

    def _session(self, start, hidden=False, **vals):
        """A session with one eight-hour slot from ``start``; ``hidden``:
        in the population the training user is not part of."""
        if hidden:
            vals['population_ids'] = [(6, 0, self.population.ids)]
        session = self._create_session(**vals)
        end = fields.Datetime.to_string(fields.Datetime.from_string(
            start) + datetime.timedelta(hours=8))
        self._add_sequence(session, slots=[(start, end)])
        return session

    def _no_change(self, **changed):
        return dict(dict.fromkeys(COUNTERS, 0), **changed)

    def test_sessions_to_come_within_the_user_populations(self):
        before_user, before_manager = (self._counts(self.user),
                                       self._counts(self.manager))
        # 2 registered out of a minimum of 3: below it
        visible = self._session(_moment(days=20), capacity_min=3,
                                capacity_max=4)
        self._register(visible)
        self._register(visible)
        self._session(_moment(days=21), hidden=True, capacity_min=1)
        # neither past nor cancelled sessions are to come
        self._session(_moment(days=-20))
        cancelled = self._session(_moment(days=22))
        cancelled.action_cancel()
        self.assertEqual(
            self._delta(before_user, self.user),
            self._no_change(upcoming_count=1, below_minimum_count=1))
        self.assertEqual(
            self._delta(before_manager, self.manager),
            self._no_change(upcoming_count=2, below_minimum_count=2))

    def test_next_sessions_show_fill_rate_and_minimum(self):
        below = self._session(_moment(days=20), name='Sous le minimum',
                              capacity_min=3, capacity_max=4)
        self._register(below)
        self._register(below)
        reached = self._session(_moment(days=21), name='Minimum atteint',
                                capacity_min=1)
        self._register(reached)
        sessions = below | reached
        html = self.Dashboard.sudo(self.user)._upcoming_html(
            sessions, sessions._registered_counts())
        below_row, reached_row = html.split('<tr')[2:]
        self.assertIn('class="danger"', below_row)
        self.assertIn(below.code, below_row)
        self.assertIn('50 %', below_row)
        self.assertNotIn('danger"', reached_row)
        self.assertIn('Minimum atteint', reached_row)
        # no maximum capacity: no fill rate
        self.assertNotIn('%', reached_row)

    def test_late_mails(self):
        before_user, before_manager = (self._counts(self.user),
                                       self._counts(self.manager))
        Schedule = self.env['training.session.mail.schedule']
        # published and running, its slot two days ago: the trainer file
        # was due before it and nothing was sent
        visible = self._session(_moment(days=-2),
                                publication_state='published')
        hidden = self._session(_moment(days=-2), hidden=True,
                               publication_state='published')
        due = Schedule._due_domain()
        late_visible = Schedule.search(
            due + [('session_id', '=', visible.id)])
        late_hidden = Schedule.search(due + [('session_id', '=', hidden.id)])
        self.assertTrue(late_visible)
        self.assertEqual(set(late_visible.mapped('state')), {'late'})
        self.assertEqual(
            self._delta(before_user, self.user),
            self._no_change(late_mail_count=len(late_visible),
                            attendance_slot_count=0))
        self.assertEqual(
            self._delta(before_manager, self.manager)['late_mail_count'],
            len(late_visible) + len(late_hidden))
        # sent: no longer late; a draft session sends nothing, so it is
        # never late
        late_visible[0].sent_date = fields.Datetime.now()
        hidden.publication_state = 'draft'
        self.assertEqual(
            self._delta(before_manager, self.manager)['late_mail_count'],
            len(late_visible) - 1)

    def test_attendance_to_validate(self):
        before_user, before_manager = (self._counts(self.user),
                                       self._counts(self.manager))
        visible = self._session(_moment(days=-3))
        line = self._register(visible).attendance_ids
        hidden = self._session(_moment(days=-3), hidden=True)
        self._register(hidden)
        self._register(hidden)
        # a slot to come has nothing to validate yet
        self._register(self._session(_moment(days=3)))
        self.assertEqual(
            self._delta(before_user, self.user),
            self._no_change(attendance_slot_count=1, upcoming_count=1))
        self.assertEqual(
            self._delta(before_manager, self.manager),
            self._no_change(attendance_slot_count=2, upcoming_count=1))
        # recorded and validated: done
        line.sudo(self.manager).write({'state': 'present'})
        line.sudo(self.manager).action_validate()
        self.assertEqual(
            self._delta(before_user, self.user),
            self._no_change(attendance_slot_count=0, upcoming_count=1))

    def test_change_requests_waiting(self):
        before_user, before_manager = (self._counts(self.user),
                                       self._counts(self.manager))
        component = self._funded_component(
            'DASH-1', '2026-01-01', '2030-12-31')
        place = self.Partner.create({'name': 'Lieu', 'zip': '34500',
                                     'city': 'BEZIERS'})
        Request = self.env['training.change.request']
        for hidden in (False, True):
            session = self._create_session(
                component_id=component.id,
                population_ids=[(6, 0, self.population.ids)]
                if hidden else [])
            Request.create({
                'component_id': component.id, 'session_id': session.id,
                'session_number': '01', 'date_start': '2027-09-01',
                'date_end': '2027-12-31', 'place_id': place.id,
                'seats': 10})
        self.assertEqual(
            self._delta(before_user, self.user),
            self._no_change(change_request_count=1))
        self.assertEqual(
            self._delta(before_manager, self.manager),
            self._no_change(change_request_count=2))

    def test_certification_sessions_to_process(self):
        before_admin = self._counts(self.admin)
        self._submitted_session(self.delegate_a)
        with self._today(self.TODAY):
            self._new_certification_session(self.delegate_b)
        # waiting for the trainer: the administrators follow them up
        self.assertEqual(
            self._delta(before_admin, self.admin),
            self._no_change(certification_count=1))
        self.assertTrue(
            self.Dashboard.sudo(self.admin).create({}).show_certification)
        # training users read no certification session: no tile
        dashboard = self.Dashboard.sudo(self.user).create({})
        self.assertFalse(dashboard.show_certification)
        self.assertEqual(dashboard.certification_count, 0)

    def test_each_tile_opens_what_it_counts(self):
        self._register(self._session(_moment(days=-3)))
        self._register(self._session(_moment(days=5), capacity_min=4))
        dashboard = self.Dashboard.sudo(self.manager).create({})
        tiles = {
            'action_open_upcoming': ('training.session', 'upcoming_count'),
            'action_open_late_mails': ('training.session.mail.schedule',
                                       'late_mail_count'),
            'action_open_change_requests': ('training.change.request',
                                            'change_request_count'),
            'action_open_certification': (
                'training.certification.session', 'certification_count'),
        }
        for method, (model, counter) in tiles.items():
            action = getattr(dashboard, method)()
            self.assertEqual(action['res_model'], model, method)
            self.assertEqual(action['type'], 'ir.actions.act_window')
            if model == 'training.certification.session':
                continue  # the manager reads none
            self.assertEqual(
                self.env[model].sudo(self.manager).search_count(
                    action['domain']), dashboard[counter], method)
        action = dashboard.action_open_upcoming()
        self.assertEqual(action['views'][0], (self.env.ref(
            'training_session.training_session_view_tree_fill').id, 'tree'))
        self.assertEqual(action['domain'], [
            ('date_start', '>=', action['domain'][0][2]),
            ('state', '!=', 'cancelled')])
        self.assertEqual(dashboard.action_open_late_mails()['domain'],
                         self.env['training.session.mail.schedule']
                         ._due_domain())
        # the attendance lines, by slot: as many slots as counted
        action = dashboard.action_open_attendance()
        self.assertEqual(action['res_model'], 'training.attendance')
        self.assertEqual(action['context'], {'search_default_groupby_slot': 1})
        self.assertTrue(dashboard.attendance_slot_count)
        self.assertEqual(len(self.env['training.attendance'].sudo(
            self.manager).read_group(action['domain'], ['slot_id'],
                                     ['slot_id'])),
            dashboard.attendance_slot_count)
        self.assertEqual(self.env['training.change.request'].search(
            dashboard.action_open_change_requests()['domain']).mapped(
            'state'), ['pending'] * dashboard.change_request_count)

    def _queries(self, user):
        """The queries of the dashboard's counters for ``user``."""
        dashboard = self.Dashboard.sudo(user).create({})
        dashboard.invalidate_cache()
        before = self.cr.sql_log_count
        dashboard.upcoming_count
        return self.cr.sql_log_count - before

    def test_counted_in_a_few_queries(self):
        """Batched: the queries do not grow with the sessions."""
        self._register(self._session(_moment(days=1)))
        self._queries(self.manager)
        few = self._queries(self.manager)
        for day in range(2, 8):
            session = self._session(_moment(days=day), capacity_min=2)
            self._register(session)
            self._register(self._session(_moment(days=-day)))
        self.assertEqual(self._queries(self.manager), few)

    def test_training_users_land_on_it(self):
        action = self.env.ref('training_session.training_dashboard_action')
        # the first entry of the Training menu's first section: opening
        # the application opens the dashboard
        root = self.env.ref('training_session.training_menu_root')
        sections = self.env['ir.ui.menu'].sudo(self.user).search([
            ('parent_id', '=', root.id)])
        menus = self.env['ir.ui.menu'].sudo(self.user).search([
            ('parent_id', '=', sections[0].id)])
        self.assertEqual(menus[0], self.env.ref(
            'training_session.training_dashboard_menu'))
        self.assertEqual(menus[0].action, action)
        # the demo training users' home action
        for xmlid in ('user_training_user_demo',
                      'user_training_manager_demo',
                      'user_training_admin_demo'):
            self.assertEqual(self.env.ref(
                'training_session.%s' % xmlid).action_id.id, action.id)
        # the server action, as the user, opens a dashboard of theirs
        result = action.sudo(self.user).with_context(
            active_model='training.dashboard').run()
        self.assertEqual(result['res_model'], 'training.dashboard')
        dashboard = self.Dashboard.sudo(self.user).browse(result['res_id'])
        self.assertEqual(dashboard.create_uid, self.user)
        self.assertEqual(result['views'][0][1], 'form')
        # the form loads, with every tile
        view = self.Dashboard.sudo(self.user).fields_view_get(
            result['views'][0][0], 'form')
        for method in ('action_open_upcoming', 'action_open_late_mails',
                       'action_open_attendance',
                       'action_open_change_requests',
                       'action_open_certification'):
            self.assertIn('name="%s"' % method, view['arch'])
