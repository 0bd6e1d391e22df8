"""Benchmark of the heavy paths, on a throw-away copy of a database.

    make test   # once, to get the training_test database
    .venv/bin/python tools/benchmark.py [--sessions 10000]

Copies training_test to training_bench, creates N sessions (one sequence
and one slot each in one of 20 rooms over three years, a registration on
every other one), then measures what
the sessions list does: the default page of 80 rows and a read of every
session, as a training user (record rules on), printing the time and the
number of SQL queries. Then the LHEO feed: exports M published,
validated sessions (each with an information session) and imports the
file back under other references (preview, then import). Last, registers
K trainees on a session of 20 slots in one operation, and prints its
attendance sheet. Last, runs the mail scheduler over S sessions of three
sequences and 20 participants whose every send is due
(``--only scheduler --scheduler S`` for that one alone). Last, the
calendar invitations of a session of 100 trainees and four sequences:
registered at once, a slot moved, the session cancelled
(``--only invitations``, ``--invitees N``). ``--only import --feed N``:
the LHEO import of N sessions alone. ``--only registrations``: the mass
registration alone. ``--only scheduler-domain --sessions N``: the
scheduler's search of what is due over N sessions, joined and as before.
"""
import argparse
import base64
import os
import subprocess
import time

import odoo
from odoo.modules.registry import Registry

LIST_FIELDS = [
    'code', 'name', 'course_id', 'session_type', 'date_start', 'date_end',
    'duration_hours', 'registered_count', 'capacity_max', 'user_id',
    'publication_state', 'state',
]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# lessc, for the report assets (as bin/odoo does)
os.environ['PATH'] = '%s:%s' % (
    os.path.join(ROOT, '.local', 'node', 'node_modules', '.bin'),
    os.environ.get('PATH', ''))


def measure(env, label, func):
    env.invalidate_all() if hasattr(env, 'invalidate_all') else env.clear()
    before, start = env.cr.sql_log_count, time.time()
    result = func()
    print('%-45s %8.3f s %6d queries' % (
        label, time.time() - start, env.cr.sql_log_count - before))
    return result


def populate(env, count):
    env = env(context=dict(env.context, tracking_disable=True,
                           mail_create_nolog=True, mail_notrack=True))
    Session = env['training.session']
    course = env['training.course'].create({'name': 'Benchmark'})
    rooms = [env['training.room'].create({'name': 'Room %s' % index})
             for index in range(20)]
    partner = env['res.partner'].create({'name': 'Benchmark trainee'})
    for index in range(count):
        session = Session.create({'name': 'Bench %s' % index,
                                  'course_id': course.id, 'year': 2030})
        sequence = env['training.sequence'].create(
            {'session_id': session.id, 'name': 'S'})
        # 20 rooms, three years, about two double bookings a day
        day = '%d-%02d-%02d' % (2030 + index % 3, index % 12 + 1,
                                index % 28 + 1)
        env['training.slot'].create({
            'sequence_id': sequence.id, 'room_id': rooms[index % 20].id,
            'date_start': day + ' 08:00:00', 'date_end': day + ' 12:00:00'})
        if index % 2:
            env['training.registration'].create({
                'session_id': session.id, 'partner_id': partner.id,
                'state': 'confirmed'})


def populate_feed(env, count):
    """``count`` published sessions validated by the funder, with what the
    catalogue needs."""
    env = env(context=dict(env.context, tracking_disable=True,
                           mail_create_nolog=True, mail_notrack=True))
    centre = env['res.partner'].create({
        'name': 'Centre Benchmark', 'is_company': True,
        'siret': '42199387400013', 'training_activity_number': '76340123434',
        'street': '3 rue de la Gare', 'zip': '34500', 'city': 'Béziers'})
    places = [env['res.partner'].create({
        'name': 'Lieu %d' % index, 'street': '%d rue Haute' % index,
        'zip': '34500', 'city': 'Béziers'}) for index in range(10)]
    courses = [env['training.course'].create({
        'name': 'Formation %d' % index, 'objectives': 'Objectifs',
        'description': '<p>Contenu</p>', 'expected_results': 'Attestation',
        'public_codes': '81042', 'organisation_id': centre.id})
        for index in range(20)]
    # validated as a change request validates them (the funder's data);
    # imported here: the addons path is known once Odoo is configured
    from odoo.addons.training_session.models.private_context import (
        CHANGE_REQUEST_KEY, with_private)
    env = with_private(env['training.session'], CHANGE_REQUEST_KEY).env
    Session = env['training.session']
    for index in range(count):
        session = Session.create({
            'name': 'Flux %d' % index, 'course_id': courses[index % 20].id,
            'year': 2031, 'place_id': places[index % 10].id, 'seats': 12,
            'publication_state': 'published', 'is_validated': True})
        day = '2031-%02d-%02d' % (index % 12 + 1, index % 28 + 1)
        env['training.sequence'].create({
            'session_id': session.id, 'name': 'S',
            'planned_date_start': day + ' 07:00:00',
            'planned_date_end': day + ' 15:00:00'})
        env['training.info.session'].create({
            'session_id': session.id, 'date': day, 'time_start': 9.0,
            'time_end': 11.0, 'seats': 10, 'street_name': 'rue Haute',
            'zip': '34500', 'city': 'Béziers'})
    return Session.search([('year', '=', '2031')])


def bench_feed(env, count):
    start = time.time()
    populate_feed(env, count)
    print('created %d feed sessions in %.1f s' % (count, time.time() - start))
    Feed = env['training.lheo.feed']
    company = env.user.company_id
    sessions = measure(env, 'LHEO: select the feed sessions',
                       lambda: Feed.feed_sessions(company))
    data, problems = measure(env, 'LHEO: check and build %d sessions' % len(
        sessions), lambda: Feed.render(sessions))
    assert not problems, problems
    print('  (%.1f MB)' % (len(data) / 1e6))
    data = data.replace(b'numero="2031-', b'numero="BACK-2031-')
    bench_import(env, data)


def bench_import(env, data):
    """Preview then import an LHEO file: the click (which queues a
    background job above a few hundred sessions), then the jobs, run here
    as the job runner would."""
    user = env.ref('training_session.user_training_user_demo')
    wizard = env['training.session.import'].sudo(user).create({
        'data_file': base64.b64encode(data), 'filename': 'feed.xml'})
    measure(env, 'LHEO: import preview, the click', wizard.action_preview)
    measure(env, 'LHEO: import preview, its job', lambda: run_jobs(env))
    measure(env, 'LHEO: import, the click', wizard.action_import)
    count = len(wizard.line_ids.filtered(lambda line: line.status ==
                                         'valid'))
    measure(env, 'LHEO: import, its jobs (%d sessions)' % count,
            lambda: run_jobs(env))
    print('  (%s)' % wizard.summary)


def run_jobs(env):
    """Run the queued jobs, and those they queue, as queue_job's runner
    does: each job in a transaction of its own, committed."""
    # imported here: the addons path is known once Odoo is configured
    from odoo.addons.training_session.tests.common import run_jobs as run
    run(env, rounds=10000, commit=True)


def bench_import_only(env, count):
    """Import an LHEO offer of ``count`` sessions made by the feed."""
    start = time.time()
    populate_feed(env, count)
    print('created %d feed sessions in %.1f s' % (count, time.time() - start))
    Feed = env['training.lheo.feed']
    sessions = Feed.feed_sessions(env.user.company_id)
    data, problems = Feed.render(sessions)
    assert not problems, problems
    print('  (%.1f MB)' % (len(data) / 1e6))
    # the import runs in jobs of their own, on committed data
    env.cr.commit()
    env.clear()
    bench_import(env, data.replace(b'numero="2031-', b'numero="BACK-2031-'))


def bench_registrations(env, count, slots=20):
    """Register ``count`` trainees on a session of ``slots`` slots in one
    operation (``count`` x ``slots`` attendance lines)."""
    env = env(context=dict(env.context, tracking_disable=True))
    session = env['training.session'].create(
        {'name': 'Inscriptions en masse', 'capacity_max': count})
    sequence = env['training.sequence'].create(
        {'session_id': session.id, 'name': 'Ateliers'})
    for index in range(slots):
        day = '2032-%02d-%02d' % (index % 12 + 1, index % 28 + 1)
        env['training.slot'].create({
            'sequence_id': sequence.id, 'date_start': day + ' 08:00:00',
            'date_end': day + ' 16:00:00'})
    partners = env['res.partner'].browse([
        env['res.partner'].create({'name': 'Stagiaire %d' % index}).id
        for index in range(count)])
    # statistics up to date, as autovacuum keeps them in production
    env.cr.execute('ANALYZE')
    registrations = measure(
        env, 'register %d trainees, %d slots' % (count, slots),
        lambda: session.register_partners(partners, state='confirmed'))
    print('  (%d registrations, %d attendance lines)' % (
        len(registrations), env['training.attendance'].search_count(
            [('session_id', '=', session.id)])))
    report = env.ref('training_session.action_report_attendance_sheet')
    measure(env, 'attendance sheet, HTML', lambda: report.render_qweb_html(
        session.ids))
    pdf = measure(env, 'attendance sheet, PDF (wkhtmltopdf)',
                  lambda: report.render_qweb_pdf(session.ids)[0])
    print('  (%d KB)' % (len(pdf) // 1024))


def bench_scheduler(env, count, sequences=3, participants=20):
    """The mail scheduler over ``count`` published sessions of
    ``sequences`` sequences and ``participants`` trainees each, every send
    due (the sessions are over)."""
    env = env(context=dict(env.context, tracking_disable=True,
                           mail_create_nolog=True, mail_notrack=True))
    trainer = env['res.partner'].create({'name': 'Formateur bench',
                                         'email': 'formateur@example.fr'})
    partners = env['res.partner'].browse([env['res.partner'].create({
        'name': 'Stagiaire %d' % index,
        'email': 'stagiaire%d@example.fr' % index}).id
        for index in range(participants)])
    start = time.time()
    for index in range(count):
        session = env['training.session'].create({
            'name': 'Envoi %d' % index, 'year': 2025,
            'trainer_ids': [(6, 0, trainer.ids)]})
        for number in range(sequences):
            day = '2025-%02d-%02d' % (number * 3 + 1, index % 28 + 1)
            sequence = env['training.sequence'].create({
                'session_id': session.id, 'name': 'S%d' % number})
            env['training.slot'].create({
                'sequence_id': sequence.id, 'date_start': day + ' 08:00:00',
                'date_end': day + ' 16:00:00'})
        session.register_partners(partners, state='confirmed')
        # published once filled: no registration mail in the way
        session.publication_state = 'published'
    print('created %d sessions x %d sequences x %d participants in %.1f s'
          % (count, sequences, participants, time.time() - start))
    Schedule = env['training.session.mail.schedule']
    due = Schedule.search_count(Schedule._due_domain())
    env.cr.execute('ANALYZE')
    mails_before = env['mail.mail'].search_count([])
    measure(env, 'mail scheduler, every send due', Schedule._cron_send_due)
    print('  (%d sends due, %d mails queued)' % (
        due, env['mail.mail'].search_count([]) - mails_before))


def bench_scheduler_domain(env, count):
    """The mail scheduler's search of the sends due, over ``count`` sessions
    (each with its default e-mail settings): with its many2one fields
    joined (auto_join, issue 18), then as before, where Odoo 11 searched
    every setting and passed all their ids in an IN list."""
    start = time.time()
    populate(env, count)
    print('created %d sessions in %.1f s' % (count, time.time() - start))
    Schedule = env['training.session.mail.schedule']
    Sent = env['training.session.mail.sent']
    env.cr.execute('ANALYZE')
    fields = [Schedule._fields['mail_id'], Schedule._fields['session_id'],
              Sent._fields['schedule_id']]
    for joined in (True, False):
        for field in fields:
            field.auto_join = joined
        label = 'joined' if joined else 'IN lists, as before'
        measure(env, 'scheduler: sends due (%s)' % label,
                lambda: Schedule.search(Schedule._due_domain()))
        measure(env, 'scheduler: registration mails due (%s)' % label,
                lambda: Sent.search(Sent._registration_due_domain()))
    for field in fields:
        field.auto_join = True


def bench_documentation(env, count):
    """The documentation mailing of a session of ``count`` trainees who
    have no portal user yet, as its training user clicks it, then its
    jobs (the portal users and the mails)."""
    env = env(context=dict(env.context, tracking_disable=True,
                           mail_create_nolog=True, mail_notrack=True))
    partners = env['res.partner'].browse([env['res.partner'].create({
        'name': 'Lecteur %d' % index,
        'email': 'lecteur%d@example.fr' % index}).id
        for index in range(count)])
    session = env['training.session'].create({
        'name': 'Documentation', 'year': 2031, 'capacity_max': count,
        'publication_state': 'published'})
    sequence = env['training.sequence'].create(
        {'session_id': session.id, 'name': 'Jour 1'})
    env['training.slot'].create({
        'sequence_id': sequence.id, 'date_start': '2031-03-02 08:00:00',
        'date_end': '2031-03-02 16:00:00'})
    session.register_partners(partners, state='confirmed')
    user = env.ref('training_session.user_training_user_demo')
    env.cr.execute('ANALYZE')
    wizard = env['training.documentation.wizard'].sudo(user).with_context(
        default_session_id=session.id).create({})
    measure(env, 'documentation to %d trainees, the click' % count,
            wizard.action_send)
    measure(env, '  ... its jobs (portal users, mails)',
            lambda: run_jobs(env))


def bench_invitations(env, participants=100, sequences=4):
    """The calendar invitations of one published session of ``sequences``
    sequences: ``participants`` trainees registered at once (one invitation
    each per sequence), a slot moved (one update each), the session
    cancelled (a cancellation each per sequence). Each action (the user's
    click), then the background jobs it queued (the mails)."""
    env = env(context=dict(env.context, tracking_disable=True,
                           mail_create_nolog=True, mail_notrack=True))
    partners = env['res.partner'].browse([env['res.partner'].create({
        'name': 'Invité %d' % index, 'lang': 'fr_FR' if index % 2 else
        False, 'email': 'invite%d@example.fr' % index}).id
        for index in range(participants)])
    session = env['training.session'].create({
        'name': 'Invitations', 'year': 2031, 'calendar_invitations': True,
        'publication_state': 'published', 'capacity_max': participants})
    slots = env['training.slot']
    for number in range(sequences):
        day = '2031-03-%02d' % (number + 2)
        sequence = env['training.sequence'].create({
            'session_id': session.id, 'name': 'Jour %d' % (number + 1)})
        slots |= env['training.slot'].create({
            'sequence_id': sequence.id, 'date_start': day + ' 08:00:00',
            'date_end': day + ' 16:00:00'})
    Mail = env['mail.mail']
    for label, func in (
            ('invitations: %d trainees registered' % participants,
             lambda: session.register_partners(partners, state='confirmed')),
            ('invitations: a slot moved (updates)',
             lambda: slots[0].write({'date_start': '2031-03-02 09:00:00'})),
            ('invitations: the session cancelled',
             lambda: session.action_cancel())):
        before = Mail.search_count([])
        jobs = env['queue.job'].search_count([])
        measure(env, label, func)
        print('  (%d jobs queued)' % (
            env['queue.job'].search_count([]) - jobs))
        measure(env, '  ... its jobs', lambda: run_jobs(env))
        print('  (%d mails queued)' % (Mail.search_count([]) - before))


# ``--only``: one benchmark alone, with its own size argument
ONLY = {
    'scheduler': lambda env, args: bench_scheduler(env, args.scheduler),
    'invitations': lambda env, args: bench_invitations(env, args.invitees),
    'documentation': lambda env, args: bench_documentation(
        env, args.trainees),
    'scheduler-domain': lambda env, args: bench_scheduler_domain(
        env, args.sessions),
    'registrations': lambda env, args: bench_registrations(
        env, args.trainees),
    'import': lambda env, args: bench_import_only(env, args.feed),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--source', default='training_test')
    parser.add_argument('--db', default='training_bench')
    parser.add_argument('--sessions', type=int, default=10000)
    parser.add_argument('--feed', type=int, default=2000)
    parser.add_argument('--trainees', type=int, default=500)
    parser.add_argument('--scheduler', type=int, default=1000,
                        help='sessions of the mail scheduler run')
    parser.add_argument('--invitees', type=int, default=100,
                        help='trainees of the calendar invitations run')
    parser.add_argument('--only', choices=sorted(ONLY),
                        help='run only this benchmark')
    args = parser.parse_args()
    psql = ['psql', '-q', '-h', os.path.join(ROOT, '.local', 'pgsocket'),
            '-U', 'odoo', '-d', 'postgres', '-c']
    subprocess.check_call(psql + ['DROP DATABASE IF EXISTS "%s"' % args.db])
    subprocess.check_call(psql + ['CREATE DATABASE "%s" TEMPLATE "%s"' % (
        args.db, args.source)])
    odoo.tools.config.parse_config([
        '-c', os.path.join(ROOT, '.local', 'odoo.conf'), '-d', args.db,
        '--log-level=warn'])
    registry = Registry(args.db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if args.only:
            ONLY[args.only](env, args)
            return
        start = time.time()
        populate(env, args.sessions)
        print('created %d sessions in %.1f s' % (
            args.sessions, time.time() - start))
        user = env.ref('training_session.user_training_user_demo')
        Session = env['training.session'].sudo(user)
        Slot = env['training.slot'].sudo(user)
        # warm the per-process caches (access rights, rules) first
        Session.search_read([], LIST_FIELDS, limit=1)
        Slot.search_read([], ['has_conflict'], limit=1)
        measure(env, 'sessions list, first page (80 rows)',
                lambda: Session.search_read([], LIST_FIELDS, limit=80))
        total = measure(env, 'sessions list, all rows',
                        lambda: Session.search_read([], LIST_FIELDS))
        print('  (%d sessions read)' % len(total))
        measure(env, 'sessions grouped by course (read_group)',
                lambda: Session.read_group([], ['course_id', 'duration_hours'],
                                           ['course_id']))
        measure(env, 'planning list, first page (80 slots)',
                lambda: Slot.search_read([], [
                    'session_id', 'date_start', 'date_end', 'room_id',
                    'trainer_ids', 'has_conflict'], limit=80))
        measure(env, 'double-booking filter over all slots',
                lambda: Slot.search_count([('has_conflict', '=', True)]))
        bench_feed(env, args.feed)
        bench_registrations(env, args.trainees)
        bench_scheduler(env, args.scheduler)
        bench_invitations(env, args.invitees)
        cr.commit()


if __name__ == '__main__':
    main()
