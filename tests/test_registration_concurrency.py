# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Concurrent registrations for the last seats, over real HTTP requests
(issue 13, item 6).

Odoo retries a request that fails to serialise with the same arguments:
a registration whose transaction loses the race for the session's seats
is created again, and must then land on the waiting list, without error.

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
    """N trainees registered at the same time to a session of M seats, by
    JSON-RPC (/jsonrpc, as an external client) and by the web client's
    route (/web/dataset/call_kw): M enrolled, the others on the waiting
    list, no request failing."""

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
        level = logger.level
        logger.setLevel(logging.INFO)
        logger.addHandler(self.counter)
        self.addCleanup(logger.setLevel, level)
        self.addCleanup(logger.removeHandler, self.counter)

    def _delete_committed(self):
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            sessions = env['training.session'].browse(
                self.committed['training.session']).exists()
            registrations = env['training.registration'].search(
                [('session_id', 'in', sessions.ids)])
            registrations.mapped('attendance_ids').unlink()
            registrations.unlink()
            sessions.unlink()
            env['res.partner'].browse(
                self.committed['res.partner']).exists().unlink()

    def _fixture(self, number):
        """A committed session of SEATS seats with one slot, and REQUESTS
        trainees."""
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
            for index in range(self.REQUESTS):
                partners |= env['res.partner'].create(
                    {'name': 'Stagiaire concurrent %d-%d' % (number, index)})
            self.committed['res.partner'] += partners.ids
            return session.id, partners.ids

    # ------------------------------------------------------------ clients
    def _jsonrpc_client(self):
        """An external client: /jsonrpc, the password with each call."""
        http = requests.Session()

        def create(vals):
            return http.post(self.url + '/jsonrpc', json={
                'jsonrpc': '2.0', 'method': 'call', 'id': 1, 'params': {
                    'service': 'object', 'method': 'execute_kw',
                    'args': [get_db_name(), self.uid, PASSWORD,
                             'training.registration', 'create', [vals]]},
            }, timeout=self.TIMEOUT).json()
        return http, create

    def _web_client(self):
        """The web client: a session cookie, then /web/dataset/call_kw."""
        http = requests.Session()
        login = http.post(self.url + '/web/session/authenticate', json={
            'jsonrpc': '2.0', 'method': 'call', 'id': 1, 'params': {
                'db': get_db_name(), 'login': LOGIN,
                'password': PASSWORD}}, timeout=self.TIMEOUT).json()
        self.assertEqual(login.get('result', {}).get('uid'), self.uid,
                         login)

        def create(vals):
            return http.post(
                self.url + '/web/dataset/call_kw/training.registration/'
                'create', json={
                    'jsonrpc': '2.0', 'method': 'call', 'id': 1, 'params': {
                        'model': 'training.registration', 'method': 'create',
                        'args': [vals], 'kwargs': {}}},
                timeout=self.TIMEOUT).json()
        return http, create

    def _race(self, session_id, partner_ids):
        """Register every partner at once, from REQUESTS threads released
        together: {partner id: the JSON-RPC answer or the exception}."""
        clients = [self._jsonrpc_client() if index % 2 else
                   self._web_client() for index in range(self.REQUESTS)]
        barrier = threading.Barrier(self.REQUESTS, timeout=self.TIMEOUT)
        answers = {}

        def register(create, partner_id):
            try:
                barrier.wait()
                answers[partner_id] = create({
                    'session_id': session_id, 'partner_id': partner_id,
                    'state': 'confirmed'})
            except Exception as error:  # reported by the test
                answers[partner_id] = error
        threads = [threading.Thread(target=register,
                                    args=(client[1], partner_id))
                   for client, partner_id in zip(clients, partner_ids)]
        for thread in threads:
            thread.start()
        for thread in threads:
            # the retries of a request wait 31 s at most in all
            thread.join(self.TIMEOUT * 2)
        for http, _create in clients:
            http.close()
        self.assertFalse([thread for thread in threads if thread.is_alive()],
                         'requests still running')
        return answers

    @staticmethod
    def _error(answer):
        """The message of a failed request (None when it passed)."""
        if not isinstance(answer, dict):
            return repr(answer)
        if 'result' in answer:
            return None
        error = answer.get('error') or {}
        return (error.get('data') or {}).get('message') or repr(answer)

    def test_last_seats_taken_at_once(self):
        for number in range(self.ROUNDS):
            session_id, partner_ids = self._fixture(number)
            answers = self._race(session_id, partner_ids)
            failed = {partner_id: self._error(answer)
                      for partner_id, answer in answers.items()
                      if self._error(answer)}
            self.assertEqual(failed, {}, 'round %d' % number)
            self.assertEqual(len(answers), self.REQUESTS)
            with self.registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                registrations = env['training.registration'].search(
                    [('session_id', '=', session_id)])
                self.assertEqual(sorted(registrations.ids), sorted(
                    answer['result'] for answer in answers.values()))
                states = registrations.mapped('state')
                self.assertEqual(states.count('confirmed'), self.SEATS,
                                 'round %d: %s' % (number, states))
                self.assertEqual(states.count('waiting'),
                                 self.REQUESTS - self.SEATS)
                enrolled = registrations.filtered(
                    lambda reg: reg.state == 'confirmed')
                # the slot's attendance lines for the enrolled ones only
                self.assertEqual(
                    registrations.mapped('attendance_ids.registration_id'),
                    enrolled)
                # the user who registered follows each registration once
                user = env['res.users'].browse(self.uid)
                for reg in registrations:
                    self.assertEqual(reg.message_follower_ids.mapped(
                        'partner_id'), user.partner_id)
        # the requests did race: some failed to serialise and were retried
        self.assertTrue(self.counter.retries, 'no request was retried')
