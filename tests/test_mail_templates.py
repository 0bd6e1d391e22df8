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
