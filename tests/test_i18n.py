# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.tests.common import TransactionCase
from odoo.tools.translate import trans_generate

# Terms that are the same in French.
SAME_IN_FRENCH = {
    'Catalogue', 'Certification', 'Code', 'Configuration', 'Cycle', 'Dates',
    'Mode', 'Action', 'Programme', 'Volumes', 'Avenue', 'Boulevard', 'CEDEX',
    'Extension', 'bis', 'ter', 'quater', 'Session n° %s',
    'Cycle 1', 'Cycle 2', 'Description', 'E-learning', 'ID', 'Participants',
    'Population', 'Populations', 'Publication', 'Session', 'Sessions',
    'Total', 'res.config.settings', 'ir.attachment', 'AGEFIPH', 'OPACIF',
    'SIRET', 'res.authentication.attempt', 'Import', 'Imports',
    'ir.mail_server', 'Qualifications',
    'Formacode', 'Contact', 'France Travail (Pôle emploi)', 'Absent',
    '06 12 34 56 78', 'Documents', 'Convocation', 'E-mail', 'Site',
    'Invitation', 'Habilitation', 'Habilitations', 'Identification', 'PDF',
    'participants-%s.xlsx', 'Convocation - %s.pdf', 'E-mails', 'Message',
    'Correction', 'QR code', 'Signature', 'Signatures', '- SIRET',
    # the documented CSV header, technical names
    'external_ref;name;course_code;year;date_start;date_end;capacity_max;'
    'organisation;place',
}


class TestFrenchTranslation(TransactionCase):
    """Every user-visible term of the addon has its French translation in
    i18n/fr.po (loaded at installation, French being installed)."""

    def test_every_term_is_translated(self):
        self.assertTrue(self.env['res.lang'].search(
            [('code', '=', 'fr_FR')]), 'French must be installed')
        terms = trans_generate('fr_FR', ['training_session'], self.cr)
        self.assertGreater(len(terms), 100)
        Translation = self.env['ir.translation']
        missing = set()
        for _module, type_, name, res_id, source, value, _c in terms:
            if type_ == 'code':
                # code terms are looked up by source only, as _() does
                value = Translation._get_source(
                    None, ('code', 'sql_constraint'), 'fr_FR', source)
            # the session mail templates are written in French
            french_source = str(name).startswith('mail.template,')
            if value == source and not str(res_id).endswith('_demo') \
                    and not french_source \
                    and source.strip() not in SAME_IN_FRENCH:
                missing.add(source)
        missing = sorted(missing)
        self.assertFalse(missing, 'Untranslated terms in i18n/fr.po:\n%s'
                         % '\n'.join(missing))

    def test_several_values_have_named_placeholders(self):
        """Issue 18: a translated sentence with several values names them
        (``%(trainee)s``), so that a translation may put them in its own
        order."""
        terms = trans_generate('fr_FR', ['training_session'], self.cr)
        positional = re.compile(r'%[-+ #0]*[0-9.]*[sdf]')
        several = sorted({
            source for _module, type_, _name, _res_id, source, _value, _c
            in terms if type_ == 'code' and
            len(positional.findall(source.replace('%%', ''))) > 1})
        self.assertFalse(several, 'Positional placeholders:\n%s' %
                         '\n'.join(several))

    def test_translation_is_used(self):
        session = self.env['training.session'].with_context(
            lang='fr_FR').create({'name': 'Session'})
        with self.assertRaisesRegex(Exception, 'quatre chiffres'):
            session.with_context(lang='fr_FR').year = '27'
        labels = dict(self.env['training.session'].with_context(
            lang='fr_FR')._fields['state']._description_selection(
                self.env(context={'lang': 'fr_FR'})))
        self.assertEqual(labels['created'], 'Créée')
