# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import psycopg2

from odoo.exceptions import AccessError, ValidationError
from odoo.tools import mute_logger

from .common import CertificationCase


class TestCertificationReference(CertificationCase):
    """Reference data of the certification sessions (manual 003):
    schemes, certificate types, habilitations, trainer qualifications."""

    def test_validity_cannot_end_before_it_starts(self):
        with self.assertRaises(ValidationError):
            self.env['training.habilitation'].create({
                'entity_id': self.entity_a.id, 'scheme_id': self.sst.id,
                'date_from': '2027-01-01', 'date_to': '2026-12-31'})
        with self.assertRaises(ValidationError):
            self.env['training.trainer.qualification'].create({
                'trainer_id': self.other_trainer.id,
                'scheme_id': self.sst.id,
                'date_from': '2027-01-01', 'date_to': '2026-12-31'})

    def test_valid_on_a_day_bounds_included(self):
        Qualification = self.env['training.trainer.qualification']
        qualification = Qualification.create({
            'trainer_id': self.other_trainer.id, 'scheme_id': self.sst.id,
            'date_from': '2027-01-01', 'date_to': '2027-06-30'})
        open_ended = Qualification.create({
            'trainer_id': self.other_trainer.id, 'scheme_id': self.sst.id,
            'date_from': '2028-01-01'})
        for day, valid in (('2026-12-31', False), ('2027-01-01', True),
                           ('2027-06-30', True), ('2027-07-01', False)):
            self.assertEqual(qualification.is_valid_on(day), valid, day)
            found = Qualification.search(
                [('id', '=', qualification.id)]
                + Qualification._valid_on_domain(day))
            self.assertEqual(bool(found), valid, day)
        self.assertTrue(open_ended.is_valid_on('2099-01-01'))
        self.assertFalse(open_ended.is_valid_on('2027-12-31'))

    def test_certificate_types_of_a_scheme(self):
        self.assertEqual(self.sst.certificate_type_ids, self.sst_type)
        self.assertEqual(self.sst_type.display_name,
                         '[SST-1] Sauveteur secouriste du travail')
        self.assertEqual(self.sst.display_name, 'SST - 1')

    def test_national_number_is_unique_and_without_spaces(self):
        person = self.Partner.create({
            'name': 'Jean Martin', 'training_national_number': ' FP 99 '})
        self.assertEqual(person.training_national_number, 'FP99')
        with self.assertRaises(psycopg2.IntegrityError), \
                mute_logger('odoo.sql_db'), self.cr.savepoint():
            self.Partner.create({'name': 'Autre Martin',
                                 'training_national_number': 'FP99'})

    def test_delegates_and_managers_see_their_entity_habilitations(self):
        Habilitation = self.env['training.habilitation']
        for user in (self.delegate_a, self.manager_a):
            seen = Habilitation.sudo(user).search([])
            self.assertEqual(seen.mapped('entity_id'), self.entity_a)
        seen = Habilitation.sudo(self.user).search(
            [('entity_id', 'in', (self.entity_a | self.entity_b).ids)])
        self.assertEqual(set(seen.mapped('entity_id').ids),
                         {self.entity_a.id, self.entity_b.id})
        with self.assertRaises(AccessError):
            Habilitation.sudo(self.manager_a).create({
                'entity_id': self.entity_a.id, 'scheme_id': self.sst.id,
                'date_from': '2026-01-01'})

    def test_entity_change_applies_to_the_rules_at_once(self):
        Habilitation = self.env['training.habilitation']
        self.assertEqual(Habilitation.sudo(self.delegate_a).search(
            []).mapped('entity_id'), self.entity_a)
        self.delegate_a.certification_entity_id = self.entity_b
        self.assertEqual(Habilitation.sudo(self.delegate_a).search(
            []).mapped('entity_id'), self.entity_b)

    def test_trainer_sees_own_qualifications_only(self):
        Qualification = self.env['training.trainer.qualification']
        Qualification.create({
            'trainer_id': self.other_trainer.id, 'scheme_id': self.sst.id,
            'date_from': '2026-01-01'})
        seen = Qualification.sudo(self.trainer).search([])
        self.assertEqual(seen.mapped('trainer_id'), self.trainer.partner_id)
        trainers = self.trainer.partner_id | self.other_trainer
        ours = [('trainer_id', 'in', trainers.ids)]
        self.assertEqual(len(Qualification.sudo(self.user).search(ours)), 2)
        with self.assertRaises(AccessError):
            Qualification.sudo(self.delegate_a).search([])
