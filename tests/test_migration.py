# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The migration scripts (migrations/): what an update of an existing
database does that a new install does by itself."""
import importlib.util
import os

from odoo.modules.module import get_module_path
from odoo.tests.common import TransactionCase


def _script(version, name):
    path = os.path.join(get_module_path('training_session'), 'migrations',
                        version, name)
    spec = importlib.util.spec_from_file_location(
        'training_session_migration', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _blocks_undone(body):
    """A template's ``body`` as it was before 11.0.1.2.0 (its planning
    copied, no signature)."""
    script = _script('11.0.1.2.0', 'post-mail-templates.py')
    for old, new in script.SUBSTITUTIONS:
        body = body.replace(new, old)
    return body.replace(script.SIGNATURE, '')


class TestMigration(TransactionCase):

    def test_trainee_rules_rewritten_at_update(self):
        """11.0.1.1.0: the rules file is loaded with noupdate; the update
        writes the trainees' new rules (enrolled trainees see unpublished
        sessions) over the old ones."""
        script = _script('11.0.1.1.0', 'post-migration.py')
        rule = self.env.ref('training_session.training_registration_rule_'
                            'trainee')
        new_domain = rule.domain_force
        rule.domain_force = "[('partner_id', '=', user.partner_id.id), " \
            "('session_id.publication_state', '=', 'published')]"
        script.migrate(self.env.cr, '11.0.1.0.0')
        rule.invalidate_cache()
        self.assertEqual(rule.domain_force, new_domain)
        self.assertIn("('state', 'in', ['confirmed', 'done'])", new_domain)
        # a new install runs no migration
        rule.domain_force = "[(1, '=', 1)]"
        script.migrate(self.env.cr, None)
        rule.invalidate_cache()
        self.assertEqual(rule.domain_force, "[(1, '=', 1)]")


class TestSessionTitleMigration(TransactionCase):
    """11.0.1.1.0: the mail templates are loaded with noupdate; the update
    makes those of an existing database (and their French copies) name a
    monthly session by its month and show both dates of a slot over several
    days, as a new install does."""

    def _migrate(self, version):
        _script('11.0.1.1.0', 'post-mail-templates.py').migrate(
            self.env.cr, version)
        self.env['mail.template'].invalidate_cache()

    def test_templates_print_the_title(self):
        template = self.env.ref(
            'training_session.mail_template_registration_convocation')
        french = template.with_context(lang='fr_FR')
        new_subject = template.subject
        # the body as 11.0.1.1.0 wrote it (before the shared blocks)
        new_body = _blocks_undone(template.body_html)
        template.body_html = new_body
        self.assertIn('object.session_id.title}', new_subject)
        # as an existing database has it, with a user's own sentence
        old_subject = new_subject.replace('.title}', '.name}')
        old_body = new_body
        for old, new in _script('11.0.1.1.0', 'post-mail-templates.py') \
                .SUBSTITUTIONS:
            self.assertIn(new, new_body)
            old_body = old_body.replace(new, old)
        old_body += '<p>Merci, object.session_id.name.</p>'
        template.write({'subject': old_subject, 'body_html': old_body})
        # its French copy, as a database that translated it has
        translation = {'name': 'mail.template,subject', 'type': 'model',
                       'lang': 'fr_FR', 'res_id': template.id}
        Translation = self.env['ir.translation']
        french_subject = Translation.search(
            [(key, '=', value) for key, value in translation.items()])
        if not french_subject:
            french_subject = Translation.create(translation)
        french_subject.write({'src': old_subject, 'state': 'translated',
                              'value': old_subject + ' (fr)'})
        self._migrate(None)  # a new install: nothing to do
        self.assertEqual(template.subject, old_subject)
        self._migrate('11.0.1.0.0')
        self.assertEqual(template.subject, new_subject)
        self.assertEqual(template.body_html, new_body +
                         '<p>Merci, object.session_id.name.</p>')
        self.assertEqual(french.subject, new_subject + ' (fr)')
        session = self.env['training.session'].create(
            {'name': 'Accompagnement emploi', 'month': '2027-03-01'})
        self.env['training.sequence'].create({
            'session_id': session.id, 'name': 'Atelier 1',
            'date_start': '2027-03-01 08:00:00',
            'date_end': '2027-03-01 12:00:00'})
        self.env['training.slot'].create({
            'sequence_id': session.sequence_ids.id,
            'date_start': '2027-03-01 08:00:00',
            'date_end': '2027-03-01 12:00:00'})
        registration = self.env['training.registration'].create({
            'session_id': session.id, 'state': 'confirmed',
            'partner_id': self.env['res.partner'].create(
                {'name': 'Hugo Lambert', 'lang': 'fr_FR'}).id})
        self.assertEqual(
            template.generate_email(registration.id, ['subject'])['subject'],
            'Convocation : mars 2027 — Accompagnement emploi (fr)')


class TestMailBlocksMigration(TransactionCase):
    """11.0.1.2.0 (issue 18): the templates of an existing database get the
    shared planning block and the signature, as a new install has them;
    a user's own sentence stays, and so does a planning they rewrote."""

    def test_templates_get_the_shared_blocks(self):
        script = _script('11.0.1.2.0', 'post-mail-templates.py')
        templates = {
            name: self.env.ref('training_session.' + name) for name in (
                'mail_template_session_registration',
                'mail_template_session_trainer_file',
                'mail_template_calendar_invitation',
                'mail_template_registration_convocation')}
        new = {name: template.body_html
               for name, template in templates.items()}
        for name, template in templates.items():
            self.assertIn('mail_planning(', new[name])
            self.assertIn(script.SIGNATURE, new[name])
            template.body_html = _blocks_undone(new[name])
            self.assertNotIn('mail_planning(', template.body_html)
        edited = templates['mail_template_session_registration']
        edited.body_html = edited.body_html.replace(
            '<p>Bonjour', '<p>Cher stagiaire, bonjour')
        script.migrate(self.env.cr, None)  # a new install: nothing to do
        self.env['mail.template'].invalidate_cache()
        self.assertNotIn(script.SIGNATURE, edited.body_html)
        script.migrate(self.env.cr, '11.0.1.1.0')
        self.env['mail.template'].invalidate_cache()
        for name, template in templates.items():
            if template != edited:
                self.assertEqual(template.body_html, new[name])
        self.assertEqual(edited.body_html, new[
            'mail_template_session_registration'].replace(
                '<p>Bonjour', '<p>Cher stagiaire, bonjour'))
