# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Concurrent registrations for the last seats, over real HTTP requests
(issue 13, item 6).

Odoo retries a request that fails to serialise with the same arguments:
a registration whose transaction loses the race for the session's seats
is created again, and must then land on the waiting list, without error
(it failed with 'A partner cannot follow twice the same object':
mail.thread had added the creator's follower to the caller's values).

A plain unittest.TestCase, not an HttpCase: HttpCase puts the registry in
test mode, where every request shares one cursor and no two transactions
ever race. So the fixture is committed, each request runs in a
transaction of its own, and everything committed is deleted afterwards.
"""
import logging
import threading
import unittest

import requests

import odoo
import odoo.tests.common
from odoo.tests.common import get_db_name

LOGIN = PASSWORD = 'gestionnaire'
# Odoo's request layer logs each retry of a serialisation failure there
RETRY_LOGGER = 'odoo.service.model'


class _RetryCounter(logging.Handler):

    def __init__(self):
        super(_RetryCounter, self).__init__(logging.INFO)
        self.retries = 0

    def emit(self, record):
        if 'retry' in record.getMessage():
            self.retries += 1


class TestConcurrentRegistrations(unittest.TestCase):
    """Trainees registered at the same time to a session of SEATS seats,
    by JSON-RPC (/jsonrpc, as an external client), by the web client's
    routes (/web/dataset/call_kw, the registration wizard's button): SEATS
    enrolled, the others on the waiting list, no request failing."""

    SEATS = 2
    REQUESTS = 6
    ROUNDS = 3
    TIMEOUT = 120  # seconds, per request

    def setUp(self):
        self.registry = odoo.registry(get_db_name())
        self.assertFalse(getattr(self.registry, 'test_cr', None),
                         'the registry is in test mode: requests would '
                         'share one cursor')
        self.url = 'http://%s:%s' % (odoo.tests.common.HOST,
                                     odoo.tests.common.PORT)
        self.committed = {'training.session': [], 'res.partner': []}
        self.addCleanup(self._delete_committed)
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            self.uid = env.ref(
                'training_session.user_training_user_demo').id
        self.counter = _RetryCounter()
        logger = logging.getLogger(RETRY_LOGGER)
        self.addCleanup(logger.setLevel, logger.level)
        logger.setLevel(logging.INFO)
        logger.addHandler(self.counter)
        self.addCleanup(logger.removeHandler, self.counter)

    def _delete_committed(self):
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            sessions = env['training.session'].browse(
                self.committed['training.session']).exists()
            env['training.registration.wizard'].search(
                [('session_id', 'in', sessions.ids)]).unlink()
            registrations = env['training.registration'].search(
                [('session_id', 'in', sessions.ids)])
            registrations.mapped('attendance_ids').unlink()
            registrations.unlink()
            sessions.unlink()
            env['res.partner'].browse(
                self.committed['res.partner']).exists().unlink()

    def _fixture(self, number, trainees):
        """A committed session of SEATS seats with one slot, and
        ``trainees`` partners: (session id, partner ids)."""
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            session = env['training.session'].create({
                'name': 'Dernières places %d' % number,
                'capacity_max': self.SEATS})
            self.committed['training.session'].append(session.id)
            sequence = env['training.sequence'].create(
                {'session_id': session.id, 'name': 'Atelier'})
            env['training.slot'].create({
                'sequence_id': sequence.id,
                'date_start': '2027-05-03 08:00:00',
                'date_end': '2027-05-03 12:00:00'})
            partners = env['res.partner'].browse()
            for index in range(trainees):
                partners |= env['res.partner'].create(
                    {'name': 'Stagiaire concurrent %d-%d' % (number, index)})
            self.committed['res.partner'] += partners.ids
            return session.id, partners.ids

    # ------------------------------------------------------------ clients
    def _rpc(self, http, path, params):
        return http.post(self.url + path, json={
            'jsonrpc': '2.0', 'method': 'call', 'id': 1, 'params': params,
        }, timeout=self.TIMEOUT).json()

    def _jsonrpc_client(self):
        """An external client: /jsonrpc, the password with each call:
        (HTTP session, call(model, method, *args))."""
        http = requests.Session()

        def call(model, method, *args):
            return self._rpc(http, '/jsonrpc', {
                'service': 'object', 'method': 'execute_kw',
                'args': [get_db_name(), self.uid, PASSWORD, model, method,
                         list(args)]})
        return http, call

    def _web_client(self):
        """The web client: a session cookie, then /web/dataset/call_kw
        (or ``route``): (HTTP session, call(model, method, *args,
        route='call_kw'))."""
        http = requests.Session()
        login = self._rpc(http, '/web/session/authenticate', {
            'db': get_db_name(), 'login': LOGIN, 'password': PASSWORD})
        self.assertEqual(login.get('result', {}).get('uid'), self.uid,
                         login)

        def call(model, method, *args, route='call_kw'):
            params = {'model': model, 'method': method, 'args': list(args)}
            if route == 'call_kw':
                params['kwargs'] = {}
            return self._rpc(http, '/web/dataset/%s' % route, params)
        return http, call

    @staticmethod
    def _error(answer):
        """The message of a failed request (None when it passed)."""
        if not isinstance(answer, dict):
            return repr(answer)
        if 'result' in answer:
            return None
        error = answer.get('error') or {}
        return (error.get('data') or {}).get('message') or repr(answer)

    def _race(self, calls):
        """Run every ``calls`` (functions without arguments) at once, from
        threads released together; fail unless every one passed, return
        their results."""
        barrier = threading.Barrier(len(calls), timeout=self.TIMEOUT)
        answers = {}

        def run(index, call):
            try:
                barrier.wait()
                answers[index] = call()
            except Exception as error:  # reported below
                answers[index] = error
        threads = [threading.Thread(target=run, args=(index, call))
                   for index, call in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            # the retries of a request wait 31 s at most in all
            thread.join(self.TIMEOUT * 2)
        self.assertFalse([thread for thread in threads if thread.is_alive()],
                         'requests still running')
        failed = {index: self._error(answer)
                  for index, answer in answers.items()
                  if self._error(answer)}
        self.assertEqual(failed, {})
        self.assertEqual(len(answers), len(calls))
        return [answers[index]['result'] for index in range(len(calls))]

    def _check_seats(self, session_id, trainees):
        """SEATS enrolled, the others waiting, the enrolled ones only with
        attendance lines, each registration followed by its creator once:
        the registrations."""
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            registrations = env['training.registration'].search(
                [('session_id', '=', session_id)])
            states = registrations.mapped('state')
            self.assertEqual(len(states), trainees)
            self.assertEqual(states.count('confirmed'), self.SEATS, states)
            self.assertEqual(states.count('waiting'), trainees - self.SEATS,
                             states)
            enrolled = registrations.filtered(
                lambda reg: reg.state == 'confirmed')
            self.assertEqual(
                registrations.mapped('attendance_ids.registration_id'),
                enrolled)
            user = env['res.users'].browse(self.uid)
            for reg in registrations:
                self.assertLessEqual(reg.message_follower_ids.mapped(
                    'partner_id'), user.partner_id)
            return sorted(registrations.ids)

    # -------------------------------------------------------------- tests
    def test_last_seats_taken_at_once(self):
        """REQUESTS creates at once, half by /jsonrpc, half by
        /web/dataset/call_kw, for SEATS seats."""
        for number in range(self.ROUNDS):
            session_id, partner_ids = self._fixture(number, self.REQUESTS)
            clients = [self._jsonrpc_client() if index % 2 else
                       self._web_client() for index in range(self.REQUESTS)]
            try:
                created = self._race([
                    lambda call=client[1], partner_id=partner_id: call(
                        'training.registration', 'create', {
                            'session_id': session_id,
                            'partner_id': partner_id,
                            'state': 'confirmed'})
                    for client, partner_id in zip(clients, partner_ids)])
            finally:
                for http, _call in clients:
                    http.close()
            registrations = self._check_seats(session_id, self.REQUESTS)
            self.assertEqual(sorted(created), registrations)
            with self.registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                # the creator follows each registration, once
                user = env['res.users'].browse(self.uid)
                for reg in env['training.registration'].browse(created):
                    self.assertEqual(reg.message_follower_ids.mapped(
                        'partner_id'), user.partner_id)
        # the requests did race: some failed to serialise and were retried
        self.assertTrue(self.counter.retries, 'no request was retried')

    def test_wizards_at_once(self):
        """The registration wizard's button pressed at once in REQUESTS / 2
        wizards of two trainees each, for SEATS seats."""
        wizards = self.REQUESTS // 2
        for number in range(self.ROUNDS):
            session_id, partner_ids = self._fixture(number, wizards * 2)
            clients = [self._web_client() for index in range(wizards)]
            try:
                wizard_ids = [call(
                    'training.registration.wizard', 'create', {
                        'session_id': session_id,
                        'partner_ids': [(6, 0, partner_ids[2 * index:
                                                           2 * index + 2])],
                    })['result']
                    for index, (http, call) in enumerate(clients)]
                self._race([
                    lambda call=client[1], wizard_id=wizard_id: call(
                        'training.registration.wizard', 'action_register',
                        [wizard_id], route='call_button')
                    for client, wizard_id in zip(clients, wizard_ids)])
            finally:
                for http, _call in clients:
                    http.close()
            self._check_seats(session_id, wizards * 2)
        self.assertTrue(self.counter.retries, 'no request was retried')
