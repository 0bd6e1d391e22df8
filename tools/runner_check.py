"""The background jobs run by queue_job's real job runner, as `make run`
starts it (issue 18): run by `make test` after the test suite, whose
tests run the jobs in their own transaction (tests/common.py run_jobs).

Copies the test database, starts Odoo on it with queue_job as a
server-wide module (its runner thread), registers five trainees to a
published session with calendar invitations over XML-RPC, then waits for
the runner to run the jobs: the invitations and the registration mails
must be sent (their jobs done, nothing left pending). Exits non-zero
otherwise.

    .venv/bin/python tools/runner_check.py [--source training_test]
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
import xmlrpc.client

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCAL = os.path.join(ROOT, '.local')
DB = 'training_runner_check'


def psql(sql):
    subprocess.check_call([
        'psql', '-q', '-h', os.path.join(LOCAL, 'pgsocket'), '-U', 'odoo',
        '-d', 'postgres', '-c', sql])


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def copy_database(source):
    psql('DROP DATABASE IF EXISTS "%s"' % DB)
    psql('CREATE DATABASE "%s" TEMPLATE "%s"' % (DB, source))
    store = os.path.join(LOCAL, 'data', 'filestore')
    shutil.rmtree(os.path.join(store, DB), ignore_errors=True)
    if os.path.isdir(os.path.join(store, source)):
        shutil.copytree(os.path.join(store, source), os.path.join(store, DB))


def drop_database():
    psql('DROP DATABASE IF EXISTS "%s"' % DB)
    shutil.rmtree(os.path.join(LOCAL, 'data', 'filestore', DB),
                  ignore_errors=True)


def wait(condition, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(1)
    raise AssertionError('%s: not after %d s' % (what, timeout))


def check(port):
    url = 'http://127.0.0.1:%d' % port

    def up():
        try:
            return xmlrpc.client.ServerProxy(
                url + '/xmlrpc/2/common').version()
        except OSError:
            return None

    wait(up, 120, 'the server answering')
    uid = xmlrpc.client.ServerProxy(url + '/xmlrpc/2/common').authenticate(
        DB, 'admin', 'admin', {})
    models = xmlrpc.client.ServerProxy(url + '/xmlrpc/2/object',
                                       allow_none=True)

    def call(model, method, *args, **kwargs):
        return models.execute_kw(DB, uid, 'admin', model, method,
                                 list(args), kwargs)

    session = call('training.session', 'create', {
        'name': 'Contrôle du job runner', 'calendar_invitations': True,
        'publication_state': 'published', 'capacity_max': 10})
    sequence = call('training.sequence', 'create',
                    {'session_id': session, 'name': 'Jour 1'})
    call('training.slot', 'create', {
        'sequence_id': sequence, 'date_start': '2031-03-03 08:00:00',
        'date_end': '2031-03-03 16:00:00'})
    partners = [call('res.partner', 'create', {
        'name': 'Stagiaire %d' % index,
        'email': 'runner%d@example.fr' % index}) for index in range(5)]
    jobs = call('queue.job', 'search', [])
    registrations = call('training.session', 'register_partners',
                         [session], partners, state='confirmed')
    assert len(registrations) == 5, registrations

    def done():
        states = [job['state'] for job in call(
            'queue.job', 'search_read', [('id', 'not in', jobs)],
            ['state'])]
        if states and all(state in ('done', 'failed') for state in states):
            return states
        return None

    states = wait(done, 120, 'the jobs run by the runner')
    assert set(states) == {'done'}, states
    pending = call('training.calendar.invitation', 'search_count', [
        ('session_id', '=', session), ('pending_method', '!=', False)])
    sent = call('training.session.mail.sent', 'search_read', [
        ('schedule_id.session_id', '=', session)], ['state'])
    assert pending == 0, '%d invitations left to send' % pending
    assert sent and {line['state'] for line in sent} == {'sent'}, sent
    print('[runner] %d jobs run by the job runner: 5 invitations and 5 '
          'registration mails sent' % len(states))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--source', default='training_test')
    args = parser.parse_args()
    copy_database(args.source)
    port = free_port()
    log = open(os.path.join(LOCAL, 'runner-check.log'), 'w')
    server = subprocess.Popen([
        os.path.join(ROOT, 'bin', 'odoo'), '-d', DB,
        '--db-filter=^%s$' % DB, '--http-port=%d' % port,
        '--load=base,web,queue_job', '--max-cron-threads=0',
        '--log-level=info'], stdout=log, stderr=subprocess.STDOUT)
    try:
        check(port)
    except Exception:
        log.flush()
        with open(log.name) as output:
            sys.stderr.write(output.read()[-5000:])
        raise
    finally:
        server.terminate()
        server.wait(30)
        drop_database()


if __name__ == '__main__':
    main()
