# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from .common import TrainingCase

# The fields of the sessions list view, including the non-stored count.
LIST_FIELDS = [
    'code', 'name', 'course_id', 'session_type', 'date_start', 'date_end',
    'duration_hours', 'registered_count', 'capacity_max', 'user_id',
    'publication_state', 'state',
]


class TestBatchedComputes(TrainingCase):
    """Opening a list must not run one query per session."""

    @classmethod
    def setUpClass(cls):
        super(TestBatchedComputes, cls).setUpClass()
        population = cls.env['training.population'].create({
            'name': 'Perf', 'user_ids': [(6, 0, cls.user.ids)]})
        cls.sessions = cls.env['training.session']
        for index in range(60):
            session = cls._create_session(
                name='Perf %s' % index,
                population_ids=[(6, 0, population.ids)] if index % 2 else [])
            cls._add_sequence(session, slots=[
                ('2027-02-01 08:00:00', '2027-02-01 12:00:00',
                 {'room_id': cls.room.id})])
            cls.env['training.registration'].create({
                'session_id': session.id, 'state': 'confirmed',
                'partner_id': cls.Partner.create({'name': 'P%s' % index}).id})
            cls.sessions |= session

    def _queries_to_read(self, model, records, fields):
        """Queries to read ``fields`` of ``records`` as a training user,
        with warm access caches (ACLs and rules are cached per process)."""
        records = records.sudo(self.user)
        records[:1].search_read([('id', 'in', records[:1].ids)], fields)
        records.invalidate_cache()
        before = self.cr.sql_log_count
        records.search_read([('id', 'in', records.ids)], fields)
        return self.cr.sql_log_count - before

    def test_session_list_queries_do_not_grow(self):
        few = self._queries_to_read('training.session', self.sessions[:5],
                                    LIST_FIELDS)
        many = self._queries_to_read('training.session', self.sessions,
                                     LIST_FIELDS)
        self.assertEqual(few, many)

    def test_slot_list_queries_do_not_grow(self):
        fields = ['session_id', 'sequence_id', 'date_start', 'date_end',
                  'duration_hours', 'room_id', 'trainer_ids', 'has_conflict']
        slots = self.sessions.mapped('slot_ids')
        few = self._queries_to_read('training.slot', slots[:5], fields)
        many = self._queries_to_read('training.slot', slots, fields)
        self.assertEqual(few, many)
        self.assertTrue(all(slots.mapped('has_conflict')),
                        'all these slots share the same room and time')

    def test_course_session_count_batched(self):
        courses = self.env['training.course']
        for index in range(20):
            course = self.env['training.course'].create(
                {'name': 'C%s' % index})
            self.sessions[index].course_id = course
            courses |= course
        few = self._queries_to_read('training.course', courses[:2],
                                    ['name', 'session_count'])
        many = self._queries_to_read('training.course', courses,
                                     ['name', 'session_count'])
        self.assertEqual(few, many)


class TestDependencyShortcuts(TrainingCase):
    """The stored computations stay right with the shortcuts of
    training.create.trigger.mixin: a new planning, nested or not, a slot
    moved, a sequence moved to another session (its former session is
    recomputed too)."""

    def test_dates_follow_the_planning(self):
        first = self._create_session(name='Avant')
        january = self._add_sequence(first, 'Janvier', slots=[
            ('2027-01-11 08:00:00', '2027-01-11 16:00:00')])
        march = self._add_sequence(first, 'Mars', slots=[
            ('2027-03-08 08:00:00', '2027-03-08 12:00:00')])
        self.assertEqual((first.date_start, first.date_end),
                         ('2027-01-11 08:00:00', '2027-03-08 12:00:00'))
        self.assertEqual(first.duration_hours, 12)
        # created with its planning in one call
        second = self._create_session(name='Après', sequence_ids=[(0, 0, {
            'name': 'Juin', 'slot_ids': [(0, 0, {
                'date_start': '2027-06-07 07:00:00',
                'date_end': '2027-06-07 15:00:00'})]})])
        self.assertEqual((second.date_start, second.date_end,
                          second.duration_hours),
                         ('2027-06-07 07:00:00', '2027-06-07 15:00:00', 8))
        self.assertEqual(second.slot_ids.session_id, second)
        march.slot_ids.write({'date_end': '2027-03-08 15:00:00'})
        self.assertEqual((first.date_end, first.duration_hours),
                         ('2027-03-08 15:00:00', 15))
        march.session_id = second
        self.assertEqual((first.date_start, first.date_end,
                          first.duration_hours),
                         ('2027-01-11 08:00:00', '2027-01-11 16:00:00', 8))
        self.assertEqual((second.date_start, second.date_end,
                          second.duration_hours),
                         ('2027-03-08 08:00:00', '2027-06-07 15:00:00', 15))
        self.assertEqual(march.slot_ids.session_id, second)
        self.assertEqual(january.session_id, first)

    def _cached_then_read(self, records):
        """{record: (values in the cache, values read back)} of the plain
        stored fields the cache holds for ``records``."""
        result = {}
        for record in records:
            names = [name for name in record._cache
                     if record._fields[name].store and
                     record._fields[name].column_type]
            cached = {name: record._cache[name] for name in names}
            record.invalidate_cache(names, record.ids)
            result[record] = (cached, {name: record._cache[name]
                                       for name in names
                                       if record[name] is not None})
        return result

    def test_cached_values_are_those_stored(self):
        """A new record's columns and the values just written are cached
        as the database holds them (text cut to its size, floats
        rounded, many2one ids), not read back."""
        session = self._create_session(
            name='Caché', year='2027', capacity_max=12,
            external_ref='CACHE-1', comment='Commentaire')
        sequence = self._add_sequence(
            session, 'Matin', planned_date_start='2027-02-01 08:00:00',
            planned_date_end='2027-02-01 12:00:00')
        info = self.env['training.info.session'].create({
            'session_id': session.id, 'date': '2027-01-15',
            'time_start': 9.5, 'time_end': 11.25, 'seats': 8,
            'street_name': '2 rue du Marché', 'zip': '67000',
            'city': 'Strasbourg'})
        self.assertEqual(session._cache['year'], '2027')
        self.assertEqual(sequence._cache['session_id'], session._ids)
        sequence.write({'planned_date_end': '2027-02-01 12:30:00'})
        self.assertEqual(sequence._cache['planned_date_end'],
                         '2027-02-01 12:30:00')
        checked = self._cached_then_read([session, sequence, info])
        self.assertGreater(len(checked[info][0]), 8)
        for record, (cached, stored) in checked.items():
            self.assertEqual(cached, stored, record)

    def test_new_record_reads_nothing_back(self):
        """A sequence added to a new session is checked (its dates, its
        session's component dates) from what was inserted: no read of
        the sequence, nor of its slots (none yet)."""
        session = self._create_session(name='Sans relecture')
        Sequence = self.env['training.sequence']
        logged = []
        cursor = type(self.cr)
        execute = cursor.execute

        def spy(cr, query, params=None, log_exceptions=None):
            logged.append(str(query))
            return execute(cr, query, params) if log_exceptions is None \
                else execute(cr, query, params, log_exceptions)
        cursor.execute = spy
        try:
            Sequence.create({
                'session_id': session.id, 'name': 'Seule',
                'planned_date_start': '2027-03-01 08:00:00',
                'planned_date_end': '2027-03-01 12:00:00'})
        finally:
            cursor.execute = execute
        self.assertTrue(any(query.startswith('INSERT INTO "training_sequ')
                            for query in logged))
        reads = [query for query in logged if query.startswith(
            ('SELECT "training_sequence"."id" as "id"',
             'SELECT "training_slot".id'))]
        self.assertEqual(reads, [])

    def test_checks_compute_each_record_once(self):
        """Under norecompute, each new sequence's check of its dates
        computes them for itself, not again for every sequence waiting
        (Odoo 11 would: quadratic in an import's batch)."""
        session = self._create_session(name='Lot')
        Sequence = type(self.env['training.sequence'])
        computed = []
        compute = Sequence._compute_dates

        def counting(records):
            computed.append(len(records))
            return compute(records)
        Sequence._compute_dates = counting
        try:
            with self.env.norecompute():
                for index in range(12):
                    self._add_sequence(
                        session, 'S%d' % index,
                        planned_date_start='2027-03-%02d 08:00:00' % (
                            index + 1),
                        planned_date_end='2027-03-%02d 12:00:00' % (
                            index + 1))
                self.env['training.sequence'].recompute()
        finally:
            Sequence._compute_dates = compute
        self.assertLessEqual(sum(computed), 12 + 2)
        self.assertEqual(session.date_start, '2027-03-01 08:00:00')
        self.assertEqual(session.date_end, '2027-03-12 12:00:00')


class TestFanOutCosts(TrainingCase):
    """Issue 18: registering, moving a slot and cancelling cost a number of
    queries that does not grow with the number of trainees (the mails go
    by background jobs); the scheduler's domain is one query."""

    @classmethod
    def setUpClass(cls):
        super(TestFanOutCosts, cls).setUpClass()
        cls.partners = cls.Partner.browse([cls.Partner.create({
            'name': 'Stagiaire %d' % index,
            'email': 'stagiaire%d@example.fr' % index}).id
            for index in range(40)])

    def _session(self):
        session = self._create_session(
            name='Invitations', calendar_invitations=True,
            publication_state='published', capacity_max=100)
        slots = self.Slot
        for number in range(3):
            sequence = self._add_sequence(session, 'Jour %d' % number, slots=[
                ('2027-03-%02d 08:00:00' % (number + 2),
                 '2027-03-%02d 16:00:00' % (number + 2))])
            slots |= sequence.slot_ids
        return session, slots

    def _queries(self, func):
        self.env.clear()
        before = self.cr.sql_log_count
        func()
        return self.cr.sql_log_count - before

    def _costs(self, count):
        """Queries of registering ``count`` trainees, moving a slot and
        cancelling the session."""
        session, slots = self._session()
        partners = self.partners[:count]
        register = self._queries(lambda: session.register_partners(
            partners, state='confirmed'))
        move = self._queries(lambda: slots[0].write(
            {'date_start': '2027-03-02 09:00:00'}))
        cancel = self._queries(session.action_cancel)
        return register, move, cancel

    def test_queries_do_not_grow_with_the_trainees(self):
        # warm the per-process caches first
        self._costs(2)
        few = self._costs(5)
        # 90 invitations: still one job (a job per 100 costs about 30
        # queries, queue.job being a mail.thread)
        many = self._costs(30)
        for label, small, large in zip(('register', 'move', 'cancel'),
                                       few, many):
            self.assertLessEqual(large - small, 5, '%s: %d queries for 5 '
                                 'trainees, %d for 30' % (label, small, large))
        # issue 18: at most 3 queries per registration
        self.assertLessEqual(many[0], 3 * 30)

    def test_scheduler_domain_is_one_query(self):
        Schedule = self.env['training.session.mail.schedule']
        for index in range(5):
            self._session()
        Schedule.search(Schedule._due_domain())
        before = self.cr.sql_log_count
        Schedule.search(Schedule._due_domain())
        self.assertEqual(self.cr.sql_log_count - before, 1)
        Sent = self.env['training.session.mail.sent']
        Sent.search(Sent._registration_due_domain())
        before = self.cr.sql_log_count
        Sent.search(Sent._registration_due_domain())
        self.assertEqual(self.cr.sql_log_count - before, 1)
