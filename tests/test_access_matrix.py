# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The access matrix (issue 13): for every model of the addon and every
role, with a real user, on records of the role's own scope and on records
of another party, every ORM operation a client can call (search, read,
read_group, export_data, write, create, unlink) is tried and compared
with EXPECTATIONS, the specification of what each role may do and on
which records. ACLs are checked against the same table.

A model of the addon missing from EXPECTATIONS fails the suite: a new
model needs its expectations, its ACLs and its rules. The wizards
(transient models) are out of scope: they are skipped.
"""
import base64
import itertools

import psycopg2

from odoo.exceptions import AccessError, except_orm

from .common import CertificationCase

MODULE = 'training_session'

# ---------------------------------------------------------------- roles
ROLES = ('user', 'manager', 'admin', 'trainer', 'tutor', 'trainee',
         'delegate', 'cert_manager', 'portal')
# the group of each role; the plain portal user has no training group
ROLE_GROUPS = {
    'user': 'group_training_session_user',
    'manager': 'group_training_session_manager',
    'admin': 'group_training_session_admin',
    'trainer': 'group_training_session_trainer',
    'tutor': 'group_training_session_tutor',
    'trainee': 'group_training_session_trainee',
    'delegate': 'group_training_session_certification_delegate',
    'cert_manager': 'group_training_session_certification_manager',
    'portal': None,
}
OPERATIONS = 'rwcu'
ACL_MODES = {'r': 'read', 'w': 'write', 'c': 'create', 'u': 'unlink'}

# --------------------------------------------------------------- scopes
# which records an allowed operation may touch
ALL = 'all'
# training user: sessions with no population or a population they belong
# to, and the records hanging off such sessions
POPULATION = 'population'
# trainer: sessions they teach (session trainer, slot trainer or
# co-trainer) and what hangs off them
TAUGHT = 'taught'
# tutor: sessions they follow and what hangs off them
FOLLOWED = 'followed'
# trainee: published sessions they are registered to, and what hangs off
REGISTERED = 'registered'
# trainee: their own registrations and attendance lines
OWN = 'own'
# certification delegate: the certification sessions they declared for
# their entity, and what hangs off them
DECLARED = 'declared'
# certification manager: what belongs to their entity
ENTITY = 'entity'
# trainer: the certification sessions they are the trainer of
CERTIFIED = 'certified'
# trainer: their own qualifications
QUALIFIED = 'qualified'
# training user: the imports they started
LAUNCHED = 'launched'

# how each model reaches what its scope is about: the session, the
# certification session, or the record itself ('')
SESSION_PATHS = {
    'training.session': '',
    'training.sequence': 'session_id',
    'training.slot': 'sequence_id.session_id',
    'training.registration': 'session_id',
    'training.attendance': 'registration_id.session_id',
    'training.attendance.history': 'attendance_id.registration_id.session_id',
    'training.info.session': 'session_id',
    'training.cost.line': 'session_id',
    'training.funding': 'session_id',
    'training.session.mail': 'session_id',
    'training.session.mail.schedule': 'mail_id.session_id',
    'training.session.mail.sent': 'schedule_id.mail_id.session_id',
    'training.calendar.invitation': 'registration_id.session_id',
    'training.change.request': 'session_id',
    'training.change.request.info': 'request_id.session_id',
    'training.change.request.line': 'request_id.session_id',
}
CERTIFICATION_PATHS = {
    'training.certification.session': '',
    'training.certification.candidate': 'session_id',
    'training.certificate': 'session_id',
}
SESSION_SCOPES = {POPULATION, TAUGHT, FOLLOWED, REGISTERED}
CERTIFICATION_SCOPES = {DECLARED, ENTITY, CERTIFIED}

# ---------------------------------------------------------- expectations
NONE = ('', None)
FULL = ('rwcu', ALL)
READ = ('r', ALL)


def rights(user=NONE, manager=NONE, admin=NONE, trainer=NONE, tutor=NONE,
           trainee=NONE, delegate=NONE, cert_manager=NONE, portal=NONE):
    """{role: (allowed operations among 'rwcu', scope of the allowed
    ones)}; a role not given may do nothing."""
    return {'user': user, 'manager': manager, 'admin': admin,
            'trainer': trainer, 'tutor': tutor, 'trainee': trainee,
            'delegate': delegate, 'cert_manager': cert_manager,
            'portal': portal}


# the sessions and what hangs off them, as the portal roles see them
SESSION_DATA = dict(user=('rwcu', POPULATION), manager=FULL, admin=FULL,
                    trainer=('r', TAUGHT), tutor=('r', FOLLOWED),
                    trainee=('r', REGISTERED))
# the back office's records of a session: costs, fundings, mail settings,
# schedules, invitations, change requests; never read by portal roles
BACK_OFFICE_DATA = dict(user=('rwcu', POPULATION), manager=FULL,
                        admin=FULL)
# catalogue and reference data read by every training role
CATALOGUE = dict(user=READ, manager=FULL, admin=FULL, trainer=READ,
                 tutor=READ, trainee=READ)
# configuration: administrators only, read by the back office
CONFIGURATION = dict(user=READ, manager=READ, admin=FULL)

EXPECTATIONS = {
    # sessions and their planning
    'training.session': rights(**SESSION_DATA),
    'training.sequence': rights(**SESSION_DATA),
    'training.slot': rights(**SESSION_DATA),
    'training.info.session': rights(**SESSION_DATA),
    'training.registration': rights(**dict(SESSION_DATA,
                                           trainee=('r', OWN))),
    # trainers record the attendance, tutors validate it, trainees read
    # their own (they sign through a method)
    'training.attendance': rights(**dict(
        SESSION_DATA, trainer=('rw', TAUGHT), tutor=('rw', FOLLOWED),
        trainee=('r', OWN))),
    # what happened to signed attendance: read as the attendance, written
    # by its signing and correction methods only (as superuser)
    'training.attendance.history': rights(
        user=('r', POPULATION), manager=READ, admin=READ,
        trainer=('r', TAUGHT), tutor=('r', FOLLOWED), trainee=('r', OWN)),
    # money, mails and invitations of a session: back office only
    'training.cost.line': rights(**BACK_OFFICE_DATA),
    'training.funding': rights(**BACK_OFFICE_DATA),
    'training.session.mail': rights(**BACK_OFFICE_DATA),
    'training.session.mail.schedule': rights(**BACK_OFFICE_DATA),
    'training.calendar.invitation': rights(**BACK_OFFICE_DATA),
    # the log of sent session mails: read as its sessions, written by the
    # scheduler only (as superuser), by no role through the ORM
    'training.session.mail.sent': rights(
        user=('r', POPULATION), manager=READ, admin=READ),
    # change requests: the population scope of their sessions
    'training.change.request': rights(**BACK_OFFICE_DATA),
    'training.change.request.info': rights(**BACK_OFFICE_DATA),
    # their summaries, recorded by the decision (never written by hand)
    'training.change.request.line': rights(**BACK_OFFICE_DATA),
    # catalogue
    'training.course': rights(**CATALOGUE),
    'training.room': rights(**dict(CATALOGUE, manager=('rwc', ALL))),
    # the organisation's populations (with their users): back office only
    'training.population': rights(user=READ, manager=READ, admin=FULL),
    'training.scheme': rights(**dict(CATALOGUE, manager=READ)),
    'training.certification.scheme': rights(**dict(
        CATALOGUE, manager=READ, delegate=READ, cert_manager=READ)),
    # funded actions (manual 002)
    'training.action': rights(**CATALOGUE),
    'training.action.component': rights(**CATALOGUE),
    # the funder's budget figures: back office only
    'training.action.component.volume': rights(user=READ, manager=FULL,
                                               admin=FULL),
    # configuration of costs and mails: back office only
    'training.cost.type': rights(**CONFIGURATION),
    'training.course.cost': rights(user=READ, manager=FULL, admin=FULL),
    'training.mail.default': rights(user=READ, manager=FULL, admin=FULL),
    # documents the tutors send to their trainees (manual 004)
    'training.document.folder': rights(user=FULL, manager=FULL,
                                       admin=FULL, tutor=READ),
    # certification reference data (manual 003)
    'training.certificate.type': rights(**dict(
        CONFIGURATION, trainer=READ, delegate=READ, cert_manager=READ)),
    'training.habilitation': rights(**dict(
        CONFIGURATION, delegate=('r', ENTITY), cert_manager=('r', ENTITY))),
    'training.trainer.qualification': rights(**dict(
        CONFIGURATION, trainer=('r', QUALIFIED))),
    # certification sessions: the entity enters them, the trainer records
    # the results, training administrators read them
    'training.certification.session': rights(
        admin=READ, trainer=('rw', CERTIFIED), delegate=('rwcu', DECLARED),
        cert_manager=('rwcu', ENTITY)),
    'training.certification.candidate': rights(
        admin=READ, trainer=('rw', CERTIFIED), delegate=('rwcu', DECLARED),
        cert_manager=('rwcu', ENTITY)),
    # imports of partner sessions: each user's own, all for the managers;
    # their state, results and lines are written by the import itself
    'training.session.import': rights(user=('rwcu', LAUNCHED),
                                      manager=FULL, admin=FULL),
    'training.session.import.line': rights(user=('rwcu', LAUNCHED),
                                           manager=FULL, admin=FULL),
    # certificates: generated and purged by the workflow (as superuser)
    'training.certificate': rights(
        admin=READ, trainer=('r', CERTIFIED), delegate=('r', DECLARED),
        cert_manager=('r', ENTITY)),
}

# the field written by the write attempts, when introspection (the first
# stored, writable char or text field, else number) does not fit: {model:
# {role or 'default': (field, value)}}
WRITE_VALUES = {
    'training.registration': {
        'default': ('complementary_funding', 'Access matrix')},
    'training.attendance': {'default': ('comment', 'Access matrix')},
    'training.attendance.history': {'default': ('reason', 'Access matrix')},
    'training.session.mail.schedule': {
        'default': ('sent_date', '2020-01-01 00:00:00')},
    'training.calendar.invitation': {'default': ('error', 'Access matrix')},
    'training.certification.session': {
        'default': ('place_city', 'Valence'),
        'trainer': ('return_comment', 'Access matrix')},
    'training.certification.candidate': {
        'default': ('national_number', 'MATRIX1'),
        'trainer': ('result', 'pass')},
    'training.certificate': {'default': ('pdf_filename', 'matrix.pdf')},
    'training.trainer.qualification': {
        'default': ('date_to', '2030-12-31')},
    'training.change.request.line': {
        'default': ('value_after', 'Access matrix')},
    'training.session.import': {'default': ('filename', 'matrix.csv')},
    'training.session.import.line': {
        'default': ('message', 'Access matrix')},
}

INFO_VALUES = {'date': '2027-01-15', 'time_start': 9.0, 'time_end': 10.0,
               'seats': 5, 'street_name': 'des Essais', 'zip': '34000',
               'city': 'MONTPELLIER'}

_savepoints = itertools.count()


class TestAccessMatrix(CertificationCase):
    """Every model x role x operation, on a fixture of the roles' own
    records and of another party's records."""

    @classmethod
    def setUpClass(cls):
        super(TestAccessMatrix, cls).setUpClass()
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=True, mail_notrack=True,
            mail_create_nosubscribe=True))
        # certification sessions are entered around their end date
        cls._today_patch = cls._today(cls.TODAY)
        cls._today_patch.start()
        cls.portal_user = cls.env['res.users'].create({
            'name': 'Plain Portal', 'login': 'm_portal',
            'email': 'm_portal@example.com',
            'groups_id': [(6, 0, cls.env.ref('base.group_portal').ids)]})
        cls.role_users = {
            'user': cls.user, 'manager': cls.manager, 'admin': cls.admin,
            'trainer': cls.trainer, 'tutor': cls.tutor,
            'trainee': cls.trainee, 'delegate': cls.delegate_a,
            'cert_manager': cls.manager_a, 'portal': cls.portal_user,
        }
        cls._build_training_fixture()
        cls._build_import_fixture()
        cls._build_certification_fixture()
        cls._collect_records()

    @classmethod
    def tearDownClass(cls):
        patch = getattr(cls, '_today_patch', None)
        if patch:
            patch.stop()
        super(TestAccessMatrix, cls).tearDownClass()

    # ------------------------------------------------------------ fixture
    @classmethod
    def _build_training_fixture(cls):
        """Two sessions: ``own``, in the scope of every training role
        (population P1 with the training user, taught by the trainer,
        followed by the tutor, the trainee registered, published), and
        ``foreign``, another party's (population P2 without the training
        user, taught by another trainer, no tutor, another trainee), each
        with every record that hangs off a session."""
        Partner = cls.Partner
        ref = cls.env.ref
        Population = cls.env['training.population']
        cls.pop_own = Population.create({
            'name': 'Matrix P1', 'user_ids': [(6, 0, cls.user.ids)]})
        cls.pop_foreign = Population.create({
            'name': 'Matrix P2', 'user_ids': [(6, 0, cls.user2.ids)]})
        cls.teaching = ref('training_session.training_cost_type_teaching')
        cls.catering = ref('training_session.training_cost_type_catering')
        cls.course = cls.env['training.course'].create({
            'name': 'Matrix course',
            'default_cost_ids': [(0, 0, {'cost_type_id': cls.teaching.id,
                                         'amount': 100.0})],
            'mail_default_ids': [(0, 0, {'kind': 'reminder',
                                         'trigger': 'session_start'})]})
        cls.scheme = cls.env['training.scheme'].create(
            {'name': 'Matrix scheme'})
        cls.folder = cls.env['training.document.folder'].create(
            {'name': 'Matrix documents'})
        cls.action = cls.env['training.action'].create(
            {'name': 'Matrix action', 'number': 'MATRIX-ACTION-1'})
        cls.component = cls.env['training.action.component'].create({
            'action_id': cls.action.id, 'number': '01', 'code': 'MTX',
            'name': 'Matrix component', 'date_start': '2026-01-01',
            'date_end': '2028-12-31'})
        cls.volume = cls.env['training.action.component.volume'].create(
            {'component_id': cls.component.id, 'name': 'Matrix hours'})
        cls.place = Partner.create({'name': 'Matrix place',
                                    'city': 'BEZIERS', 'zip': '34500'})
        cls.spare = Partner.create({'name': 'Matrix spare',
                                    'email': 'spare@example.com'})
        cls.other_trainee = Partner.create(
            {'name': 'Other Trainee', 'email': 'other@example.com'})
        cls.fellow = Partner.create(
            {'name': 'Fellow Trainee', 'email': 'fellow@example.com'})
        cls.own = cls._fixture_session(
            'Matrix own', cls.pop_own, cls.trainer.partner_id,
            tutor_ids=[(6, 0, cls.tutor.partner_id.ids)])
        cls.foreign = cls._fixture_session(
            'Matrix foreign', cls.pop_foreign, cls.other_trainer)
        cls.draft_registrations = {}
        for session, trainee in ((cls.own, cls.trainee.partner_id),
                                 (cls.own, cls.fellow),
                                 (cls.foreign, cls.other_trainee)):
            cls.Registration.create({
                'session_id': session.id, 'partner_id': trainee.id,
                'state': 'confirmed'})
        for session in cls.own | cls.foreign:
            # a request, without attendance nor invitation: the parent of
            # the attendance lines and invitations the create attempts make
            cls.draft_registrations[session] = cls.Registration.create({
                'session_id': session.id, 'state': 'draft',
                'partner_id': Partner.create(
                    {'name': 'Request %s' % session.name}).id})
            cls._fixture_session_records(session)

    @classmethod
    def _build_import_fixture(cls):
        """An import previewed by the training user, another by another
        training user."""
        Import = cls.env['training.session.import']
        cls.imports = Import.browse()
        for user in cls.user | cls.user2:
            record = Import.sudo(user).create({
                'data_file': base64.b64encode(
                    b'external_ref;name;date_start;date_end\n'
                    b'M-1;Matrix;01/03/2027;02/03/2027\n'),
                'filename': 'matrix-%s.csv' % user.login})
            record.action_preview()
            cls.imports |= record.sudo()

    @classmethod
    def _fixture_session(cls, name, population, trainer, **vals):
        session = cls._create_session(
            name=name, year='2027', publication_state='published',
            calendar_invitations=True, component_id=cls.component.id,
            session_number=name[-3:], population_ids=[(6, 0, population.ids)],
            **vals)
        cls._add_sequence(session, 'Matrix sequence', slots=[
            ('2027-02-01 08:00:00', '2027-02-01 16:00:00',
             {'trainer_ids': [(6, 0, trainer.ids)]})])
        return session

    @classmethod
    def _fixture_session_records(cls, session):
        env = cls.env
        env['training.cost.line'].create({
            'session_id': session.id, 'cost_type_id': cls.teaching.id,
            'amount': 250.0})
        env['training.funding'].create({
            'session_id': session.id, 'funder_id': cls.place.id,
            'amount': 100.0})
        env['training.info.session'].create(dict(
            INFO_VALUES, session_id=session.id))
        request = env['training.change.request'].create({
            'component_id': cls.component.id, 'session_id': session.id,
            'session_number': session.session_number,
            'date_start': '2027-02-01', 'date_end': '2027-02-28',
            'place_id': cls.place.id, 'seats': 12,
            'info_ids': [(0, 0, INFO_VALUES)]})
        # the summary lines a decision records
        request._record_summary()
        # the scheduler's log of a sent mail (the registration mails may
        # have made some already)
        Sent = env['training.session.mail.sent']
        if not Sent.search([('schedule_id.mail_id.session_id', '=',
                             session.id)]):
            schedule = session.mail_ids.mapped('schedule_ids')[:1]
            assert schedule, 'no mail schedule on %s' % session.name
            Sent.create({'schedule_id': schedule.id,
                         'partner_id': session.registration_ids[:1]
                         .partner_id.id})
        # a correction of each of its attendance lines
        attendances = session.registration_ids.mapped('attendance_ids')
        assert attendances, 'no attendance on %s' % session.name
        for attendance in attendances:
            env['training.attendance.history'].create({
                'attendance_id': attendance.id, 'event': 'correction',
                'user_id': env.uid, 'state_before': 'todo',
                'state_after': 'present', 'reason': 'Matrice'})

    @classmethod
    def _build_certification_fixture(cls):
        """Entity A's sessions: one the delegate declared (the trainer's,
        submitted to them, with a certificate), one another delegate of A
        declared (draft); entity B's session, of another trainer, with a
        candidate and a certificate."""
        cls.cert_own = cls._submitted_session(cls.delegate_a).with_env(
            cls.env)
        cls.cert_colleague = cls._new_certification_session(
            cls.delegate_a2).with_env(cls.env)
        cls._add_candidates(cls.cert_colleague, cls.delegate_a2,
                            'Martin Paul')
        other_trainer = cls.Partner.create({
            'name': 'Other Certifier', 'training_national_number': 'FP999'})
        cls.other_qualification = cls.env[
            'training.trainer.qualification'].create({
                'trainer_id': other_trainer.id, 'scheme_id': cls.sst.id,
                'date_from': '2026-01-01', 'date_to': '2027-12-31'})
        cls.cert_foreign = cls.CertSession.create({
            'entity_id': cls.entity_b.id, 'user_id': cls.delegate_b.id,
            'scheme_id': cls.sst.id,
            'certificate_type_id': cls.sst_type.id, 'place_zip': '26000',
            'place_city': 'Valence', 'training_kind': 'initial',
            'date_end': cls.END, 'trainer_id': other_trainer.id,
            'state': 'entity_validation'})
        cls.env['training.certification.candidate'].create({
            'session_id': cls.cert_foreign.id, 'lastname': 'Durand',
            'firstname': 'Luc', 'birthdate': '1975-03-02',
            'result': 'pass'})
        Certificate = cls.env['training.certificate']
        for session in cls.cert_own | cls.cert_foreign:
            candidate = session.candidate_ids[:1]
            Certificate.create({
                'name': 'CERT-MATRIX-%s' % session.id,
                'session_id': session.id, 'candidate_id': candidate.id,
                'scheme_id': session.scheme_id.id,
                'certificate_type_id': session.certificate_type_id.id,
                'training_kind': session.training_kind,
                'trainer_id': session.trainer_id.id,
                'date_start': cls.END,
                'generated_on': '2027-06-20 12:00:00'})

    @classmethod
    def _collect_records(cls):
        """{model: the fixture's records of the model}, those of the
        demo data left out."""
        env = cls.env
        sessions = cls.own | cls.foreign
        cert_sessions = cls.cert_own | cls.cert_colleague | \
            cls.cert_foreign
        records = {}
        for model, path in SESSION_PATHS.items():
            records[model] = env[model].search(
                [(path or 'id', 'in', sessions.ids)])
        for model, path in CERTIFICATION_PATHS.items():
            records[model] = env[model].search(
                [(path or 'id', 'in', cert_sessions.ids)])
        records.update({
            'training.course': cls.course,
            'training.course.cost': cls.course.default_cost_ids,
            'training.mail.default': cls.course.mail_default_ids,
            'training.room': cls.room | cls.room2,
            'training.population': cls.pop_own | cls.pop_foreign,
            'training.scheme': cls.scheme,
            'training.certification.scheme': cls.sst | cls.asbestos,
            'training.certificate.type': cls.sst_type | cls.asbestos_type,
            'training.action': cls.action,
            'training.action.component': cls.component,
            'training.action.component.volume': cls.volume,
            'training.cost.type': cls.teaching | cls.catering,
            'training.document.folder': cls.folder,
            'training.habilitation': env['training.habilitation'].search(
                [('entity_id', 'in', (cls.entity_a | cls.entity_b).ids)]),
            'training.session.import': cls.imports,
            'training.session.import.line': cls.imports.mapped('line_ids'),
            'training.trainer.qualification':
                env['training.trainer.qualification'].search([
                    ('trainer_id', 'in', (
                        cls.trainer.partner_id |
                        cls.other_qualification.trainer_id).ids)]),
        })
        cls.records = records

    @classmethod
    def _create_values(cls, model, template):
        """Values of a new record of ``model`` hanging off what
        ``template`` (a fixture record) hangs off."""
        session = template.mapped(SESSION_PATHS[model]) \
            if SESSION_PATHS.get(model) else template
        builders = {
            'training.session': lambda: {
                'name': 'Matrix new', 'year': '2027',
                'population_ids': [(6, 0, template.population_ids.ids)]},
            'training.sequence': lambda: {
                'session_id': session.id, 'name': 'Matrix new'},
            'training.slot': lambda: {
                'sequence_id': template.sequence_id.id,
                'date_start': '2027-02-03 08:00:00',
                'date_end': '2027-02-03 12:00:00'},
            'training.registration': lambda: {
                'session_id': session.id, 'partner_id': cls.spare.id},
            'training.attendance': lambda: {
                'registration_id': cls.draft_registrations[session].id,
                'slot_id': template.slot_id.id},
            'training.attendance.history': lambda: {
                'attendance_id': template.attendance_id.id,
                'event': 'correction', 'user_id': cls.env.uid},
            'training.info.session': lambda: dict(
                INFO_VALUES, session_id=session.id),
            'training.cost.line': lambda: {
                'session_id': session.id, 'cost_type_id': cls.catering.id,
                'amount': 10.0},
            'training.funding': lambda: {
                'session_id': session.id, 'funder_id': cls.spare.id,
                'amount': 10.0},
            'training.session.mail': lambda: {
                'session_id': session.id, 'kind': 'reminder',
                'trigger': 'session_start'},
            'training.session.mail.schedule': lambda: {
                'mail_id': template.mail_id.id},
            'training.session.mail.sent': lambda: {
                'schedule_id': template.schedule_id.id,
                'partner_id': cls.spare.id},
            'training.calendar.invitation': lambda: {
                'registration_id': cls.draft_registrations[session].id,
                'sequence_id': template.sequence_id.id},
            'training.change.request': lambda: {
                'component_id': cls.component.id,
                'session_id': template.session_id.id,
                'session_number': '99', 'date_start': '2027-02-01',
                'date_end': '2027-02-28', 'place_id': cls.place.id,
                'seats': 3},
            'training.change.request.info': lambda: dict(
                INFO_VALUES, request_id=template.request_id.id),
            'training.change.request.line': lambda: {
                'request_id': template.request_id.id, 'name': 'Matrix new',
                'value_before': '1', 'value_after': '2'},
            'training.session.import': lambda: {
                'data_file': base64.b64encode(b'external_ref;name\n'),
                'filename': 'matrix.csv'},
            'training.session.import.line': lambda: {
                'import_id': template.import_id.id, 'status': 'valid',
                'values_json': '{}'},
            'training.course': lambda: {'name': 'Matrix new'},
            'training.course.cost': lambda: {
                'course_id': template.course_id.id,
                'cost_type_id': cls.catering.id, 'amount': 5.0},
            'training.mail.default': lambda: {
                'course_id': template.course_id.id, 'kind': 'survey_hot',
                'trigger': 'session_end',
                'company_id': template.company_id.id},
            'training.room': lambda: {'name': 'Matrix new'},
            'training.population': lambda: {'name': 'Matrix new'},
            'training.scheme': lambda: {'name': 'Matrix new'},
            'training.certification.scheme': lambda: {'name': 'Matrix new'},
            'training.cost.type': lambda: {'name': 'Matrix new'},
            'training.document.folder': lambda: {'name': 'Matrix new'},
            'training.action': lambda: {'name': 'Matrix new',
                                        'number': 'MATRIX-NEW'},
            'training.action.component': lambda: {
                'action_id': template.action_id.id, 'number': '99',
                'name': 'Matrix new', 'date_start': '2026-01-01',
                'date_end': '2026-12-31'},
            'training.action.component.volume': lambda: {
                'component_id': template.component_id.id,
                'name': 'Matrix new'},
            'training.certificate.type': lambda: {
                'name': 'Matrix new', 'scheme_id': template.scheme_id.id},
            'training.habilitation': lambda: {
                'entity_id': template.entity_id.id,
                'scheme_id': template.scheme_id.id,
                'date_from': '2029-01-01'},
            'training.trainer.qualification': lambda: {
                'trainer_id': template.trainer_id.id,
                'scheme_id': template.scheme_id.id,
                'date_from': '2029-01-01'},
            'training.certification.session': lambda: {
                'entity_id': template.entity_id.id,
                'scheme_id': cls.sst.id,
                'certificate_type_id': cls.sst_type.id,
                'place_zip': '26800', 'place_city': 'Étoile-sur-Rhône',
                'training_kind': 'initial', 'date_end': cls.END},
            'training.certification.candidate': lambda: {
                'session_id': template.session_id.id,
                'lastname': 'Matrix', 'firstname': 'New',
                'birthdate': '1990-01-01'},
            'training.certificate': lambda: {
                'name': 'CERT-MATRIX-NEW',
                'session_id': template.session_id.id,
                'candidate_id': template.candidate_id.id,
                'scheme_id': template.scheme_id.id,
                'certificate_type_id': template.certificate_type_id.id,
                'date_start': cls.END,
                'generated_on': '2027-06-20 12:00:00'},
        }
        assert set(builders) >= set(EXPECTATIONS), \
            set(EXPECTATIONS) - set(builders)
        return builders[model]()

    # ------------------------------------------------------------ scopes
    def _in_scope(self, model, scope, record, user):
        """Whether ``record`` (as superuser) is in the ``scope`` of
        ``user``: the specification, in terms of the domain."""
        if scope == ALL:
            return True
        partner = user.partner_id
        if scope in SESSION_SCOPES:
            session = record.mapped(SESSION_PATHS[model]) \
                if SESSION_PATHS[model] else record
            if scope == POPULATION:
                # a change request for a new session has no session yet
                return not session or not session.population_ids or \
                    user in session.population_ids.mapped('user_ids')
            if scope == TAUGHT:
                return partner in (
                    session.trainer_ids |
                    session.slot_ids.mapped('trainer_ids') |
                    session.slot_ids.mapped('cotrainer_id'))
            if scope == FOLLOWED:
                return partner in session.tutor_ids
            # published sessions they asked for, those they are enrolled in
            enrolled = session.registration_ids.filtered(
                lambda reg: reg.state in ('confirmed', 'done'))
            return partner in enrolled.mapped('partner_id') or (
                session.publication_state == 'published' and
                partner in session.registration_ids.mapped('partner_id'))
        if scope == OWN:
            return record.partner_id == partner
        if scope == QUALIFIED:
            return record.trainer_id == partner
        if scope == LAUNCHED:
            anchor = record.import_id if 'import_id' in record._fields \
                else record
            return anchor.user_id == user
        if model in CERTIFICATION_PATHS:
            anchor = record.mapped(CERTIFICATION_PATHS[model]) \
                if CERTIFICATION_PATHS[model] else record
        else:
            anchor = record  # habilitation: entity_id
        if scope == ENTITY:
            return bool(user.certification_entity_id) and \
                anchor.entity_id == user.certification_entity_id
        if scope == DECLARED:
            return anchor.user_id == user and \
                anchor.entity_id == user.certification_entity_id
        if scope == CERTIFIED:
            return anchor.trainer_id == partner
        raise ValueError('unknown scope %s' % scope)

    # --------------------------------------------------------- operations
    def _as(self, role, model):
        return self.env(user=self.role_users[role].id, context=dict(
            self.env.context, tracking_disable=True, mail_notrack=True,
            mail_create_nosubscribe=True, no_reset_password=True))[model]

    def _attempt(self, operation):
        """(exception or None, result) of ``operation``, always rolled
        back: the fixture stays as it was for the next attempt."""
        name = 'access_matrix_%d' % next(_savepoints)
        cr = self.env.cr
        cr.execute('SAVEPOINT "%s"' % name)
        try:
            return None, operation()
        except Exception as error:  # judged by the caller
            return error, None
        finally:
            cr.execute('ROLLBACK TO SAVEPOINT "%s"' % name)
            cr.execute('RELEASE SAVEPOINT "%s"' % name)
            self.env.clear()

    @staticmethod
    def _describe(error):
        text = getattr(error, 'name', None) or str(error) or ''
        return '%s: %s' % (type(error).__name__,
                           (text.splitlines() or [''])[0])

    def _judge(self, error, allowed, what):
        """None when the outcome is as expected, else what went wrong.
        Allowed: anything but an access refusal (a business refusal, a
        UserError or an integrity error of the database, is not the
        matrix's concern). Not allowed: an ORM refusal (AccessError,
        UserError...) before the database is touched."""
        if allowed:
            if isinstance(error, AccessError):
                return '%s: refused but allowed (%s)' % (
                    what, self._describe(error))
            if error is None or isinstance(
                    error, (except_orm, psycopg2.IntegrityError)):
                return None
            return '%s: inconclusive, %s' % (what, self._describe(error))
        if error is None:
            return '%s: allowed but must be refused' % what
        if not isinstance(error, except_orm):
            return '%s: not refused by the ORM, %s' % (
                what, self._describe(error))
        return None

    def _write_value(self, model, role):
        values = WRITE_VALUES.get(model, {})
        if role in values or 'default' in values:
            return values.get(role) or values['default']
        fields = self.env[model]._fields
        for types, value in ((('char', 'text'), 'Access matrix'),
                             (('integer', 'float', 'monetary'), 7)):
            for name, field in fields.items():
                if field.type in types and field.store and \
                        not field.readonly and not field.compute and \
                        not field.related and not field.groups and \
                        name not in ('display_name', 'id'):
                    return name, value
        self.fail('%s: no field to write, give one in WRITE_VALUES' % model)

    def _label(self, record, inside):
        return '%s#%d %r (%s)' % (
            record._name, record.id, record.display_name,
            'in scope' if inside else 'out of scope')

    def _check_model(self, model):
        self.assertIn(model, EXPECTATIONS)
        records = self.records.get(model)
        self.assertTrue(records, 'no fixture record of %s: build some in '
                                 'setUpClass' % model)
        failures = []
        for role in ROLES:
            ops, scope = EXPECTATIONS[model][role]
            user = self.role_users[role]
            inside = records.filtered(
                lambda rec: self._in_scope(model, scope, rec, user)) \
                if ops else records.browse()
            if scope not in (None, ALL):
                if not inside:
                    failures.append('%s / %s: fixture, no record in its '
                                    'scope %s' % (model, role, scope))
                if inside == records:
                    failures.append('%s / %s: fixture, no record out of '
                                    'its scope %s' % (model, role, scope))
            for problem in self._check_role(model, role, ops, records,
                                            inside):
                failures.append('%s / %s / %s' % (model, role, problem))
        if failures:
            self.fail('%d unexpected outcomes:\n%s' % (
                len(failures), '\n'.join(failures)))

    def _check_role(self, model, role, ops, records, inside):
        Model = self._as(role, model)
        readable = inside if 'r' in ops else records.browse()
        problems = []
        # search: exactly the records of the scope
        error, found = self._attempt(lambda: set(Model.search(
            [('id', 'in', records.ids)]).ids))
        if error and not isinstance(error, AccessError):
            problems.append('search: %s' % self._describe(error))
        elif error and readable:
            problems.append('search: refused (%s)' % self._describe(error))
        elif not error and found != set(readable.ids):
            problems.append('search: found %s, expected %s' % (
                ', '.join(self._label(rec, rec in inside) for rec in
                          records.browse(sorted(found))) or 'nothing',
                ', '.join(self._label(rec, True) for rec in readable) or
                'nothing'))
        # read_group: counts only the records of the scope
        error, count = self._attempt(lambda: sum(
            group.get('create_date_count', 0) for group in Model.read_group(
                [('id', 'in', records.ids)], ['create_date'],
                ['create_date:year'])))
        if error and not isinstance(error, AccessError):
            problems.append('read_group: %s' % self._describe(error))
        elif error and readable:
            problems.append('read_group: refused (%s)' % self._describe(
                error))
        elif not error and count != len(readable):
            problems.append('read_group: counted %d records, expected %d'
                            % (count, len(readable)))
        fname, value = self._write_value(model, role)
        # the record's own stored values the role may see (no field of
        # another model: its access is that model's business)
        fields = self.env[model]._fields
        visible = [name for name in Model.fields_get(attributes=['type'])
                   if fields[name].store and fields[name].type not in (
                       'many2one', 'one2many', 'many2many', 'reference')]
        for record in records:
            own = record in inside
            label = self._label(record, own)
            target = Model.browse(record.id)
            # read: every field the role sees on its records
            allowed = 'r' in ops and own
            error, _result = self._attempt(lambda: target.read(visible))
            problem = self._judge(error, allowed, 'read %s' % label)
            if problem and allowed and isinstance(error, AccessError):
                problem += '; fields refused: %s' % ', '.join(
                    self._refused_fields(target, visible))
            problems.append(problem)
            error, _result = self._attempt(
                lambda: target.export_data(visible))
            problems.append(self._judge(error, allowed,
                                        'export_data %s' % label))
            # write
            allowed = 'w' in ops and own
            before = record[fname]
            error, _result = self._attempt(
                lambda: target.write({fname: value}))
            problem = self._judge(error, allowed, 'write %s=%r on %s' % (
                fname, value, label))
            if record[fname] != before:
                problem = (problem or 'write %s' % label) + \
                    ': record changed'
            problems.append(problem)
            # unlink
            allowed = 'u' in ops and own
            error, _result = self._attempt(lambda: target.unlink())
            problems.append(self._judge(error, allowed,
                                        'unlink %s' % label))
            if not record.exists():
                problems.append('unlink %s: record gone' % label)
        problems += self._check_create(model, role, ops, records, inside)
        return [problem for problem in problems if problem]

    def _refused_fields(self, target, names):
        refused = []
        for name in names:
            error, _result = self._attempt(lambda: target.read([name]))
            if isinstance(error, AccessError):
                refused.append(name)
        return refused

    def _check_create(self, model, role, ops, records, inside):
        """A record hanging off a record of the scope is created; off
        another party's, refused (or created in the scope all the same:
        e.g. a delegate's new session is theirs whoever's it copies)."""
        Model = self._as(role, model)
        user = self.role_users[role]
        scope = EXPECTATIONS[model][role][1]
        # every parent of the fixture's records: one attempt each
        attempts = {}
        for template in (records if 'c' in ops else records[:1]):
            vals = self._create_values(model, template)
            attempts.setdefault(repr(sorted(vals.items())),
                                (template, vals))
        problems = []
        for template, vals in attempts.values():
            own = template in inside

            def create():
                new = Model.create(vals)
                return self._in_scope(model, scope, new.sudo(), user) \
                    if scope else False

            error, new_inside = self._attempt(create)
            what = 'create like %s' % self._label(template, own)
            if 'c' not in ops:
                problems.append(self._judge(error, False, what))
            elif error:
                problems.append(self._judge(error, own, what))
            elif not new_inside:
                problems.append('%s: created out of its scope' % what)
        return problems

    # -------------------------------------------------------------- table
    def _addon_models(self):
        """The models the addon defines, transient (wizards) and abstract
        ones left out: from ir.model.data and the registry."""
        names = set(self.env['ir.model.data'].search([
            ('module', '=', MODULE), ('model', '=', 'ir.model'),
        ]).mapped(lambda data: self.env['ir.model'].browse(
            data.res_id).model))
        names |= {name for name, model in self.env.registry.items()
                  if model._original_module == MODULE}
        return sorted(
            name for name in names
            if name in self.env.registry and
            self.env[name]._original_module == MODULE and
            not self.env[name]._abstract and
            not self.env[name]._transient)

    def test_every_model_has_expectations(self):
        models = self._addon_models()
        self.assertIn('training.session', models)
        missing = [name for name in models if name not in EXPECTATIONS]
        if missing:
            self.fail('\n'.join(
                'new model without an access expectation: %s: add it to '
                'EXPECTATIONS and give it ACLs and rules' % name
                for name in missing))
        gone = sorted(set(EXPECTATIONS) - set(models))
        self.assertFalse(gone, 'EXPECTATIONS of models the addon no '
                               'longer has: %s' % ', '.join(gone))

    def test_expectations_are_well_formed(self):
        for model, roles in EXPECTATIONS.items():
            self.assertEqual(set(roles), set(ROLES), model)
            for role, (ops, scope) in roles.items():
                what = '%s / %s' % (model, role)
                self.assertTrue(set(ops) <= set(OPERATIONS), what)
                self.assertEqual(bool(ops), scope is not None, what)
                if ops:
                    self.assertIn('r', ops, what)
                if scope in SESSION_SCOPES:
                    self.assertIn(model, SESSION_PATHS, what)
                if scope in CERTIFICATION_SCOPES and \
                        model not in CERTIFICATION_PATHS:
                    # habilitations: the entity's
                    self.assertEqual(scope, ENTITY, what)
                    self.assertIn('entity_id', self.env[model]._fields,
                                  what)
                if scope in (OWN, QUALIFIED):
                    self.assertIn('partner_id' if scope == OWN
                                  else 'trainer_id',
                                  self.env[model]._fields, what)

    def test_every_model_has_an_acl_line_for_every_role_group(self):
        """An ACL line, possibly 0,0,0,0, for each role's group: the rights
        of every role are decided, not inherited by accident."""
        Access = self.env['ir.model.access']
        missing = []
        for model in self._addon_models():
            groups = Access.search([('model_id.model', '=', model)]).mapped(
                'group_id')
            for role, group in sorted(ROLE_GROUPS.items()):
                if group and self.env.ref('%s.%s' % (MODULE, group)) \
                        not in groups:
                    missing.append('%s: no ACL line for %s' % (model, role))
            if Access.search([('model_id.model', '=', model),
                              ('group_id', '=', False)]):
                missing.append('%s: a global ACL line' % model)
        self.assertFalse(missing, '\n'.join(missing))

    def test_acls_match_expectations(self):
        """The ACLs each role's user gets (all of their groups together)
        grant exactly the operations of EXPECTATIONS."""
        mismatches = []
        for model in sorted(EXPECTATIONS):
            for role in ROLES:
                ops = EXPECTATIONS[model][role][0]
                Model = self._as(role, model)
                for op in OPERATIONS:
                    granted = Model.check_access_rights(
                        ACL_MODES[op], raise_exception=False)
                    if granted != (op in ops):
                        mismatches.append('%s / %s / %s: ACL %s' % (
                            model, role, ACL_MODES[op],
                            'grants, must not' if granted
                            else 'refuses, must grant'))
        self.assertFalse(mismatches, '\n'.join(mismatches))


def _model_test(model):
    def test(self):
        self._check_model(model)
    test.__name__ = 'test_matrix_%s' % model.replace('.', '_')
    test.__doc__ = '%s: every role, every operation' % model
    return test


for _model in EXPECTATIONS:
    setattr(TestAccessMatrix, 'test_matrix_%s' % _model.replace('.', '_'),
            _model_test(_model))
