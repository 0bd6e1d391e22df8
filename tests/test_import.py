# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import re
from contextlib import contextmanager
from unittest import mock

from odoo.exceptions import UserError

from ..wizards import training_session_import_wizard as import_wizard
from .common import TrainingCase

CSV = """external_ref;name;course_code;year;date_start;date_end;capacity_max;\
organisation;place
P-001;Management - Lyon;IMP-MGT;2027;15/05/2027;27/06/2027;12;\
Formapro;Campus Lyon
P-002;Sans date de fin;;2027;15/05/2027;;;;
P-003;Date fausse;;;31/02/2027;01/03/2027;;;
P-004;Formation inconnue;NOPE;2027;01/03/2027;02/03/2027;;;
P-005;Capacité fausse;;2027;01/03/2027;02/03/2027;douze;;
P-006;Bureautique;;;01/12/2027;03/12/2027;8;;
"""


class ImportCase(TrainingCase):

    def _wizard(self, text=CSV):
        return self.env['training.session.import.wizard'].sudo(
            self.user).create({
                'data_file': base64.b64encode(text.encode('utf-8')),
                'filename': 'sessions.csv'})

    def _sessions(self):
        return self.Session.search([('external_ref', 'like', 'P-00')])


class TestImport(ImportCase):
    """Import of partner sessions from CSV, with a preview (issue 3)."""

    @classmethod
    def setUpClass(cls):
        super(TestImport, cls).setUpClass()
        cls.course = cls.env['training.course'].create(
            {'name': 'Manager une équipe', 'code': 'IMP-MGT',
             'session_type': 'inter'})

    def test_preview_reports_each_line_and_writes_nothing(self):
        wizard = self._wizard()
        wizard.action_preview()
        status = {line.external_ref: line.status
                  for line in wizard.line_ids}
        self.assertEqual(status, {
            'P-001': 'valid', 'P-002': 'error', 'P-003': 'error',
            'P-004': 'error', 'P-005': 'error', 'P-006': 'valid'})
        messages = {line.external_ref: line.message
                    for line in wizard.line_ids}
        self.assertIn('date_end', messages['P-002'])
        self.assertIn('31/02/2027', messages['P-003'])
        self.assertIn('NOPE', messages['P-004'])
        self.assertIn('douze', messages['P-005'])
        self.assertEqual(wizard.line_ids.mapped('line_number'),
                         [2, 3, 4, 5, 6, 7])
        self.assertFalse(self._sessions())

    def test_import_valid_lines_as_drafts(self):
        wizard = self._wizard()
        wizard.action_preview()
        wizard.action_import()
        sessions = self._sessions()
        self.assertEqual(sorted(sessions.mapped('external_ref')),
                         ['P-001', 'P-006'])
        first = sessions.filtered(lambda s: s.external_ref == 'P-001')
        self.assertEqual(first.publication_state, 'draft')
        self.assertEqual(first.course_id, self.course)
        self.assertEqual(first.session_type, 'inter')
        self.assertEqual(first.capacity_max, 12)
        self.assertRegex(first.code, r'^2027-\d{4}$')
        self.assertEqual(first.organisation_id.name, 'Formapro')
        self.assertEqual(first.place_id.name, 'Campus Lyon')
        # 09:00 and 17:00 in Paris, summer time
        self.assertEqual(first.date_start, '2027-05-15 07:00:00')
        self.assertEqual(first.date_end, '2027-06-27 15:00:00')
        other = sessions - first
        self.assertEqual(other.year, '2027')
        # imported, already imported, rejected (in the user's language)
        self.assertEqual(re.findall(r'\d+', wizard.summary),
                         ['2', '0', '4'])

    def test_same_file_twice_creates_nothing_new(self):
        wizard = self._wizard()
        wizard.action_preview()
        wizard.action_import()
        again = self._wizard()
        again.action_preview()
        self.assertEqual(
            again.line_ids.filtered(
                lambda line: line.status == 'existing').mapped(
                    'external_ref'), ['P-001', 'P-006'])
        again.action_import()
        self.assertEqual(len(self._sessions()), 2)
        self.assertEqual(re.findall(r'\d+', again.summary), ['0', '2', '4'])

    def test_line_refused_at_creation_is_reported_not_half_written(self):
        self.env['training.course'].create(
            {'name': 'Gros groupe', 'code': 'IMP-BIG', 'capacity_min': 10})
        wizard = self._wizard(
            'external_ref;name;course_code;date_start;date_end;capacity_max\n'
            'P-007;Trop petit;IMP-BIG;01/03/2027;02/03/2027;5\n'
            'P-008;Correct;;01/03/2027;02/03/2027;5\n')
        wizard.action_preview()
        wizard.action_import()
        status = {line.external_ref: line.status
                  for line in wizard.line_ids}
        self.assertEqual(status, {'P-007': 'error', 'P-008': 'imported'})
        self.assertTrue(wizard.line_ids[0].message)
        self.assertEqual(self._sessions().mapped('external_ref'), ['P-008'])
        self.assertFalse(self.Sequence.search([('name', '=', 'Trop petit')]))

    def test_reference_twice_in_a_file(self):
        wizard = self._wizard(
            'external_ref;name;date_start;date_end\n'
            'P-009;Première;01/03/2027;02/03/2027\n'
            'P-009;Doublon;05/03/2027;06/03/2027\n')
        wizard.action_preview()
        self.assertEqual(wizard.line_ids.mapped('status'),
                         ['valid', 'error'])
        self.assertIn('P-009', wizard.line_ids[1].message)
        wizard.action_import()
        self.assertEqual(self._sessions().mapped('name'), ['Première'])

    def test_wrong_file_is_refused_clearly(self):
        wizard = self._wizard('nom;début\nA;B\n')
        with self.assertRaisesRegex(UserError, 'external_ref'):
            wizard.action_preview()

    def test_create_wizard_offers_import(self):
        wizard = self.env['training.session.create.wizard'].create(
            {'mode': 'import'})
        action = wizard.action_continue()
        self.assertEqual(action['res_model'],
                         'training.session.import.wizard')


LHEO = """<?xml version="1.0" encoding="UTF-8"?>
<lheo xmlns="{ns}">
  <offres>
    <formation numero="F-1">
      <intitule-formation>Cuisine collective</intitule-formation>
      <organisme-formation-responsable>
        <raison-sociale>Lycée hôtelier Test</raison-sociale>
      </organisme-formation-responsable>
      <action numero="A-1">
        <lieu-de-formation>
          <coordonnees><adresse>
            <denomination>Restaurant d'application</denomination>
            <codepostal>67000</codepostal><ville>Strasbourg</ville>
          </adresse></coordonnees>
        </lieu-de-formation>
        <session numero="{ref}-1">
          <periode><debut>20270104</debut><fin>20270625</fin></periode>
        </session>
        <session numero="{ref}-2">
          <periode><debut>20270104</debut><fin>00000000</fin></periode>
        </session>
      </action>
    </formation>
  </offres>
</lheo>
"""


class TestImportLheo(ImportCase):
    """The same import from LHEO 2.3 and 2.2 offers."""

    def _lheo_wizard(self, namespace, ref):
        return self._wizard(LHEO.format(ns=namespace, ref=ref))

    def test_lheo_23_and_22(self):
        for namespace, ref in (('http://lheo.gouv.fr/2.3', 'P-023'),
                               ('http://www.lheo.org/2.2', 'P-022')):
            wizard = self._lheo_wizard(namespace, ref)
            wizard.action_preview()
            status = {line.external_ref: line.status
                      for line in wizard.line_ids}
            self.assertEqual(status, {ref + '-1': 'valid',
                                      ref + '-2': 'error'})
            wizard.action_import()
            session = self.Session.search([('external_ref', '=',
                                            ref + '-1')])
            self.assertEqual(session.name, 'Cuisine collective')
            self.assertEqual(session.year, '2027')
            self.assertEqual(session.date_start, '2027-01-04 08:00:00')
            self.assertEqual(session.date_end, '2027-06-25 15:00:00')
            self.assertEqual(session.organisation_id.name,
                             'Lycée hôtelier Test')
            self.assertEqual(
                (session.place_id.name, session.place_id.zip,
                 session.place_id.city),
                ("Restaurant d'application", '67000', 'Strasbourg'))
            again = self._lheo_wizard(namespace, ref)
            again.action_preview()
            self.assertEqual(
                again.line_ids.mapped('status'), ['existing', 'error'])

    def test_other_xml_refused(self):
        wizard = self._wizard('<?xml version="1.0"?><offres/>')
        with self.assertRaisesRegex(UserError, 'LHEO'):
            wizard.action_preview()
        wizard = self._wizard('<lheo xmlns="http://example.com/9"/>')
        with self.assertRaisesRegex(UserError, 'LHEO'):
            wizard.action_preview()
        wizard = self._wizard('<lheo><offres>')
        with self.assertRaises(UserError):
            wizard.action_preview()

    def test_bad_dates_and_information_sessions_reported_per_line(self):
        text = LHEO.format(ns='http://lheo.gouv.fr/2.3', ref='P-BAD')
        text = text.replace('<debut>20270104</debut><fin>20270625</fin>', (
            '<debut>20271345</debut><fin>20270625</fin></periode>'
            '<recrutement><modalite-recrutement>9</modalite-recrutement>'
            '<nb-places>dix</nb-places><periode><debut>20261210</debut>'
            '<fin>20261210</fin></periode><heure-debut>midi</heure-debut>'
            '<heure-fin>14:00</heure-fin></recrutement><periode>'
            '<debut>20270104</debut><fin>20270104</fin>'), 1)
        wizard = self._wizard(text)
        wizard.action_preview()
        line = wizard.line_ids.filtered(
            lambda line: line.external_ref == 'P-BAD-1')
        self.assertEqual(line.status, 'error')
        self.assertIn('20271345', line.message)
        self.assertIn('10/12/2026', line.message)
        self.assertIn('HH:MM', line.message)
        self.assertIn('dix', line.message)
        wizard.action_import()
        self.assertFalse(self.Session.search(
            [('external_ref', 'like', 'P-BAD')]))

    def test_information_sessions_are_imported(self):
        text = LHEO.format(ns='http://www.lheo.org/2.2', ref='P-INF')
        text = text.replace('<fin>20270625</fin></periode>', (
            '<fin>20270625</fin></periode>'
            '<recrutement><modalite-recrutement>9</modalite-recrutement>'
            '<adresse><ligne>2 rue du Marché</ligne>'
            '<codepostal>67000</codepostal><ville>Strasbourg</ville>'
            '</adresse><nb-places>20</nb-places><periode>'
            '<debut>20261210</debut><fin>20261210</fin></periode>'
            '<heure-debut>9h30</heure-debut><heure-fin>11:00</heure-fin>'
            '<commentaire>Tram A</commentaire></recrutement>'
            # another kind of recruitment is not an information session
            '<recrutement><modalite-recrutement>1</modalite-recrutement>'
            '</recrutement>'), 1)
        wizard = self._wizard(text)
        wizard.action_preview()
        wizard.action_import()
        info = self.Session.search(
            [('external_ref', '=', 'P-INF-1')]).info_session_ids
        self.assertEqual(
            (info.date, info.time_start, info.time_end, info.seats,
             info.street_name, info.zip, info.public_comment),
            ('2026-12-10', 9.5, 11.0, 20, '2 rue du Marché', '67000',
             'Tram A'))

    def test_five_megabyte_file(self):
        text = LHEO.format(ns='http://lheo.gouv.fr/2.3', ref='P-BIG')
        padding = '<extras info="x">%s</extras>' % (
            '<extra info="bourrage">%s</extra>' % ('x' * 90) * 50000)
        text = text.replace('</offres>', padding + '</offres>')
        self.assertGreater(len(text), 5 * 1024 * 1024)
        wizard = self._wizard(text)
        wizard.action_preview()
        self.assertEqual(
            sorted(wizard.line_ids.mapped('status')), ['error', 'valid'])
        wizard.action_import()
        self.assertEqual(len(wizard.session_ids), 1)

    def test_external_entities_are_never_resolved(self):
        text = LHEO.format(ns='http://lheo.gouv.fr/2.3', ref='P-XXE')
        text = text.replace(
            '<lheo ', '<!DOCTYPE lheo [<!ENTITY secret SYSTEM '
            '"file:///etc/hostname">]>\n<lheo ', 1).replace(
            'Cuisine collective', 'Cuisine &secret;')
        with open('/etc/hostname') as hostname:
            secret = hostname.read().strip()
        wizard = self._wizard(text)
        wizard.action_preview()
        names = ' '.join(wizard.line_ids.mapped('name'))
        self.assertIn('Cuisine', names)
        self.assertNotIn(secret, names)


class TestImportLimits(ImportCase):
    """Files over the size or line limits are refused at once, before they
    are read or parsed; system parameters change the limits (issue 13,
    7)."""

    def _set_limit(self, name, value):
        self.env['ir.config_parameter'].sudo().set_param(
            'training_session.import_max_%s' % name, value)

    @contextmanager
    def _not_parsed(self, decoded=True):
        """Fails when the file is parsed, or decoded unless ``decoded``."""
        never = mock.Mock(side_effect=AssertionError('read too early'))
        with mock.patch('lxml.etree.iterparse', never), \
                mock.patch('lxml.etree.fromstring', never), \
                mock.patch('csv.DictReader', never), \
                mock.patch('csv.Sniffer', never), \
                mock.patch('base64.b64decode',
                           wraps=base64.b64decode) as decode:
            yield
        if not decoded:
            self.assertFalse(decode.called, 'decoded too early')

    def _csv(self, count, ref='P-L%04d'):
        return CSV.splitlines()[0] + '\n' + ''.join(
            '%s;Ligne %d;;2027;01/03/2027;02/03/2027;;;\n' % (
                ref % index, index) for index in range(count))

    def test_file_over_the_size_limit_is_refused_before_it_is_read(self):
        text = LHEO.format(ns='http://lheo.gouv.fr/2.3', ref='P-HUGE')
        text = text.replace('</offres>', '<extras>%s</extras></offres>' % (
            '<extra>%s</extra>' % ('x' * 1000) * 21000))
        size = len(text.encode('utf-8'))
        self.assertGreater(size, 20 * 1024 * 1024)
        wizard = self._wizard(text)
        with self._not_parsed(decoded=False), \
                self.assertRaises(UserError) as caught:
            wizard.action_preview()
        # the file's size, then the limit (in the user's language)
        self.assertRegex(caught.exception.name, r'%.1f M\w+ \(%d\D+20\.0 M'
                         r'\w+ \(20971520\D.*training_session\.import_max_'
                         r'bytes' % (size / 1048576.0, size))
        self.assertFalse(wizard.line_ids)
        self.assertEqual(wizard.state, 'upload')

    def test_csv_over_the_line_limit_is_refused_before_it_is_parsed(self):
        wizard = self._wizard(self._csv(5001))
        with self._not_parsed(), self.assertRaises(UserError) as caught:
            wizard.action_preview()
        self.assertRegex(caught.exception.name, r'\b5001\D+\b5000\D.*'
                         r'training_session\.import_max_lines')
        self.assertFalse(wizard.line_ids)
        # at the limit (blank lines aside), the whole file is previewed, a
        # reference repeated far below its first line included
        text = self._csv(4999) + 'P-L0000;Doublon;;2027;01/03/2027;' \
            '02/03/2027;;;\n\n\n'
        wizard = self._wizard(text)
        wizard.action_preview()
        self.assertEqual(len(wizard.line_ids), 5000)
        self.assertEqual(wizard.line_ids[-1].status, 'error')
        self.assertIn('P-L0000', wizard.line_ids[-1].message)

    def test_lheo_with_too_many_sessions_is_refused(self):
        session = ('<session numero="P-MANY-%d"><periode><debut>20270104'
                   '</debut><fin>20270625</fin></periode></session>')
        text = LHEO.format(ns='http://lheo.gouv.fr/2.3', ref='P-MANY')
        text = text.replace('</action>', ''.join(
            session % index for index in range(3, 5002)) + '</action>')
        wizard = self._wizard(text)
        with self.assertRaises(UserError) as caught:
            wizard.action_preview()
        self.assertRegex(caught.exception.name, r'\bLHEO\D+\b5001\D+'
                         r'\b5000\D.*training_session\.import_max_lines')
        self.assertFalse(wizard.line_ids)

    def test_system_parameters_change_the_limits(self):
        self._set_limit('lines', '5')
        with self.assertRaisesRegex(UserError, r'\b6\D+\b5\D'):
            self._wizard().action_preview()
        lheo = LHEO.format(ns='http://www.lheo.org/2.2', ref='P-PAR')
        self._set_limit('lines', '1')
        with self.assertRaisesRegex(UserError, r'\b2\D+\b1\D'):
            self._wizard(lheo).action_preview()
        size = len(CSV.encode('utf-8'))
        self._set_limit('lines', '6')
        self._set_limit('bytes', str(size - 1))
        with self.assertRaisesRegex(UserError, r'\(%d\D+0\.0 M\w+ \(%d\D'
                                    % (size, size - 1)):
            self._wizard().action_preview()
        # at the limits, the file is previewed and imported
        self._set_limit('bytes', str(size))
        wizard = self._wizard()
        wizard.action_preview()
        self.assertEqual(len(wizard.line_ids), 6)
        wizard.action_import()
        # P-001's course is not created here
        self.assertEqual(self._sessions().mapped('external_ref'), ['P-006'])
        # a value that is not a positive number: the default limit
        for value in ('0', 'beaucoup'):
            self._set_limit('lines', value)
            self._set_limit('bytes', value)
            self._wizard(lheo).action_preview()

    def test_preview_and_import_by_batches(self):
        text = CSV + (
            'P-007;Même organisme;;;01/12/2027;03/12/2027;8;Formapro;\n'
            'P-001;Doublon;;;01/12/2027;03/12/2027;8;;\n'
            'P-008;Même formation;IMP-LIM;;01/12/2027;03/12/2027;8;;\n')
        self.env['training.course'].create(
            {'name': 'Limites', 'code': 'IMP-LIM'})
        with mock.patch.object(import_wizard, 'BATCH_SIZE', 2):
            wizard = self._wizard(text.replace('IMP-MGT', 'IMP-LIM'))
            wizard.action_preview()
            self.assertEqual(
                wizard.line_ids.mapped('status'),
                ['valid', 'error', 'error', 'error', 'error', 'valid',
                 'valid', 'error', 'valid'])
            wizard.action_import()
        sessions = self._sessions()
        self.assertEqual(sorted(sessions.mapped('external_ref')),
                         ['P-001', 'P-006', 'P-007', 'P-008'])
        # one contact, one course for the lines of different batches
        self.assertEqual(len(sessions.mapped('organisation_id')), 1)
        self.assertEqual(len(sessions.mapped('course_id')), 1)
        self.assertEqual(re.findall(r'\d+', wizard.summary),
                         ['4', '0', '5'])
