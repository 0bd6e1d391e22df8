# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Logins are throttled (issue 13): OCA's auth_brute_force, a dependency,
with the limits of data/ir_config_parameter_data.xml. Over HTTP, on the
login form, from the test server's address (127.0.0.1, not whitelisted):
5 wrong passwords for a login lock that login out from that address, the
right password included; 20 failures of any logins lock the address out."""
import re
from unittest import mock

from odoo.exceptions import AccessError
from odoo.tools import mute_logger

from .common import BrowserCase

REMOTE = '127.0.0.1'  # odoo.tests.common.HOST, where the test server listens
# what the module used to look the addresses up with
URLOPEN = ('odoo.addons.auth_brute_force.models.res_authentication_attempt.'
           'urlopen')
# the module's warnings on each refused attempt
QUIET = ('odoo.addons.auth_brute_force.models.res_authentication_attempt',
         'odoo.addons.base.res.res_users')


class TestLoginThrottle(BrowserCase):

    def setUp(self):
        super(TestLoginThrottle, self).setUp()
        with self.server_env() as env:
            # no attempt left by a committed run (make run's database is
            # another one; the tests' attempts are rolled back)
            env['res.authentication.attempt'].search([]).unlink()

    # ------------------------------------------------------------ helpers
    def login(self, login, password):
        """Submit the login form as a browser does (with its CSRF token);
        return whether the session is then authenticated."""
        self.url_open('/web/session/logout', timeout=60)
        page = self.url_open('/web/login', timeout=60)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        self.assertTrue(token, 'no login form (%s)' % page.url)
        response = self.url_open('/web/login', data={
            'login': login, 'password': password,
            'csrf_token': token.group(1), 'redirect': '/my'}, timeout=60)
        self.assertEqual(response.status_code, 200)
        # /my needs a user: anonymous visitors are sent to /web/login
        mine = self.url_open('/my', timeout=60)
        return '/web/login' not in mine.url

    def attempts(self, login=None):
        """The results of the recorded attempts, oldest first."""
        domain = [('remote', '=', REMOTE)]
        if login:
            domain.append(('login', '=', login))
        with self.server_env() as env:
            return env['res.authentication.attempt'].search(
                domain, order='id').mapped('result')

    # -------------------------------------------------------------- tests
    def test_limits_configured(self):
        with self.server_env() as env:
            get_param = env['ir.config_parameter'].get_param
            self.assertEqual(get_param('auth_brute_force.max_by_ip_user'),
                             '5')
            self.assertEqual(get_param('auth_brute_force.max_by_ip'), '20')
            self.assertNotIn(REMOTE, get_param(
                'auth_brute_force.whitelist_remotes', '').split(','))

    @mute_logger(*QUIET)
    def test_right_password_works_before_the_lock(self):
        for _n in range(4):
            self.assertFalse(self.login('stagiaire', 'wrong password'))
        self.assertTrue(self.login('stagiaire', 'stagiaire'))
        self.assertEqual(self.attempts('stagiaire'),
                         ['failed'] * 4 + ['successful'])
        # a success starts the count again. The module counts the failures
        # created after the last success's create_date, which the ORM reads
        # to the second: make these attempts a minute earlier, on a whole
        # second (in the test's single transaction, every record has the
        # same create_date)
        with self.server_env() as env:
            env.cr.execute(
                "UPDATE res_authentication_attempt SET create_date = "
                "date_trunc('second', create_date) - interval '1 minute'")
        for _n in range(5):
            self.assertFalse(self.login('stagiaire', 'wrong password'))
        self.assertFalse(self.login('stagiaire', 'stagiaire'))
        self.assertEqual(self.attempts('stagiaire')[5:],
                         ['failed'] * 5 + ['banned'])

    @mute_logger(*QUIET)
    def test_login_locked_after_5_wrong_passwords(self):
        for _n in range(5):
            self.assertFalse(self.login('stagiaire', 'wrong password'))
        # the right password is refused now
        self.assertFalse(self.login('stagiaire', 'stagiaire'))
        self.assertEqual(self.attempts('stagiaire'),
                         ['failed'] * 5 + ['banned'])
        # another login from the same address is not locked
        self.assertTrue(self.login('formateur', 'formateur'))
        # the administrator lifts the lock by removing the failures
        with self.server_env() as env:
            env['res.authentication.attempt'].search(
                [('login', '=', 'stagiaire')]).unlink()
        self.assertTrue(self.login('stagiaire', 'stagiaire'))

    @mute_logger(*QUIET)
    def test_address_locked_after_20_failures(self):
        # a scan of logins, none tried 5 times
        for n in range(20):
            self.assertFalse(self.login('intrus%d' % (n % 10), 'secret'))
        self.assertFalse(self.login('stagiaire', 'stagiaire'))
        self.assertFalse(self.login('formateur', 'formateur'))
        self.assertEqual(self.attempts('formateur'), ['banned'])
        self.assertEqual(self.attempts().count('failed'), 20)

    @mute_logger(*QUIET)
    def test_attempts_are_the_administrators_only(self):
        """Logins and addresses are personal data: no other user reads
        them, over JSON-RPC either; the ban still holds for them (it is
        checked as superuser), and no address is sent to a geolocation
        service."""
        self.assertFalse(self.login('gestionnaire', 'wrong password'))
        for login in ('stagiaire', 'gestionnaire'):
            self.assertTrue(self.login(login, login))
            answer = self.call('res.authentication.attempt', 'search_read',
                               [[], ['login', 'remote']])
            self.assertIn('error', answer, login)
            self.assertNotIn('result', answer, login)
        with self.server_env() as env:
            for login in ('stagiaire', 'gestionnaire'):
                user = env['res.users'].search([('login', '=', login)])
                with self.assertRaises(AccessError):
                    env['res.authentication.attempt'].sudo(user).search([])
            admin = env.ref('base.user_root')
            attempts = env['res.authentication.attempt'].sudo(admin).search(
                [('login', '=', 'gestionnaire')])
            self.assertEqual(sorted(attempts.mapped('result')),
                             ['failed', 'successful'])
            with mock.patch(URLOPEN) as urlopen:
                attempts.invalidate_cache()
                self.assertTrue(all(attempts.mapped('remote_metadata')))
            self.assertFalse(urlopen.called)
