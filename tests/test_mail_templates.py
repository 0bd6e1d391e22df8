# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.addons.mail.models.mail_template import mako_template_env

from .common import TrainingCase

RENDERED = ('subject', 'body_html', 'email_from', 'reply_to', 'lang')


class TestMailTemplates(TrainingCase):
    """Odoo logs a template that does not compile and sends the mail with
    an empty body: every template of the addon compiles, in every
    language it is translated to."""

    def test_every_template_compiles(self):
        templates = self.env['mail.template'].browse(
            self.env['ir.model.data'].search([
                ('module', '=', 'training_session'),
                ('model', '=', 'mail.template')]).mapped('res_id'))
        self.assertGreaterEqual(len(templates), 10)
        for lang in ('en_US', 'fr_FR'):
            for template in templates.with_context(lang=lang):
                for name in RENDERED:
                    source = template[name]
                    if not source:
                        continue
                    try:
                        mako_template_env.from_string(source)
                    except Exception as error:
                        self.fail('%s (%s, %s): %s' % (
                            template.name, name, lang, error))

    def test_every_template_renders_for_a_real_record(self):
        """Rendering errors are logged and give an empty body too: each
        template, rendered for a record of its model, names the trainee
        or the session."""
        session = self._session_with_slot(
            name='Gestion du temps', publication_state='published',
            calendar_invitations=True,
            trainer_ids=[(6, 0, self.other_trainer.ids)],
            organisation_id=self.Partner.create({
                'name': 'Centre Formapro', 'is_company': True,
                'email': 'contact@formapro.example.fr'}).id)
        hugo = self.Partner.create({'name': 'Hugo Lambert',
                                    'email': 'hugo@example.fr'})
        registration = self._register(session, hugo)
        schedules = session.mapped('mail_ids.schedule_ids')
        schedules._create_recipients()
        records = {
            'training.registration': registration,
            'training.calendar.invitation': self.env[
                'training.calendar.invitation'].search(
                [('registration_id', '=', registration.id)], limit=1),
        }
        lines = self.env['training.session.mail.sent'].search(
            [('schedule_id', 'in', schedules.ids)])
        templates = self.env['mail.template'].browse(
            self.env['ir.model.data'].search([
                ('module', '=', 'training_session'),
                ('model', '=', 'mail.template')]).mapped('res_id'))
        for template in templates:
            if template.model == 'training.session.mail.sent':
                record = lines.filtered(
                    lambda line: line.schedule_id.mail_id.template_id ==
                    template)[:1]
            else:
                record = records[template.model]
            self.assertTrue(record, template.name)
            for lang in ('en_US', 'fr_FR'):
                values = template.with_context(lang=lang).generate_email(
                    record.id, ['subject', 'body_html'])
                self.assertIn(session.name, values['subject'] +
                              values['body_html'],
                              '%s (%s)' % (template.name, lang))
                self.assertIn('Bonjour', values['body_html'], template.name)
                # issue 18: every mail ends with the organisation's
                # signature, the planning is the shared block
                body = values['body_html']
                self.assertIn(session.company_id.name, body[
                    body.index('border-top'):], template.name)
                if 'mail_planning(' in template.body_html:
                    self.assertIn(session.slot_ids[0].hours_label(), body,
                                  template.name)

    def test_one_copy_of_the_planning(self):
        """Issue 18: the templates share one planning block (a QWeb
        template) instead of a copy each."""
        templates = self.env['mail.template'].browse(
            self.env['ir.model.data'].search([
                ('module', '=', 'training_session'),
                ('model', '=', 'mail.template')]).mapped('res_id'))
        with_planning = templates.filtered(
            lambda template: 'mail_planning(' in template.body_html)
        self.assertGreaterEqual(len(with_planning), 7)
        for template in templates:
            self.assertNotIn('hours_label', template.body_html,
                             template.name)
            self.assertIn('mail_signature()', template.body_html,
                          template.name)

    def test_monthly_session_named_by_its_month(self):
        """Manual 004 (1): the mails name a session organised by month by
        its month, in the trainee's language; the others by their label."""
        session = self._session_with_slot(
            name='Accompagnement emploi', month='2027-03-01',
            session_type='inter', calendar_invitations=True,
            publication_state='published')
        hugo = self.Partner.create({'name': 'Hugo Lambert', 'lang': 'fr_FR',
                                    'email': 'hugo@example.fr'})
        registration = self._register(session, hugo)
        values = self.env.ref(
            'training_session.mail_template_registration_convocation'
        ).generate_email(registration.id, ['subject', 'body_html'])
        self.assertEqual(values['subject'],
                         'Convocation : mars 2027 — Accompagnement emploi')
        self.assertIn('mars 2027 — Accompagnement emploi</strong> (%s)'
                      % session.code, values['body_html'])
        invitation = self.env['training.calendar.invitation'].search(
            [('registration_id', '=', registration.id)])
        values = self.env.ref(
            'training_session.mail_template_calendar_invitation'
        ).generate_email(invitation.id, ['subject'])
        self.assertEqual(values['subject'],
                         'Invitation : mars 2027 — Accompagnement emploi - '
                         'Séquence')
        session.month = False
        values = self.env.ref(
            'training_session.mail_template_registration_convocation'
        ).generate_email(registration.id, ['subject'])
        self.assertEqual(values['subject'],
                         'Convocation : Accompagnement emploi')
