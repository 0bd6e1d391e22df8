# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest import mock

import psycopg2
from lxml import etree

import odoo
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import get_db_name
from odoo.tools.safe_eval import safe_eval

from .common import TrainingCase

SerialisationFailure = psycopg2.extensions.TransactionRollbackError


class RegistrationCase(TrainingCase):

    @classmethod
    def setUpClass(cls):
        super(RegistrationCase, cls).setUpClass()
        cls.session = cls._create_session(
            name='Ateliers emploi', capacity_min=2, capacity_max=2)
        cls.workshop = cls._add_sequence(cls.session, 'Atelier 1', slots=[
            ('2027-03-01 08:00:00', '2027-03-01 15:00:00'),
            ('2027-03-08 08:00:00', '2027-03-08 11:00:00')])

    def _trainee(self, name):
        return self.Partner.create({'name': name})


class TestRegistration(RegistrationCase):
    """Registrations: funding, slots first, seats and waiting list
    (manuals 001 and 004)."""

    def _list_context(self, model, view_xmlid, record):
        """The context of the registrations list of ``view_xmlid`` (a form
        of ``model``) for ``record``, as the web client evaluates it."""
        arch = self.env[model].fields_view_get(
            self.env.ref(view_xmlid).id, 'form')['arch']
        node = etree.fromstring(arch).xpath(
            "//field[@name='registration_ids']")[0]
        return safe_eval(node.get('context'), {'active_id': record.id})

    def test_adding_a_trainee_from_either_list_enrols_them(self):
        """Manual 004 (5): from the session's page or the trainee's record,
        the trainee joins all the workshops of the session."""
        for model, view, record, field, other in (
                ('training.session',
                 'training_session.training_session_view_form',
                 self.session, 'partner_id', self._trainee('Léa Morel')),
                ('res.partner',
                 'training_session.res_partner_view_form_trainee',
                 self._trainee('Hugo Lambert'), 'session_id', self.session)):
            context = self._list_context(model, view, record)
            registration = self.Registration.with_context(context).create(
                {field: other.id})
            self.assertEqual(registration.state, 'confirmed')
            self.assertEqual(registration.attendance_ids.mapped('slot_id'),
                             self.workshop.slot_ids)

    def test_no_registration_before_a_slot(self):
        empty = self._create_session(name='Sans atelier')
        self._add_sequence(empty, 'Atelier prévu')
        with self.assertRaisesRegex(UserError, 'Sans atelier'):
            self._register(empty)

    def test_rsa_requires_caf_and_cli_numbers(self):
        reg = self._register(self.session)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            reg.write({'funding_status': 'rsa', 'caf_number': '1234567'})
        reg.write({'funding_status': 'rsa', 'caf_number': '1234567',
                   'cli_number': 'CLI-34-0042',
                   'complementary_funding': 'Aide régionale'})
        self.assertEqual(reg.funding_status, 'rsa')
        reg.write({'funding_status': 'job_seeker'})

    def test_seats_counters_and_waiting_list_in_order(self):
        first = self._register(self.session, self._trainee('Un'))
        self.assertFalse(self.session.minimum_reached)
        second = self._register(self.session, self._trainee('Deux'))
        third = self._register(self.session, self._trainee('Trois'))
        fourth = self._register(self.session, self._trainee('Quatre'))
        self.assertEqual((first.state, second.state, third.state,
                          fourth.state),
                         ('confirmed', 'confirmed', 'waiting', 'waiting'))
        self.session.invalidate_cache()
        self.assertEqual((self.session.registered_count,
                          self.session.seats_available,
                          self.session.waiting_count,
                          self.session.minimum_reached), (2, 0, 2, True))
        # the waiting list has no attendance; a cancellation promotes the
        # first waiting trainee, who gets the attendance lines
        self.assertFalse(third.attendance_ids)
        first.action_cancel()
        self.assertEqual((third.state, fourth.state),
                         ('confirmed', 'waiting'))
        self.assertEqual(len(third.attendance_ids), 2)
        # more seats: the rest of the waiting list is enrolled
        self.session.capacity_max = 5
        self.assertEqual(fourth.state, 'confirmed')

    def test_no_promotion_in_a_cancelled_session(self):
        first = self._register(self.session, self._trainee('Un'))
        self._register(self.session, self._trainee('Deux'))
        third = self._register(self.session, self._trainee('Trois'))
        self.session.state = 'cancelled'
        first.action_cancel()
        self.assertEqual(third.state, 'waiting')

    def test_funding_data_hidden_from_participants(self):
        reg = self._register(self.session)
        reg.write({'funding_status': 'rsa', 'caf_number': '1234567',
                   'cli_number': 'CLI-1'})
        for user in (self.tutor, self.trainer):
            with self.assertRaises(AccessError):
                reg.sudo(user).read(['caf_number'])
        with self.assertRaises(AccessError):
            self.session.sudo(self.trainee).read(['cost_total'])

    def test_confirming_a_request_beyond_capacity_waits(self):
        self._register(self.session, self._trainee('Un'))
        self._register(self.session, self._trainee('Deux'))
        request = self._register(self.session, self._trainee('Trois'),
                                 state='draft')
        request.action_confirm()
        self.assertEqual(request.state, 'waiting')


class TestLastSeatConcurrency(TrainingCase):
    """Two users register the last seat at the same time, each in their own
    transaction: the second one cannot take it."""

    def test_two_cursors_last_seat(self):
        registry = odoo.registry(get_db_name())
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            session = env['training.session'].create(
                {'name': 'Dernière place', 'capacity_max': 1})
            sequence = env['training.sequence'].create(
                {'session_id': session.id, 'name': 'Atelier'})
            env['training.slot'].create({
                'sequence_id': sequence.id,
                'date_start': '2027-04-01 08:00:00',
                'date_end': '2027-04-01 12:00:00'})
            partners = env['res.partner'].create({'name': 'Premier'}) | \
                env['res.partner'].create({'name': 'Second'})
            ids = (session.id, partners.ids)
        cr_a, cr_b = registry.cursor(), registry.cursor()
        try:
            env_a = odoo.api.Environment(cr_a, odoo.SUPERUSER_ID, {})
            env_b = odoo.api.Environment(cr_b, odoo.SUPERUSER_ID, {})
            # B's transaction starts (and counts) before A commits
            self.assertEqual(env_b['training.session'].browse(
                ids[0]).registered_count, 0)
            env_a['training.registration'].create({
                'session_id': ids[0], 'partner_id': ids[1][0],
                'state': 'confirmed'})
            cr_a.commit()
            with self.assertRaises(SerialisationFailure):
                env_b['training.registration'].create({
                    'session_id': ids[0], 'partner_id': ids[1][1],
                    'state': 'confirmed'})
            # what Odoo's request layer does on a serialisation failure
            cr_b.rollback()
            env_b.clear()
            second = env_b['training.registration'].create({
                'session_id': ids[0], 'partner_id': ids[1][1],
                'state': 'confirmed'})
            self.assertEqual(second.state, 'waiting')
            cr_b.commit()
            states = env_a['training.registration'].search(
                [('session_id', '=', ids[0])]).mapped('state')
            self.assertEqual(sorted(states), ['confirmed', 'waiting'])
        finally:
            cr_a.rollback()
            cr_b.rollback()
            cr_a.close()
            cr_b.close()
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                session = env['training.session'].browse(ids[0])
                regs = session.registration_ids
                regs.mapped('attendance_ids').unlink()
                regs.unlink()
                session.unlink()
                env['res.partner'].browse(ids[1]).unlink()


class TestTraineeRecord(TrainingCase):
    """Trainee records (manual 004)."""

    def setUp(self):
        super(TestTraineeRecord, self).setUp()
        self.mister = self.env.ref('base.res_partner_title_mister')

    def _trainee(self, **vals):
        values = {'is_trainee': True, 'title': self.mister.id,
                  'lastname': 'dupont', 'firstname': 'jean-pierre'}
        values.update(vals)
        return self.Partner.create(values)

    def test_studies_on_the_trainee_record(self):
        """Manual 004 (4): "possibilité de saisir ses études"."""
        trainee = self._trainee(education='CAP cuisine (2019)\nBac pro '
                                          'commerce')
        self.assertIn('Bac pro commerce', trainee.education)
        arch = self.env['res.partner'].fields_view_get(self.env.ref(
            'training_session.res_partner_view_form_trainee').id)['arch']
        self.assertIn('name="education"', arch)

    def test_names_normalised_and_required(self):
        trainee = self._trainee(lastname='  de la  fontaine ',
                                firstname="marie-ANNE  o'neil")
        self.assertEqual((trainee.lastname, trainee.firstname, trainee.name),
                         ('DE LA FONTAINE', "Marie-Anne O'Neil",
                          "DE LA FONTAINE Marie-Anne O'Neil"))
        trainee.write({'firstname': 'lucie'})
        self.assertEqual(trainee.name, 'DE LA FONTAINE Lucie')
        self.assertTrue(trainee.directory_consent)
        for missing in ('title', 'lastname', 'firstname'):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                self._trainee(**{missing: False})

    def test_phone_normalised_and_invalid_refused(self):
        trainee = self._trainee(phone='0612345678',
                                mobile='+33 7.81.23.45.67')
        self.assertEqual((trainee.phone, trainee.mobile),
                         ('06 12 34 56 78', '07 81 23 45 67'))
        trainee.write({'phone': '0033 4 67 00 00 00'})
        self.assertEqual(trainee.phone, '04 67 00 00 00')
        for wrong in ('061234567', '12345', 'téléphone'):
            with self.assertRaisesRegex(ValidationError, '06 12 34 56 78'), \
                    self.cr.savepoint():
                trainee.phone = wrong
        # other contacts keep what was typed
        other = self.Partner.create({'name': 'Fournisseur',
                                     'phone': '+33 (0)4 67 00'})
        self.assertEqual(other.phone, '+33 (0)4 67 00')


class TestRegisterSeveral(RegistrationCase):

    def test_wizard_registers_in_order_with_one_batch(self):
        partners = self.Partner.browse()
        for name in ('Claire', 'Amélie', 'Bruno'):
            partners |= self._trainee(name)
        wizard = self.env['training.registration.wizard'].sudo(
            self.user).create({
                'session_id': self.session.id,
                'partner_ids': [(6, 0, partners.ids)],
                'funding_status': 'job_seeker'})
        wizard.action_register()
        regs = self.session.registration_ids
        self.assertEqual(
            {reg.partner_id.name: reg.state for reg in regs},
            {'Amélie': 'confirmed', 'Bruno': 'confirmed',
             'Claire': 'waiting'})
        self.assertEqual(set(regs.mapped('funding_status')), {'job_seeker'})
        self.assertEqual(len(regs.mapped('attendance_ids')), 4)
        with self.assertRaises(UserError):
            wizard.action_register()

    def test_batch_registration_as_create_would(self):
        """Issue 18: a batch is inserted in one statement, with what
        create() gives (defaults, company, constraints, access rules)."""
        partners = self._trainee('Claire') | self._trainee('Bruno')
        Registration = type(self.Registration)
        # one INSERT for the batch, no create() each
        with mock.patch.object(Registration, 'create',
                               side_effect=AssertionError('create')):
            regs = self.session.sudo(self.user).register_partners(
                partners, state='confirmed', create_uid=self.manager.id)
        self.assertEqual(regs.mapped('partner_id'), partners)
        self.assertEqual(regs.mapped('company_id'), self.session.company_id)
        self.assertTrue(all(regs.mapped('date_registered')))
        self.assertEqual(regs.mapped('create_uid'), self.user)
        self.assertEqual(self.session.registered_count, 2)
        with self.assertRaisesRegex(ValidationError, 'CAF'):
            self.session.register_partners(
                self._trainee('Zoé'), state='confirmed',
                funding_status='rsa')
        other = self._create_session(
            name='Autre population', population_ids=[(0, 0, {
                'name': 'Direction Nord'})])
        self._add_sequence(other, slots=[
            ('2027-02-01 08:00:00', '2027-02-01 12:00:00')])
        with self.assertRaises(AccessError):
            other.sudo(self.user).register_partners(
                self._trainee('Léa'), state='confirmed')
        # over RPC: the partners' ids
        regs = self.session.register_partners(
            self._trainee('Paul').ids, state='draft')
        self.assertEqual(regs.mapped('partner_id.name'), ['Paul'])


class TestTutorCompletesContact(TrainingCase):
    """Manual 004 (8): the tutor completes a trainee's missing details,
    above all the e-mail, with the back office's checks."""

    @classmethod
    def setUpClass(cls):
        super(TestTutorCompletesContact, cls).setUpClass()
        cls.office_tutor = cls._create_user(
            't_tutor_contact', 'group_training_session_tutor')
        cls.session = cls._session_with_slot(
            name='Suivi emploi',
            tutor_ids=[(6, 0, cls.office_tutor.partner_id.ids)])
        cls.ines = cls.Partner.create({'name': 'Inès Garnier'})
        cls.Registration.create({'session_id': cls.session.id,
                                 'partner_id': cls.ines.id,
                                 'state': 'confirmed'})

    def _wizard(self, partner, user, **values):
        Wizard = self.env['training.contact.wizard'].sudo(user)
        return Wizard.with_context(active_id=partner.id).create(values)

    def test_tutor_adds_the_missing_email(self):
        wizard = self._wizard(self.ines, self.office_tutor,
                              email=' ines.garnier@example.fr ',
                              phone='0612345678')
        wizard.action_save()
        self.assertEqual((self.ines.email, self.ines.phone),
                         ('ines.garnier@example.fr', '06 12 34 56 78'))
        # tutors still do not edit contacts otherwise
        with self.assertRaises(AccessError):
            self.ines.sudo(self.office_tutor).write({'name': 'X'})

    def test_checked_and_only_for_their_sessions_trainees(self):
        for values in ({'email': 'ines@'}, {'phone': '12'}):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                self._wizard(self.ines, self.office_tutor,
                             **values).action_save()
        stranger = self.Partner.create({'name': 'Paul Martin'})
        with self.assertRaises(AccessError):
            self._wizard(stranger, self.office_tutor,
                         email='paul@example.fr').action_save()
        self.assertFalse(stranger.email)
        with self.assertRaises(AccessError):
            self.ines.sudo(self.trainer).tutor_update_contact(
                {'email': 'x@example.fr'})
