# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Attendance signed on the phone (issue 17): the trainee signs their own
line during the slot's window, the trainer countersigns, a signature is
never rewritten nor deleted, corrections go to the history."""
import base64
import datetime
import io

import psycopg2
from PIL import Image

from odoo import SUPERUSER_ID, fields
from odoo.exceptions import AccessError, UserError
from odoo.tools import mute_logger

from ..models.training_registration import format_hours
from .common import TrainingCase


def drawn_png(color=(0, 0, 120)):
    """A small drawn-signature-like PNG, base64."""
    image = Image.new('RGBA', (120, 40), (255, 255, 255, 0))
    for x in range(10, 110):
        image.putpixel((x, 20 + (x % 7) - 3), color + (255,))
    data = io.BytesIO()
    image.save(data, 'PNG')
    return base64.b64encode(data.getvalue())


def at(minutes):
    """UTC datetime string ``minutes`` from now."""
    return fields.Datetime.to_string(
        datetime.datetime.utcnow() + datetime.timedelta(minutes=minutes))


class TestSignature(TrainingCase):

    @classmethod
    def setUpClass(cls):
        super(TestSignature, cls).setUpClass()
        cls.other_trainee = cls._create_user(
            't_trainee2', 'group_training_session_trainee', portal=True)
        cls.session = cls._create_session(name='Atelier signé')
        cls.sequence = cls._add_sequence(cls.session, 'Atelier', slots=[
            (at(-10), at(110),
             {'trainer_ids': [(6, 0, cls.trainer.partner_id.ids)]})])
        cls.slot = cls.sequence.slot_ids
        cls.reg = cls.Registration.create({
                'session_id': cls.session.id, 'state': 'confirmed',
                'partner_id': cls.trainee.partner_id.id})
        cls.other_reg = cls.Registration.create({
            'session_id': cls.session.id, 'state': 'confirmed',
            'partner_id': cls.other_trainee.partner_id.id})
        cls.third_reg = cls.Registration.create({
            'session_id': cls.session.id, 'state': 'confirmed',
            'partner_id': cls.Partner.create({'name': 'Excusée'}).id})
        cls.line = cls.reg.attendance_ids
        cls.other_line = cls.other_reg.attendance_ids

    def _sign(self, line=None, user=None):
        line = line or self.line
        return line.sudo(user or self.trainee).sign(drawn_png())

    def test_trainee_signs_own_line_in_the_window(self):
        self._sign()
        self.assertEqual(self.line.state, 'present')
        self.assertTrue(self.line.signature)
        self.assertEqual(self.line.signed_by_id, self.trainee)
        self.assertTrue(self.line.signed_on)
        self.assertEqual(self.slot.signed_count, 1)
        self.assertEqual(self.slot.signing_state, 'partial')
        history = self.line.history_ids
        self.assertEqual((history.event, history.user_id, history.state_after),
                         ('signed', self.trainee, 'present'))
        # the trainee reads their line and its history, not the others'
        self.assertTrue(self.line.sudo(self.trainee).history_ids)
        with self.assertRaises(AccessError):
            self.other_line.sudo(self.trainee).read(['signature'])

    def test_only_the_trainee_of_the_line_signs(self):
        for user in (self.other_trainee, self.trainer, self.tutor, self.user,
                     self.manager):
            with self.assertRaises(AccessError):
                self._sign(user=user)
        self.assertFalse(self.line.signed_on)

    def test_signing_window(self):
        """From 15 minutes before the start to 60 after the end (system
        parameters)."""
        self.slot.write({'date_start': at(20), 'date_end': at(80)})
        with self.assertRaisesRegex(UserError, 'est ouvert du'):
            self._sign()
        self.slot.write({'date_start': at(10), 'date_end': at(80)})
        self._sign()
        self.slot.write({'date_start': at(-200), 'date_end': at(-70)})
        with self.assertRaisesRegex(UserError, 'est ouvert du'):
            self._sign(self.other_line, self.other_trainee)
        self.env['ir.config_parameter'].set_param(
            'training_session.signing_minutes_after', '90')
        self._sign(self.other_line, self.other_trainee)

    def test_bad_signatures_refused(self):
        for bad in ('', 'bm90IGEgcG5n', 'data:image/png;base64,@@@',
                    base64.b64encode(b'GIF89a' + b'0' * 100)):
            with self.assertRaisesRegex(UserError, 'signature'):
                self.line.sudo(self.trainee).sign(bad)
        self.line.sudo(self.trainee).sign(
            'data:image/png;base64,' + drawn_png().decode())
        with self.assertRaisesRegex(UserError, 'déjà signée'):
            self._sign()

    def test_signature_never_rewritten_nor_deleted(self):
        """Not by the client, the administrator, the superuser nor SQL."""
        self._sign()
        for user in (self.admin, self.env.user):
            with self.assertRaisesRegex(UserError, 'jamais modifiée'):
                self.line.sudo(user).write({'signature': drawn_png((9, 9,
                                                                   9))})
            with self.assertRaisesRegex(UserError, 'corrigez-la'):
                self.line.sudo(user).write({'state': 'absent'})
        for query in ("UPDATE training_attendance SET signed_on = NULL "
                      "WHERE id = %s",
                      "UPDATE training_attendance SET signature = NULL "
                      "WHERE id = %s",
                      "DELETE FROM training_attendance WHERE id = %s",
                      "UPDATE training_attendance_history SET reason = 'x' "
                      "WHERE attendance_id = %s"):
            with self.assertRaises(psycopg2.Error), self.cr.savepoint(), \
                    mute_logger('odoo.sql_db'):
                self.cr.execute(query, (self.line.id,))
        with self.assertRaises(UserError):
            self.reg.unlink()
        # other columns still change (validation by a tutor)
        self.cr.execute("UPDATE training_attendance SET comment = 'ok' "
                        "WHERE id = %s", (self.line.id,))

    def test_correction_kept_in_the_history(self):
        self._sign()
        with self.assertRaises(AccessError):
            self.line.sudo(self.trainer).correct('absent', 'Parti à 10 h')
        with self.assertRaisesRegex(UserError, 'motif'):
            self.line.sudo(self.user).correct('absent', '  ')
        self.line.sudo(self.user).correct('absent', 'Parti à 10 h')
        self.assertEqual(self.line.state, 'absent')
        self.assertTrue(self.line.signature)
        correction = self.line.history_ids.filtered(
            lambda line: line.event == 'correction')
        self.assertEqual(
            (correction.user_id, correction.state_before,
             correction.state_after, correction.reason),
            (self.user, 'present', 'absent', 'Parti à 10 h'))

    def test_trainer_countersigns(self):
        """The unsigned lines become absent, excused ones stay; the
        trainees can no longer sign."""
        self._sign()
        excused = self.third_reg.attendance_ids
        excused.write({'state': 'excused'})
        for user in (self.other_trainee, self.tutor):
            with self.assertRaises(AccessError):
                self.slot.sudo(user).countersign(drawn_png())
        self.slot.sudo(self.trainer).countersign(drawn_png())
        self.assertEqual(self.slot.trainer_signed_by_id, self.trainer)
        self.assertEqual(self.slot.signing_state, 'countersigned')
        self.assertEqual(
            (self.line.state, self.other_line.state, excused.state),
            ('present', 'absent', 'excused'))
        self.assertEqual(self.other_line.history_ids.event, 'countersigned')
        with self.assertRaisesRegex(UserError, 'est clos'):
            self._sign(self.other_line, self.other_trainee)
        with self.assertRaisesRegex(UserError, 'déjà contresigné'):
            self.slot.sudo(self.trainer).countersign(drawn_png())
        for user in (self.admin, self.env(user=SUPERUSER_ID).user):
            with self.assertRaisesRegex(UserError, 'jamais modifiée'):
                self.slot.sudo(user).write({'trainer_signature': False})
        with self.assertRaises(psycopg2.Error), self.cr.savepoint(), \
                mute_logger('odoo.sql_db'):
            self.cr.execute("UPDATE training_slot SET trainer_signature = "
                            "NULL WHERE id = %s", (self.slot.id,))

    def test_countersign_not_before_the_window(self):
        self.slot.write({'date_start': at(60), 'date_end': at(120)})
        with self.assertRaisesRegex(UserError, 'ouvre le'):
            self.slot.sudo(self.trainer).countersign(drawn_png())

    def test_signed_sheets_an_auditor_reads(self):
        """One document per session: the organisation's name, SIRET and
        activity declaration number, each slot's hours, the trainees with
        their drawn signature and when they signed, and the trainer's
        countersignature."""
        company = self.session.company_id
        company.partner_id.write({'siret': '84211372200016',
                                  'training_activity_number': '84691234569'})
        company.logo = drawn_png()
        self._sign()
        self._sign(self.other_line, self.other_trainee)
        self.slot.sudo(self.trainer).countersign(drawn_png())
        html = self.env.ref(
            'training_session.action_report_signed_attendance_sheet'
        ).with_context(lang='fr_FR', tz='Europe/Paris').render_qweb_html(
            self.session.ids)[0].decode()
        self.assertIn('84211372200016', html)
        self.assertIn('84691234569', html)
        self.assertIn(company.name, html)
        self.assertIn('o_training_company_logo', html)
        self.assertEqual(html.count('o_training_signature_image'), 2)
        self.assertEqual(html.count('o_training_countersignature_image'), 1)
        signed_on = self.session._local(self.line.signed_on)
        self.assertIn('Signé électroniquement le %s à %s' % (
            signed_on.strftime('%d/%m/%Y'), signed_on.strftime('%H:%M')),
            html)
        self.assertIn('Contresigné électroniquement par', html)
        self.assertIn(self.slot.hours_label(), html)
        # the excused trainee who did not sign is listed, not signed
        self.assertIn('Non signé', html)

    def test_slot_over_several_days_shows_both_dates(self):
        """05/12 09:00 -> 11/12 18:00 reads as such everywhere: the
        documents and portal (hours_label), the .ics description, the
        mails."""
        self.slot.write({'date_start': '2026-12-05 08:00:00',
                         'date_end': '2026-12-11 17:00:00'})
        both = '05/12/2026 09:00 - 11/12/2026 18:00'
        self.assertEqual(self.slot.with_context(
            tz='Europe/Paris').hours_label(), both)
        self.assertEqual(self.slot.hours_label('Europe/Paris'), both)
        self.session.user_id.tz = 'Europe/Paris'
        ics = self.reg.ics_sequence_file(self.sequence).decode()
        self.assertIn(both, ics.replace('\r\n ', ''))
        template = self.env.ref(
            'training_session.mail_template_registration_convocation')
        body = template.render_template(
            template.body_html, 'training.registration', self.reg.id)
        self.assertIn(both, body)
        # the sheet's half-days: each one's hours, midnight as 24:00
        hours = self.slot.with_context(tz='Europe/Paris').half_day_hours()
        day = datetime.date(2026, 12, 5)
        self.assertEqual(hours[(day, 'am')], '09:00 - 13:00')
        self.assertEqual(hours[(day, 'pm')], '13:00 - 24:00')
        self.assertEqual(hours[(datetime.date(2026, 12, 11), 'pm')],
                         '13:00 - 18:00')
        # within one day, the date once
        self.slot.write({'date_end': '2026-12-05 11:00:00'})
        self.assertEqual(self.slot.hours_label('Europe/Paris'),
                         '05/12/2026 09:00 - 12:00')

    def test_certificate_of_completion_from_the_signed_hours(self):
        """The Ministry of Labour's certificat de réalisation: the hours
        certified are those the trainee signed and was present at."""
        company = self.session.company_id
        company.write({'training_legal_representative':
                       'Claire Martin, gérante', 'city': 'Lyon'})
        company.partner_id.siret = '84211372200016'
        second = self.Slot.create({
            'sequence_id': self.sequence.id, 'date_start': at(200),
            'date_end': at(320)})
        self.assertEqual(self.reg.signed_hours(), 0)
        self._sign()
        self.assertEqual(self.reg.signed_hours(), self.slot.duration_hours)
        self.assertEqual(self.reg.attended_hours(), self.slot.duration_hours)
        self.assertTrue(second.attendance_ids)
        self.trainee.partner_id.lang = 'fr_FR'
        html = self.env.ref(
            'training_session.action_report_certificate_of_completion'
        ).render_qweb_html(self.reg.ids)[0].decode()
        self.assertIn('Certificat de réalisation', html)
        self.assertIn('Claire Martin, gérante', html)
        self.assertIn('84211372200016', html)
        self.assertIn('pour une durée de %s heures' % format_hours(
            self.slot.duration_hours), html)
        self.assertIn('conserver l&#39;ensemble des pièces justificatives',
                      html.replace("'", '&#39;'))
        # a correction to absent takes the hours off
        self.line.sudo(self.user).correct('absent', 'Parti avant le début')
        self.assertEqual(self.reg.signed_hours(), 0)
