# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
from unittest import mock

import psycopg2

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules.db import has_unaccent
from odoo.tools import mute_logger

from .common import CertificationCase


class TestCertificationEntry(CertificationCase):
    """Step 1 (manual 003): the entity enters the session, its trainer and
    its candidates, then submits it to the trainer."""

    def setUp(self):
        super(TestCertificationEntry, self).setUp()
        patcher = self._today(self.TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_new_session_numbered_for_the_user_entity(self):
        session = self._new_certification_session(
            self.delegate_a, state='generated', user_id=self.delegate_b.id)
        self.assertTrue(session.name.startswith('SC-'), session.name)
        self.assertEqual(session.entity_id, self.entity_a)
        self.assertEqual(session.user_id, self.delegate_a)
        # the workflow fields cannot be given at creation
        self.assertEqual(session.state, 'draft')
        self.assertIn(self.delegate_a.partner_id,
                      session.message_follower_ids.mapped('partner_id'))
        other = self._new_certification_session(self.delegate_a)
        self.assertNotEqual(other.name, session.name)

    def test_user_without_entity_cannot_declare(self):
        self.delegate_a.certification_entity_id = False
        with self.assertRaises(UserError):
            self._new_certification_session(self.delegate_a)

    def test_schemes_limited_to_valid_habilitations(self):
        first_aid = self.env['training.certification.scheme'].create(
            {'name': 'PSC', 'level': '1'})
        first_aid_type = self.env['training.certificate.type'].create(
            {'name': 'PSC1', 'scheme_id': first_aid.id})
        session = self._new_certification_session(self.delegate_a)
        self.assertIn(self.sst, session.allowed_scheme_ids)
        self.assertNotIn(first_aid, session.allowed_scheme_ids)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._new_certification_session(
                self.delegate_a, scheme_id=first_aid.id,
                certificate_type_id=first_aid_type.id)
        # a habilitation that ends before the end date does not count
        self.env['training.habilitation'].create({
            'entity_id': self.entity_a.id, 'scheme_id': first_aid.id,
            'date_from': '2026-01-01', 'date_to': '2027-06-14'})
        session.invalidate_cache()
        self.assertNotIn(first_aid, session.allowed_scheme_ids)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._new_certification_session(
                self.delegate_a, scheme_id=first_aid.id,
                certificate_type_id=first_aid_type.id)
        self.assertEqual(session._entry_problem(), False)

    def test_habilitation_valid_on_the_end_date_bounds(self):
        self.env['training.habilitation'].search(
            [('entity_id', '=', self.entity_a.id),
             ('scheme_id', '=', self.sst.id)]).date_to = self.END
        self._new_certification_session(self.delegate_a)
        self.env['training.habilitation'].search(
            [('entity_id', '=', self.entity_a.id),
             ('scheme_id', '=', self.sst.id)]).date_to = '2027-06-14'
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._new_certification_session(self.delegate_a)

    def _entry_on(self, today):
        """Create a session ending on 15 June 2027 on ``today``: the
        session, or the entry problem's code when it is refused."""
        with self._today(today):
            try:
                with self.cr.savepoint():
                    return self._new_certification_session(self.delegate_a)
            except ValidationError:
                probe = self.CertSession.new({
                    'entity_id': self.entity_a.id, 'scheme_id': self.sst.id,
                    'date_end': self.END})
                return probe._entry_problem()

    def test_entry_from_three_months_before_the_end_date(self):
        # 15 March 2027 is three months before 15 June
        self.assertEqual(self._entry_on(datetime.date(2027, 3, 14)),
                         'too_early')
        self.assertTrue(self._entry_on(datetime.date(2027, 3, 15)).id)
        self.assertTrue(self._entry_on(datetime.date(2027, 3, 16)).id)

    def test_entry_until_one_month_after_the_end_date(self):
        self.assertTrue(self._entry_on(datetime.date(2027, 7, 14)).id)
        self.assertTrue(self._entry_on(datetime.date(2027, 7, 15)).id)
        self.assertEqual(self._entry_on(datetime.date(2027, 7, 16)),
                         'too_late')

    def test_number_is_drawn_never_chosen(self):
        session = self._new_certification_session(
            self.delegate_a, name='SC-FAUX')
        self.assertNotEqual(session.name, 'SC-FAUX')
        with self.assertRaises(UserError), self.cr.savepoint():
            session.sudo(self.delegate_a).write({'name': 'SC-FAUX'})

    def test_submission_within_the_window_only(self):
        session = self._new_certification_session(self.delegate_a)
        session = session.sudo(self.delegate_a)
        session.trainer_national_number = 'FP123456'
        session.action_check_trainer()
        self._add_candidates(session, self.delegate_a)
        with self._today(datetime.date(2027, 7, 16)), \
                self.assertRaises(ValidationError), self.cr.savepoint():
            session.action_submit()
        with self._today(datetime.date(2027, 7, 15)):
            session.action_submit()
        self.assertEqual(session.state, 'trainer_validation')

    def test_changing_the_end_date_checks_the_window_again(self):
        session = self._new_certification_session(self.delegate_a)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            session.date_end = '2027-10-15'
        session.date_end = '2027-08-31'

    def test_certificate_type_of_the_scheme(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._new_certification_session(
                self.delegate_a, certificate_type_id=self.asbestos_type.id)

    def test_teaching_platform_required_by_the_scheme(self):
        values = {'scheme_id': self.asbestos.id,
                  'certificate_type_id': self.asbestos_type.id}
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._new_certification_session(self.delegate_a, **values)
        platform_b = self.Partner.create({
            'name': 'Plateau B', 'parent_id': self.entity_b.id,
            'type': 'other', 'is_teaching_platform': True,
            'zip': '69003', 'city': 'Lyon'})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._new_certification_session(
                self.delegate_a, platform_id=platform_b.id, **values)
        platform = self.Partner.create({
            'name': 'Plateau technique', 'parent_id': self.entity_a.id,
            'type': 'other', 'is_teaching_platform': True,
            'zip': '26800', 'city': 'Étoile-sur-Rhône'})
        session = self._new_certification_session(
            self.delegate_a, platform_id=platform.id, **values)
        self.assertEqual(session.platform_id, platform)
        form = self.CertSession.new({'platform_id': platform.id})
        form._onchange_platform_id()
        self.assertEqual((form.place_zip, form.place_city),
                         ('26800', 'Étoile-sur-Rhône'))
        # the place printed is the platform's, whatever is sent
        with self.assertRaises(ValidationError), self.cr.savepoint():
            session.write({'place_zip': '75001', 'place_city': 'Paris'})

    def test_place_postal_code_has_five_digits(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._new_certification_session(self.delegate_a,
                                            place_zip='2680')

    def test_scheme_change_proposes_its_certificate(self):
        form = self.CertSession.new({'scheme_id': self.asbestos.id,
                                     'certificate_type_id': self.sst_type.id})
        form._onchange_scheme_id()
        self.assertEqual(form.certificate_type_id, self.asbestos_type)


class TestTrainerCheck(CertificationCase):
    """The trainer is found by national number or by last name, first name
    and birth date; the check says which condition fails."""

    def setUp(self):
        super(TestTrainerCheck, self).setUp()
        patcher = self._today(self.TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.session = self._new_certification_session(
            self.delegate_a).sudo(self.delegate_a)

    def _check(self, **search):
        self.session.write(dict({
            'trainer_national_number': False, 'trainer_lastname': False,
            'trainer_firstname': False, 'trainer_birthdate': False},
            **search))
        self.session.action_check_trainer()
        return self.session.trainer_check

    def test_found_by_national_number(self):
        self.assertEqual(self._check(trainer_national_number='FP 123456'),
                         'ok')
        self.assertEqual(self.session.trainer_id, self.trainer.partner_id)
        self.assertIn(self.trainer.partner_id.name,
                      self.session.trainer_check_message)

    def test_found_by_names_and_birth_date(self):
        self.assertEqual(self._check(
            trainer_lastname='DUPONT', trainer_firstname='stéphanie',
            trainer_birthdate='1980-04-06'), 'ok')
        self.assertEqual(self.session.trainer_id, self.trainer.partner_id)

    def _unaccent_available(self):
        """Whether the database has unaccent(), the extension created if
        the server can (rolled back with the test)."""
        try:
            with self.cr.savepoint(), mute_logger('odoo.sql_db'):
                self.cr.execute('CREATE EXTENSION IF NOT EXISTS unaccent')
        except psycopg2.Error:
            pass
        return has_unaccent(self.cr)

    def test_names_are_matched_without_accents(self):
        """Manual 003: "Helene" finds Hélène and HELENE, "Hélène" finds
        Helene, by unaccent() when Odoo uses it, else without it."""
        accented, upper, plain = (self.Partner.create({
            'name': '%s %s' % (lastname, firstname), 'lastname': lastname,
            'firstname': firstname, 'birthdate_date': birthdate})
            for lastname, firstname, birthdate in (
                ('Élie', 'Hélène', '1981-02-03'),
                ('ELIE', 'HELENE', '1982-02-03'),
                ('Elie', 'Helene', '1983-02-03')))
        searches = (
            ('Elie', 'Helene', '1981-02-03', accented),
            ('Elie', 'Helene', '1982-02-03', upper),
            ('élie', 'HÉLÈNE', '1983-02-03', plain),
            ('%', 'H_l_ne', '1981-02-03', self.Partner),
            ('DUPONT', 'Stephanie', '1980-04-06', self.trainer.partner_id))
        for unaccent in (False, True):
            if unaccent and not self._unaccent_available():
                continue
            with mock.patch.object(self.registry, 'has_unaccent', unaccent):
                for lastname, firstname, birthdate, people in searches:
                    self._check(trainer_lastname=lastname,
                                trainer_firstname=firstname,
                                trainer_birthdate=birthdate)
                    self.assertEqual(
                        self.session._find_trainer_people(), people,
                        (unaccent, lastname, firstname))
                # the last one is the trainer
                self.assertEqual(self.session.trainer_check, 'ok')
                self.assertEqual(self.session.trainer_id, people)

    def test_names_are_matched_literally(self):
        self.assertEqual(self._check(
            trainer_lastname='%', trainer_firstname='%',
            trainer_birthdate='1980-04-06'), 'not_found')
        self.assertEqual(self._check(
            trainer_lastname='D_pont', trainer_firstname='Stéphanie',
            trainer_birthdate='1980-04-06'), 'not_found')

    def test_search_needs_a_number_or_names_and_birth_date(self):
        with self.assertRaises(UserError):
            self._check(trainer_lastname='Dupont',
                        trainer_firstname='Stéphanie')

    def test_each_failure_is_told_apart(self):
        messages = {}
        # 1. nobody
        self.assertEqual(self._check(trainer_national_number='FP000'),
                         'not_found')
        messages['not_found'] = self.session.trainer_check_message
        self.assertFalse(self.session.trainer_id)
        # 2. several people with these names and birth date
        twin = self.Partner.create({
            'name': 'Dupont Stéphanie', 'lastname': 'Dupont',
            'firstname': 'Stéphanie', 'birthdate_date': '1980-04-06'})
        self.assertEqual(self._check(
            trainer_lastname='Dupont', trainer_firstname='Stéphanie',
            trainer_birthdate='1980-04-06'), 'ambiguous')
        messages['ambiguous'] = self.session.trainer_check_message
        # 3. a person without the trainer role
        twin.training_national_number = 'FP777'
        self.assertEqual(self._check(trainer_national_number='FP777'),
                         'not_trainer')
        messages['not_trainer'] = self.session.trainer_check_message
        self.assertFalse(self.session.trainer_id)
        # 4. a trainer without a qualification for the scheme
        trainer2 = self._create_user(
            't_trainer2', 'group_training_session_trainer', portal=True)
        trainer2.partner_id.training_national_number = 'FP888'
        self.env['training.trainer.qualification'].create({
            'trainer_id': trainer2.partner_id.id,
            'scheme_id': self.asbestos.id, 'date_from': '2026-01-01'})
        self.assertEqual(self._check(trainer_national_number='FP888'),
                         'not_qualified')
        messages['not_qualified'] = self.session.trainer_check_message
        # 5. a qualification that is not valid on the end date
        self.env['training.trainer.qualification'].create({
            'trainer_id': trainer2.partner_id.id, 'scheme_id': self.sst.id,
            'date_from': '2026-01-01', 'date_to': '2027-06-14'})
        self.assertEqual(self._check(trainer_national_number='FP888'),
                         'qualification_expired')
        messages['qualification_expired'] = \
            self.session.trainer_check_message
        self.assertFalse(self.session.trainer_id)
        self.assertEqual(len(set(messages.values())), 5, messages)
        # valid on the end date itself
        self.env['training.trainer.qualification'].create({
            'trainer_id': trainer2.partner_id.id, 'scheme_id': self.sst.id,
            'date_from': self.END, 'date_to': self.END})
        self.assertEqual(self._check(trainer_national_number='FP888'), 'ok')

    def test_a_change_calls_for_a_new_check(self):
        self._check(trainer_national_number='FP123456')
        self.session.date_end = '2027-06-16'
        self.assertFalse(self.session.trainer_check)
        self.assertFalse(self.session.trainer_id)

    def test_entity_and_candidates_stay_in_their_session(self):
        as_manager = self.session.sudo(self.manager_a)
        with self.assertRaises(UserError):
            as_manager.entity_id = self.entity_b
        other = self._new_certification_session(self.delegate_a)
        candidate = self._add_candidates(self.session, self.delegate_a)[0]
        with self.assertRaises(UserError):
            candidate.sudo(self.delegate_a).session_id = other

    def test_trainer_is_set_by_the_check_only(self):
        with self.assertRaises(UserError):
            self.session.write({'trainer_id': self.trainer.partner_id.id})
        with self.assertRaises(UserError):
            self.session.write({'state': 'trainer_validation'})


class TestCandidates(CertificationCase):

    def setUp(self):
        super(TestCandidates, self).setUp()
        patcher = self._today(self.TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.session = self._new_certification_session(self.delegate_a)
        self.Candidate = self.env['training.certification.candidate'].sudo(
            self.delegate_a)

    def test_names_birth_date_required_email_and_number_optional(self):
        candidate = self.Candidate.create({
            'session_id': self.session.id, 'lastname': ' martin ',
            'firstname': 'jean-pierre', 'birthdate': '1990-01-31'})
        self.assertEqual((candidate.lastname, candidate.firstname),
                         ('MARTIN', 'Jean-Pierre'))
        self.assertFalse(candidate.email or candidate.national_number)
        for missing in ('lastname', 'firstname', 'birthdate'):
            values = {'session_id': self.session.id, 'lastname': 'Roux',
                      'firstname': 'Camille', 'birthdate': '1985-02-02'}
            del values[missing]
            with self.assertRaises(psycopg2.IntegrityError), \
                    mute_logger('odoo.sql_db'), self.cr.savepoint():
                self.Candidate.create(values)

    def test_bad_candidates_are_refused(self):
        values = {'session_id': self.session.id, 'lastname': 'Roux',
                  'firstname': 'Camille', 'birthdate': '1985-02-02'}
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.Candidate.create(dict(values, email='camille.roux'))
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.Candidate.create(dict(values, birthdate=self.END))
        self.Candidate.create(dict(values, email='camille@example.fr',
                                   national_number='AB 12'))
        with self.assertRaises(psycopg2.IntegrityError), \
                mute_logger('odoo.sql_db'), self.cr.savepoint():
            self.Candidate.create(dict(values, lastname='ROUX'))

    def test_the_entity_does_not_record_results(self):
        with self.assertRaises(UserError):
            self.Candidate.create({
                'session_id': self.session.id, 'lastname': 'Roux',
                'firstname': 'Camille', 'birthdate': '1985-02-02',
                'result': 'pass'})
        candidate = self._add_candidates(self.session, self.delegate_a)[0]
        with self.assertRaises(AccessError):
            candidate.sudo(self.delegate_a).result = 'pass'


class TestSubmission(CertificationCase):

    def setUp(self):
        super(TestSubmission, self).setUp()
        patcher = self._today(self.TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.session = self._new_certification_session(
            self.delegate_a).sudo(self.delegate_a)

    def test_submission_needs_trainer_and_candidates(self):
        with self.assertRaises(UserError):
            self.session.action_submit()
        self._add_candidates(self.session, self.delegate_a)
        with self.assertRaises(UserError):
            self.session.action_submit()
        self.session.trainer_national_number = 'FP123456'
        self.session.action_check_trainer()
        self.session.action_submit()
        self.assertEqual(self.session.state, 'trainer_validation')
        # (the delegate, a portal user, sees no other follower)
        self.assertIn(self.trainer.partner_id, self.session.sudo(
        ).message_follower_ids.mapped('partner_id'))

    def test_qualification_checked_again_on_submission(self):
        self._add_candidates(self.session, self.delegate_a)
        self.session.trainer_national_number = 'FP123456'
        self.session.action_check_trainer()
        self.env['training.trainer.qualification'].search(
            [('trainer_id', '=', self.trainer.partner_id.id)]).date_to = \
            '2027-06-01'
        with self.assertRaises(UserError):
            self.session.action_submit()
        self.assertEqual(self.session.state, 'draft')

    def test_entity_data_frozen_once_submitted(self):
        session = self._submitted_session(self.delegate_a)
        with self.assertRaises(UserError):
            session.write({'place_city': 'Valence'})
        with self.assertRaises(UserError):
            self._add_candidates(session, self.delegate_a, 'Roux Camille')
        with self.assertRaises(UserError):
            session.candidate_ids[0].sudo(self.delegate_a).unlink()
        with self.assertRaises(UserError):
            session.action_submit()


class TestCertificationVisibility(CertificationCase):
    """Delegates see the sessions they declared, managers all those of
    their entity, trainers those they are the trainer of."""

    @classmethod
    def setUpClass(cls):
        super(TestCertificationVisibility, cls).setUpClass()
        cls.trainer2 = cls._create_user(
            't_trainer2', 'group_training_session_trainer', portal=True)
        cls.trainer2.partner_id.training_national_number = 'FP888'
        cls.env['training.trainer.qualification'].create({
            'trainer_id': cls.trainer2.partner_id.id,
            'scheme_id': cls.sst.id, 'date_from': '2026-01-01'})
        cls.of_a = cls._submitted_session(cls.delegate_a)
        cls.of_a2 = cls._submitted_session(cls.delegate_a2,
                                           trainer=cls.trainer2)
        cls.of_manager_a = cls._submitted_session(cls.manager_a)
        cls.of_b = cls._submitted_session(cls.delegate_b)
        cls.all = cls.of_a | cls.of_a2 | cls.of_manager_a | cls.of_b

    def _seen(self, user, model='training.certification.session'):
        records = self.env[model].sudo(user).search([])
        if model == 'training.certification.session':
            return records & self.all
        return records.mapped('session_id') & self.all

    def test_delegate_sees_the_sessions_they_declared(self):
        self.assertEqual(self._seen(self.delegate_a), self.of_a)
        self.assertEqual(self._seen(self.delegate_a2), self.of_a2)
        with self.assertRaises(AccessError):
            self.of_a2.sudo(self.delegate_a).read(['name'])
        with self.assertRaises(AccessError):
            self.of_b.sudo(self.delegate_a).read(['name'])

    def test_manager_sees_the_sessions_of_the_entity(self):
        self.assertEqual(self._seen(self.manager_a),
                         self.of_a | self.of_a2 | self.of_manager_a)
        self.assertEqual(self._seen(self.manager_b), self.of_b)
        with self.assertRaises(AccessError):
            self.of_b.sudo(self.manager_a).read(['name'])

    def test_trainer_sees_the_sessions_assigned_to_them(self):
        self.assertEqual(self._seen(self.trainer),
                         self.of_a | self.of_manager_a | self.of_b)
        self.assertEqual(self._seen(self.trainer2), self.of_a2)
        with self.assertRaises(AccessError):
            self.of_a2.sudo(self.trainer).read(['name'])

    def test_candidates_follow_their_session(self):
        model = 'training.certification.candidate'
        self.assertEqual(self._seen(self.delegate_a, model), self.of_a)
        self.assertEqual(self._seen(self.manager_a, model),
                         self.of_a | self.of_a2 | self.of_manager_a)
        self.assertEqual(self._seen(self.trainer2, model), self.of_a2)

    def test_others_see_nothing(self):
        for user in (self.user, self.manager, self.tutor, self.trainee):
            with self.assertRaises(AccessError):
                self.env['training.certification.session'].sudo(
                    user).search([])
        self.assertEqual(self._seen(self.admin), self.all)

    def test_trainer_and_others_cannot_declare_or_delete(self):
        for user in (self.trainer, self.admin, self.user):
            with self.assertRaises(AccessError):
                self._new_certification_session(
                    user, entity_id=self.entity_a.id)
        with self.assertRaises(AccessError):
            self.of_a.sudo(self.trainer).unlink()
        with self.assertRaises(AccessError):
            self.of_a.sudo(self.delegate_a2).unlink()


class TestTrainerValidation(CertificationCase):
    """Step 2: the trainer records the results and sends them, or returns
    the session with a comment. Step 3: the entity may modify it."""

    def setUp(self):
        super(TestTrainerValidation, self).setUp()
        patcher = self._today(self.TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.session = self._submitted_session(self.delegate_a)
        self.as_trainer = self.session.sudo(self.trainer)

    def _record_results(self, *results):
        for candidate, result in zip(self.as_trainer.candidate_ids,
                                     results):
            candidate.result = result

    def test_trainer_who_is_another_entity_delegate_cannot_act_for_it(self):
        # the trainer of entity A's session is a delegate of entity B too
        self.trainer.write({
            'groups_id': [(4, self.env.ref(
                'training_session.'
                'group_training_session_certification_manager').id)],
            'certification_entity_id': self.entity_b.id})
        self._record_results('pass', 'fail')
        self.as_trainer.action_send_results()
        for action in ('action_modify', 'action_download_certificates'):
            with self.assertRaises(AccessError), self.cr.savepoint():
                getattr(self.session.sudo(self.trainer), action)()
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.session.sudo(self.trainer).action_generate_certificates()
        self.assertEqual(self.session.state, 'entity_validation')

    def test_trainer_records_results_and_sends_them(self):
        submitted = self.env.ref(
            'training_session.mt_certification_submitted')
        self.assertIn(submitted, self.session.message_ids.mapped(
            'subtype_id'))
        self._record_results('pass')
        with self.assertRaises(UserError):
            self.as_trainer.action_send_results()
        self._record_results('pass', 'fail')
        self.as_trainer.action_send_results()
        self.assertEqual(self.session.state, 'entity_validation')
        self.assertEqual(self.session.passed_count, 1)
        self.assertEqual(self.session.candidate_count, 2)
        results = self.env.ref('training_session.mt_certification_results')
        self.assertEqual(self.session.message_ids[0].subtype_id, results)
        # the results are frozen once sent
        with self.assertRaises(UserError):
            self.as_trainer.candidate_ids[0].result = 'fail'

    def test_results_through_the_form(self):
        first, second = self.as_trainer.candidate_ids
        self.as_trainer.write({'candidate_ids': [
            (1, first.id, {'result': 'pass'}),
            (1, second.id, {'result': 'pass'})]})
        self.assertEqual(self.session.passed_count, 2)

    def test_trainer_changes_neither_identities_nor_session(self):
        candidate = self.as_trainer.candidate_ids[0]
        with self.assertRaises(AccessError):
            candidate.lastname = 'Autre'
        with self.assertRaises(AccessError):
            self.as_trainer.place_city = 'Valence'
        with self.assertRaises(AccessError):
            self.as_trainer.action_modify()
        with self.assertRaises(AccessError):
            self.env['training.certification.candidate'].sudo(
                self.trainer).create({
                    'session_id': self.session.id, 'lastname': 'Roux',
                    'firstname': 'Camille', 'birthdate': '1985-02-02'})

    def test_only_the_trainer_acts_in_trainer_validation(self):
        as_delegate = self.session.sudo(self.delegate_a)
        with self.assertRaises(AccessError):
            as_delegate.candidate_ids[0].result = 'pass'
        with self.assertRaises(AccessError):
            as_delegate.action_send_results()
        with self.assertRaises(AccessError):
            as_delegate.write({'return_comment': 'Erreur'})
            as_delegate.action_return()

    def test_return_needs_a_comment_kept_in_the_history(self):
        with self.assertRaises(UserError):
            self.as_trainer.action_return()
        self.as_trainer.return_comment = '  '
        with self.assertRaises(UserError):
            self.as_trainer.action_return()
        self.as_trainer.return_comment = 'La date de fin est erronée.'
        self.as_trainer.action_return()
        self.assertEqual(self.session.state, 'draft')
        returned = self.session.message_ids.filtered(
            lambda message: message.subtype_id == self.env.ref(
                'training_session.mt_certification_returned'))
        self.assertEqual(len(returned), 1)
        self.assertIn('La date de fin est erronée.', returned.body)
        self.assertEqual(returned.author_id, self.trainer.partner_id)
        # the entity corrects and submits again: the comment is cleared
        as_delegate = self.session.sudo(self.delegate_a)
        as_delegate.date_end = '2027-06-14'
        as_delegate.action_check_trainer()
        as_delegate.action_submit()
        self.assertEqual(self.session.state, 'trainer_validation')
        self.assertFalse(self.session.return_comment)
        self.assertIn('La date de fin est erronée.',
                      ' '.join(self.session.message_ids.mapped('body')))

    def test_replaced_trainer_hears_no_more(self):
        self.assertIn(self.trainer.partner_id, self.session.sudo()
                      .message_follower_ids.mapped('partner_id'))
        self.as_trainer.return_comment = 'Autre formateur prévu.'
        self.as_trainer.action_return()
        other = self._create_user('c_trainer_other',
                                  'group_training_session_trainer')
        other.partner_id.training_national_number = 'FP777'
        self.env['training.trainer.qualification'].create({
            'trainer_id': other.partner_id.id, 'scheme_id': self.sst.id,
            'date_from': '2026-01-01'})
        as_delegate = self.session.sudo(self.delegate_a)
        as_delegate.trainer_national_number = 'FP777'
        as_delegate.action_check_trainer()
        as_delegate.action_submit()
        followers = self.session.sudo().message_follower_ids.mapped(
            'partner_id')
        self.assertIn(other.partner_id, followers)
        self.assertNotIn(self.trainer.partner_id, followers)

    def test_candidates_born_before_a_moved_end_date(self):
        self.as_trainer.return_comment = 'Date de fin à corriger.'
        self.as_trainer.action_return()
        candidate = self.session.sudo().candidate_ids[:1]
        candidate.birthdate = '2027-06-10'
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.session.sudo(self.delegate_a).date_end = '2027-06-05'

    def test_entity_modifies_the_session_which_goes_to_the_trainer(self):
        as_delegate = self.session.sudo(self.delegate_a)
        with self.assertRaises(UserError):
            as_delegate.action_modify()
        self._record_results('pass', 'pass')
        self.as_trainer.action_send_results()
        as_delegate.action_modify()
        self.assertEqual(self.session.state, 'draft')
        as_delegate.place_city = 'Valence'
        self._add_candidates(as_delegate, self.delegate_a, 'Roux Camille')
        as_delegate.action_submit()
        self.assertEqual(self.session.state, 'trainer_validation')
        with self.assertRaises(UserError):
            self.as_trainer.action_send_results()
        self._record_results('pass', 'pass', 'fail')
        self.as_trainer.action_send_results()
        self.assertEqual(self.session.state, 'entity_validation')


class TestTrainingSessionLink(CertificationCase):
    """A certification session may be linked to a training session, whose
    registered participants are then added as candidates."""

    @classmethod
    def setUpClass(cls):
        super(TestTrainingSessionLink, cls).setUpClass()
        # a delegate of entity A who is also a training user
        cls.both = cls._create_certification_user(
            'c_delegate_training', 'delegate', cls.entity_a)
        cls.both.groups_id |= cls.env.ref(
            'training_session.group_training_session_user')
        cls.training = cls._session_with_slot(
            name='SST initial', certification_id=cls.sst.id)
        for lastname, firstname, birthdate, state in (
                ('Lambert', 'hugo', '1990-05-04', 'confirmed'),
                ('Roux', 'Camille', '1988-11-30', 'confirmed'),
                ('Petit', 'Léa', '1995-01-15', 'waiting')):
            partner = cls.Partner.create({
                'is_trainee': True, 'title': cls.env.ref(
                    'base.res_partner_title_mister').id,
                'lastname': lastname, 'firstname': firstname,
                'birthdate_date': birthdate,
                'email': '%s@example.fr' % lastname.lower()})
            cls.Registration.create({
                'session_id': cls.training.id, 'partner_id': partner.id,
                'state': state})

    def setUp(self):
        super(TestTrainingSessionLink, self).setUp()
        patcher = self._today(self.TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.session = self._new_certification_session(
            self.both, training_session_id=self.training.id)

    def test_only_a_training_session_of_the_same_certification(self):
        other = self._session_with_slot(name='Gestes et postures')
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._new_certification_session(
                self.both, training_session_id=other.id)

    def test_registered_participants_added_once(self):
        self._add_candidates(self.session, self.both, 'Roux Camille')
        self.session.candidate_ids.birthdate = '1988-11-30'
        self.session.action_add_session_participants()
        candidates = self.session.candidate_ids
        self.assertEqual(sorted(candidates.mapped('display_name')),
                         ['LAMBERT Hugo', 'ROUX Camille'])
        lambert = candidates.filtered(lambda cand: cand.lastname == 'LAMBERT')
        self.assertEqual(lambert.birthdate, '1990-05-04')
        self.assertEqual(lambert.email, 'lambert@example.fr')
        self.assertTrue(lambert.partner_id)
        # again: nothing new
        self.session.action_add_session_participants()
        self.assertEqual(self.session.candidate_ids, candidates)

    def test_participants_need_a_birth_date(self):
        self.training.registration_ids[0].partner_id.birthdate_date = False
        with self.assertRaises(UserError):
            self.session.action_add_session_participants()
        self.assertFalse(self.session.candidate_ids)

    def test_only_while_the_entity_enters_the_session(self):
        self.session.action_add_session_participants()
        self.session.trainer_national_number = 'FP123456'
        self.session.action_check_trainer()
        self.session.action_submit()
        with self.assertRaises(UserError):
            self.session.action_add_session_participants()

    def test_end_date_proposed_from_the_training_session(self):
        form = self.CertSession.new(
            {'training_session_id': self.training.id})
        form._onchange_training_session_id()
        # the slot ends on 1 February 2027 at 17:00 in Paris
        self.assertEqual(form.date_end, '2027-02-01')

    def test_link_hidden_from_other_delegates(self):
        session = self._new_certification_session(self.delegate_a)
        with self.assertRaises(AccessError):
            session.read(['training_session_id'])
