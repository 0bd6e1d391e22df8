# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import functools
import json
import os
import re
import signal
import subprocess
from contextlib import contextmanager
from unittest import mock

import odoo
from odoo import api
from odoo.tests.common import (
    HttpCase, SavepointCase, at_install, get_db_name, post_install)

# the checkout (tests/ is a symbolic link in .local/addons/training_session)
ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def last_job(env):
    """The id of the last background job queued (0 when none): run_jobs
    from there runs the jobs of what came after, not those the demo data
    left pending at installation."""
    return env['queue.job'].sudo().search([], order='id desc', limit=1).id \
        or 0


def run_jobs(env, rounds=100, commit=False, after=0):
    """Run the pending background jobs (queue_job) as its job runner
    would, each as the user who queued it, until none is left; the jobs
    they queue are run too. The job runner is not started in tests. With
    ``commit`` (the benchmark, never a test), each job is committed in a
    transaction of its own, as the runner does. ``after``: a job id (see
    last_job), the jobs up to it are left alone."""
    from odoo.addons.queue_job.job import Job
    Queue = env['queue.job'].sudo()
    for _round in range(rounds):
        if commit:
            env.cr.commit()
        records = Queue.search([('state', '=', 'pending'),
                                ('id', '>', after)], order='id')
        if not records:
            return
        for record in records:
            job = Job.load(env, record.uuid)
            job.set_started()
            job.store()
            job.perform()
            job.set_done()
            job.store()
            if commit:
                env.cr.commit()
                env.clear()
    raise AssertionError('jobs keep queueing jobs')


def deliver(env):
    """What users get once the background has done its work: the pending
    jobs run (run_jobs), then the mail queue sent as its scheduled action
    does (Odoo builds each message and skips the SMTP part in tests); the
    mails are kept once sent, for the tests to read them."""
    run_jobs(env)
    mails = env['mail.mail'].sudo().search([('state', '=', 'outgoing')])
    mails.write({'auto_delete': False})
    mails.send()


def _closing_on_failure(set_up_class):
    """unittest does not call tearDownClass when setUpClass fails: the
    class's transaction would stay open, holding its locks, and the next
    class would wait for it forever. Roll it back instead."""
    @functools.wraps(set_up_class)
    def wrapper(cls):
        try:
            set_up_class.__func__(cls)
        except Exception:
            cls.tearDownClass()
            raise
    return classmethod(wrapper)


class TrainingCase(SavepointCase):
    """Users of every role and helpers to build sessions."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if 'setUpClass' in cls.__dict__:
            cls.setUpClass = _closing_on_failure(cls.__dict__['setUpClass'])

    @classmethod
    def setUpClass(cls):
        super(TrainingCase, cls).setUpClass()
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=False, mail_notrack=False,
            no_reset_password=True, mail_create_nosubscribe=True))
        cls.Session = cls.env['training.session']
        cls.Sequence = cls.env['training.sequence']
        cls.Slot = cls.env['training.slot']
        cls.Registration = cls.env['training.registration']
        cls.Partner = cls.env['res.partner']
        cls.user = cls._create_user('t_user', 'group_training_session_user')
        cls.user2 = cls._create_user('t_user2', 'group_training_session_user')
        cls.manager = cls._create_user(
            't_manager', 'group_training_session_manager')
        cls.admin = cls._create_user('t_admin', 'group_training_session_admin')
        cls.trainer = cls._create_user(
            't_trainer', 'group_training_session_trainer', portal=True)
        cls.tutor = cls._create_user(
            't_tutor', 'group_training_session_tutor', portal=True)
        cls.trainee = cls._create_user(
            't_trainee', 'group_training_session_trainee', portal=True)
        cls.room = cls.env['training.room'].create({'name': 'Salle Test'})
        cls.room2 = cls.env['training.room'].create({'name': 'Salle Bis'})
        cls.other_trainer = cls.Partner.create({'name': 'Paul Formateur'})

    @classmethod
    def _create_user(cls, login, group, portal=False):
        base_group = 'base.group_portal' if portal else 'base.group_user'
        return cls.env['res.users'].create({
            'name': login.replace('_', ' ').title(),
            'login': login,
            'email': '%s@example.com' % login,
            'tz': 'Europe/Paris',
            'groups_id': [(6, 0, [
                cls.env.ref(base_group).id,
                cls.env.ref('training_session.%s' % group).id,
            ])],
        })

    @classmethod
    def _create_session(cls, **vals):
        vals.setdefault('name', 'Session de test')
        return cls.env['training.session'].create(vals)

    @classmethod
    def _session_with_slot(cls, **vals):
        """A session with one slot, so that trainees can register."""
        session = cls._create_session(**vals)
        cls._add_sequence(session, slots=[
            ('2027-02-01 08:00:00', '2027-02-01 16:00:00')])
        return session

    @classmethod
    def _add_sequence(cls, session, name='Séquence', slots=(), **vals):
        """Add a sequence with ``slots``: (start, end[, extra values])."""
        sequence = cls.env['training.sequence'].create(dict(
            vals, session_id=session.id, name=name))
        for slot in slots:
            extra = slot[2] if len(slot) > 2 else {}
            cls.env['training.slot'].create(dict(
                extra, sequence_id=sequence.id,
                date_start=slot[0], date_end=slot[1]))
        return sequence

    @classmethod
    def _funded_component(cls, number, date_start, date_end):
        """A component of a funded action (manual 002): its dates bound its
        sessions'."""
        action = cls.env['training.action'].create(
            {'name': 'LOT TEST', 'number': number})
        return cls.env['training.action.component'].create({
            'action_id': action.id, 'number': '01', 'code': 'FORP',
            'name': 'Formation Projet Pro', 'date_start': date_start,
            'date_end': date_end})

    def _register(self, session, partner=None, state='confirmed'):
        partner = partner or self.Partner.create({'name': 'Jean Stagiaire'})
        return self.Registration.create({
            'session_id': session.id,
            'partner_id': partner.id,
            'state': state,
        })


class CertificationCase(TrainingCase):
    """Two entities with their delegates and managers, an SST scheme and a
    qualified trainer (the Trainer user of TrainingCase), for the
    certification sessions of manual 003."""

    @classmethod
    def setUpClass(cls):
        super(CertificationCase, cls).setUpClass()
        cls.entity_a = cls.Partner.create(
            {'name': 'Marose Formation', 'is_company': True})
        cls.entity_b = cls.Partner.create(
            {'name': 'Formation Guy', 'is_company': True})
        cls.delegate_a = cls._create_certification_user(
            'c_delegate_a', 'delegate', cls.entity_a)
        cls.delegate_a2 = cls._create_certification_user(
            'c_delegate_a2', 'delegate', cls.entity_a)
        cls.manager_a = cls._create_certification_user(
            'c_manager_a', 'manager', cls.entity_a)
        cls.delegate_b = cls._create_certification_user(
            'c_delegate_b', 'delegate', cls.entity_b)
        cls.manager_b = cls._create_certification_user(
            'c_manager_b', 'manager', cls.entity_b)
        Scheme = cls.env['training.certification.scheme']
        cls.sst = Scheme.create({'name': 'SST', 'level': '1', 'code': 'SST',
                                 'validity_months': 24})
        cls.asbestos = Scheme.create({
            'name': 'Amiante sous-section 4', 'level': '1', 'code': 'SS4',
            'requires_teaching_platform': True})
        Type = cls.env['training.certificate.type']
        cls.sst_type = Type.create({'name': 'Sauveteur secouriste du '
                                    'travail', 'code': 'SST-1',
                                    'scheme_id': cls.sst.id})
        cls.asbestos_type = Type.create({
            'name': 'Amiante s/s4-1 Opérateur de chantier',
            'code': 'SS4-1', 'scheme_id': cls.asbestos.id})
        Habilitation = cls.env['training.habilitation']
        for entity in (cls.entity_a, cls.entity_b):
            for scheme in (cls.sst, cls.asbestos):
                Habilitation.create({
                    'entity_id': entity.id, 'scheme_id': scheme.id,
                    'date_from': '2026-01-01', 'date_to': '2028-12-31'})
        cls.trainer.partner_id.write({
            'lastname': 'Dupont', 'firstname': 'Stéphanie',
            'birthdate_date': '1980-04-06',
            'training_national_number': 'FP123456'})
        cls.env['training.trainer.qualification'].create({
            'trainer_id': cls.trainer.partner_id.id, 'scheme_id': cls.sst.id,
            'date_from': '2026-01-01', 'date_to': '2027-12-31'})
        cls.CertSession = cls.env['training.certification.session']

    # sessions end on 15 June 2027 and are entered on 1 June
    END = '2027-06-15'
    TODAY = datetime.date(2027, 6, 1)

    @classmethod
    def _today(cls, day):
        """Make ``day`` (a date) today for the certification sessions."""
        return mock.patch.object(
            type(cls.env['training.certification.session']), '_today',
            return_value=day)

    @classmethod
    def _new_certification_session(cls, user, **vals):
        values = {
            'scheme_id': cls.sst.id, 'certificate_type_id': cls.sst_type.id,
            'place_zip': '26800', 'place_city': 'Étoile-sur-Rhône',
            'training_kind': 'initial', 'date_end': cls.END,
        }
        values.update(vals)
        return cls.env['training.certification.session'].sudo(user).create(
            values)

    @classmethod
    def _add_candidates(cls, session, user, *names):
        """Candidates ``names`` ("Last First") born on 6 April 1977."""
        Candidate = cls.env['training.certification.candidate'].sudo(user)
        for name in names or ('Fabre Régine', 'Faure Myriam'):
            lastname, firstname = name.split(' ', 1)
            Candidate.create({
                'session_id': session.id, 'lastname': lastname,
                'firstname': firstname, 'birthdate': '1977-04-06'})
        return session.candidate_ids

    @classmethod
    def _submitted_session(cls, user, trainer=None, **vals):
        """A session checked with ``trainer`` (a user, the Trainer by
        default), two candidates, submitted to the trainer."""
        trainer = trainer or cls.trainer
        with cls._today(cls.TODAY):
            session = cls._new_certification_session(user, **vals)
            session = session.sudo(user)
            session.trainer_national_number = \
                trainer.partner_id.training_national_number
            session.action_check_trainer()
            cls._add_candidates(session, user)
            session.action_submit()
        return session

    @classmethod
    def _create_certification_user(cls, login, role, entity):
        user = cls._create_user(
            login, 'group_training_session_certification_%s' % role,
            portal=True)
        user.certification_entity_id = entity
        return user


@at_install(False)
@post_install(True)
class BrowserCase(HttpCase):
    """Tests through Odoo's HTTP server (tools/pytest_odoo_http.py starts it
    for the test session) and Debian's Chromium, driven by node
    playwright-core (installed in .local/node by tools/setup.sh).

    Each test runs in the registry's test cursor (HttpCase): the server's
    requests share one transaction, rolled back after the test. Odoo 11
    gives ``self.env`` a cursor of its own, which does not see that
    transaction: read and prepare data with ``server_env()``.
    """

    # seconds for a whole scenario, browser start and logins included
    browser_timeout = 150
    # the web assets the pages load, compiled once for the test session
    BUNDLES = ('web.assets_common', 'web.assets_backend',
               'web_editor.summernote', 'web_editor.assets_editor',
               'web.assets_frontend')
    _bundles_ready = False

    @classmethod
    def setUpClass(cls):
        super(BrowserCase, cls).setUpClass()
        if not BrowserCase._bundles_ready:
            # committed, as a server does on its first page: inside a test's
            # transaction, every test would compile them again (~10 s)
            with odoo.registry(get_db_name()).cursor() as cr:
                QWeb = api.Environment(cr, odoo.SUPERUSER_ID, {})['ir.qweb']
                for bundle in cls.BUNDLES:
                    QWeb._get_asset_nodes(bundle, {})
            BrowserCase._bundles_ready = True

    def authenticate(self, user, password):
        # back to the test's session (a login through the form gave the
        # opener another one)
        self.opener.cookies.clear()
        self.opener.cookies['session_id'] = self.session_id
        return super(BrowserCase, self).authenticate(user, password)

    def login(self, login):
        """Log in through the login form (``authenticate`` reads the user
        on the test's own cursor, which does not see the users created in
        ``setUp``); the password is the login."""
        self.opener.cookies.clear()
        page = self.url_open('/web/login', timeout=60)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        self.url_open('/web/login', data={
            'login': login, 'password': login, 'redirect': '/my',
            'csrf_token': token.group(1)}, timeout=60)

    @contextmanager
    def server_env(self, user=odoo.SUPERUSER_ID):
        """An environment on the server's cursor: it sees what the browser
        did, and the browser sees what it writes once the block ends. It
        holds the cursor's lock: use it between browser runs only."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, user, {})
            env.clear()  # the record cache is shared with self.env
            try:
                yield env
            finally:
                env.clear()

    def call(self, model, method, args, kwargs=None):
        """``model.method(*args, **kwargs)`` over JSON-RPC, as the web
        client calls it, in the session of the last ``authenticate``; the
        JSON answer, with its ``result`` or its ``error``."""
        payload = {'jsonrpc': '2.0', 'method': 'call', 'id': 1, 'params': {
            'model': model, 'method': method, 'args': args,
            'kwargs': kwargs or {}}}
        response = self.opener.post(
            'http://%s:%s/web/dataset/call_kw' % (
                odoo.tests.common.HOST, odoo.tests.common.PORT),
            json=payload, timeout=60)
        self.assertEqual(response.status_code, 200)
        return response.json()

    def browser_run(self, scenario, **params):
        """Run ``tests/browser/<scenario>.js`` with ``params`` (JSON) and
        return what it reported; fail with its output if it failed. With
        SCREENSHOTS=1 in the environment, it saves its screenshots in
        docs/; on failure, the page in .local/browser-failure.png."""
        local = os.path.join(ROOT, '.local')
        env = dict(
            os.environ,
            NODE_PATH=os.pathsep.join(filter(None, [
                os.path.join(local, 'node', 'node_modules'),
                os.environ.get('NODE_PATH')])),
            # PORT: read now, tools/pytest_odoo_http.py sets it
            ODOO_URL='http://%s:%s' % (
                odoo.tests.common.HOST, odoo.tests.common.PORT),
            SCENARIO_PARAMS=json.dumps(params),
            SCENARIO_TIMEOUT=str(self.browser_timeout),
            SCREENSHOT_DIR=os.path.join(ROOT, 'docs'),
            FAILURE_SCREENSHOT=os.path.join(local, 'browser-failure.png'),
        )
        script = os.path.join(ROOT, 'tests', 'browser', scenario + '.js')
        # a process group of its own, to stop node and its children at once
        process = subprocess.Popen(
            ['node', script], cwd=ROOT, env=env, start_new_session=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            encoding='utf-8', errors='replace')
        try:
            # the script stops itself after browser_timeout: this is a guard
            output = process.communicate(
                timeout=self.browser_timeout + 30)[0]
        except subprocess.TimeoutExpired:
            output = self._browser_stop(process)
            self.fail('%s did not stop after %s s:\n%s' % (
                scenario, self.browser_timeout, output))
        except BaseException:  # Ctrl-C: node has no terminal to get it
            self._browser_stop(process)
            raise
        finally:
            self._wait_remaining_requests()
        results = [line[len('RESULT '):] for line in output.splitlines()
                   if line.startswith('RESULT ')]
        if process.returncode or not results:
            self.fail('%s failed (exit code %s):\n%s' % (
                scenario, process.returncode, output))
        return json.loads(results[-1])

    @staticmethod
    def _browser_stop(process):
        """SIGTERM lets Playwright close Chromium; SIGKILL if it hangs."""
        for sig, delay in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(process.pid, sig)
                return process.communicate(timeout=delay)[0]
            except ProcessLookupError:
                return process.communicate()[0]
            except subprocess.TimeoutExpired:
                continue
        return ''


def portal_trainee_login(env, partner):
    """The login of ``partner``'s portal user (a trainee), made when
    missing, whose password is its login."""
    if not partner.user_ids:
        env['res.users'].create({
            'login': partner.name.lower().replace(' ', '.') + '.portail',
            'partner_id': partner.id, 'groups_id': [(6, 0, [
                env.ref('base.group_portal').id,
                env.ref('training_session.group_training_session_trainee')
                .id])]})
    user = partner.user_ids[:1]
    user.password = user.login
    return user.login


class PortalCase(BrowserCase):
    """HTTP tests of the portal's routes: pages, forms with their CSRF
    token, and refusals (a redirect to /my showing nothing of the
    record)."""

    def get(self, url):
        return self.url_open(url, timeout=60)

    def _token(self, url):
        """The CSRF token of the form of the page at ``url``."""
        page = self.get(url)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        self.assertTrue(token, 'no form at %s (%s)' % (url, page.url))
        return token.group(1)

    def post(self, url, data, files=None):
        """POST ``data`` (and ``files``, as multipart) with the CSRF token
        of the page at ``url``."""
        return self.opener.post('http://%s:%s%s' % (
            odoo.tests.common.HOST, odoo.tests.common.PORT, url),
            data=dict(data, csrf_token=self._token(url)), files=files,
            timeout=60)

    def assertRefused(self, response, *secrets):
        """Redirected to /my, without the refused record's data."""
        self.assertTrue(response.history, 'not redirected: %s' % response.url)
        self.assertIn(response.history[0].status_code, (301, 302, 303))
        self.assertTrue(response.url.endswith('/my'), response.url)
        for secret in secrets:
            self.assertNotIn(secret, response.text)
