# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast
import base64
import csv
import datetime
import io
import re

from lxml import etree

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..models.training_info_session import ZIP_RE
from ..models.training_lheo_feed import INFO_SESSION_RECRUITMENT
from ..models.training_session import YEAR_RE

# LHEO namespaces read by the import: 2.3 and the older 2.2.
LHEO_NAMESPACES = ('http://lheo.gouv.fr/2.3', 'http://www.lheo.org/2.2')

# The documented header of a partner sessions CSV file (README "Import").
CSV_COLUMNS = ['external_ref', 'name', 'course_code', 'year', 'date_start',
               'date_end', 'capacity_max', 'organisation', 'place']
REQUIRED_COLUMNS = ['external_ref', 'name', 'date_start', 'date_end']


class TrainingSessionImportWizard(models.TransientModel):
    """Import partner sessions from an LHEO XML file (2.3, or 2.2 by its
    namespace) or a CSV file: a preview lists every session with its errors
    before anything is written; importing creates the valid
    lines as draft sessions and skips the sessions already imported (same
    external reference), so that a file can be imported twice."""
    _name = 'training.session.import.wizard'
    _description = 'Import partner sessions'

    data_file = fields.Binary(string='File', required=True)
    filename = fields.Char()
    line_ids = fields.One2many('training.session.import.line', 'wizard_id',
                               string='Lines', readonly=True)
    state = fields.Selection([('upload', 'Upload'), ('preview', 'Preview'),
                              ('done', 'Done')], default='upload')
    session_ids = fields.Many2many('training.session',
                                   string='Imported sessions')
    summary = fields.Char(readonly=True)

    @api.multi
    def _reopen(self):
        self.ensure_one()
        return {'type': 'ir.actions.act_window', 'res_model': self._name,
                'res_id': self.id, 'view_mode': 'form', 'target': 'new',
                'name': _('Import partner sessions')}

    @api.multi
    def action_preview(self):
        self.ensure_one()
        raw = base64.b64decode(self.data_file or b'')
        if raw.lstrip(b'\xef\xbb\xbf \t\r\n').startswith(b'<'):
            rows = self._read_lheo(raw)
        else:
            rows = self._read_csv(raw)
        self.line_ids.unlink()
        Line = self.env['training.session.import.line']
        existing = self._existing_refs([row.get('external_ref', '').strip()
                                        for _number, row in rows])
        codes = [(row.get('course_code') or '').strip() for _n, row in rows]
        courses = {course.code: course.id for course in self.env[
            'training.course'].search([('code', 'in', codes)])}
        seen = set()
        for number, row in rows:
            values, errors = self._parse_row(row, courses)
            ref = values.get('external_ref')
            if ref in seen:
                errors.append(_('The external reference %s appears earlier '
                                'in the file.') % ref)
            seen.add(ref)
            status = 'error' if errors else (
                'existing' if ref in existing else 'valid')
            Line.create({
                'wizard_id': self.id, 'line_number': number,
                'external_ref': ref, 'name': values.get('name'),
                'status': status, 'message': '\n'.join(errors),
                'values_repr': repr(values) if not errors else False,
            })
        self.state = 'preview'
        return self._reopen()

    @api.multi
    def action_import(self):
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.status == 'valid')
        # a second preview may have become stale: match again
        existing = self._existing_refs(lines.mapped('external_ref'))
        sessions = self.env['training.session']
        already = lines.filtered(lambda line: line.external_ref in existing)
        already.write({'status': 'existing'})
        todo = [(line, ast.literal_eval(line.values_repr))
                for line in lines - already]
        partners = self._partners_by_name(
            [values for _line, values in todo])
        # imported drafts: no chatter message nor follower per session, the
        # wizard's summary is the record of the import
        quiet = self.with_context(tracking_disable=True, mail_notrack=True,
                                  mail_create_nolog=True,
                                  mail_create_nosubscribe=True)
        imported = self.env['training.session.import.line']
        for line, values in todo:
            try:
                with self.env.cr.savepoint():
                    sessions |= quiet._create_session(values, partners)
            except (UserError, ValidationError) as error:
                # rolled back to the savepoint: nothing of it is written
                line.write({'status': 'error', 'message': error.name})
                continue
            imported |= line
        imported.write({'status': 'imported'})
        self.write({
            'state': 'done', 'session_ids': [(6, 0, sessions.ids)],
            'summary': _('%d sessions imported, %d already imported, '
                         '%d lines rejected.') % (
                len(sessions),
                len(self.line_ids.filtered(
                    lambda line: line.status == 'existing')),
                len(self.line_ids.filtered(
                    lambda line: line.status == 'error'))),
        })
        return self._reopen()

    @api.model
    def _read_lheo(self, raw):
        """[(line number, {column: value})] of the sessions of an LHEO
        file, in the CSV columns; a clear error for another XML file."""
        try:
            # never resolve entities nor fetch anything: an uploaded file
            # must not read the server's files (XXE)
            root = etree.fromstring(raw, etree.XMLParser(
                resolve_entities=False, no_network=True, huge_tree=False))
        except etree.XMLSyntaxError as error:
            raise UserError(_('This XML file cannot be read: %s') % error)
        namespace = etree.QName(root).namespace
        if etree.QName(root).localname != 'lheo' or \
                namespace not in LHEO_NAMESPACES:
            raise UserError(_(
                'This XML file is not an LHEO 2.3 or 2.2 offer: its root '
                'element must be <lheo> in one of the namespaces %s.'
            ) % ', '.join(LHEO_NAMESPACES))
        ns = {'l': namespace}

        def text(node, path):
            found = node.find(path, ns)
            return (found.text or '').strip() if found is not None else ''

        rows = []
        for session in root.iterfind(
                'l:offres/l:formation/l:action/l:session', ns):
            action = session.getparent()
            formation = action.getparent()
            place = action.find('l:lieu-de-formation/l:coordonnees/'
                                'l:adresse', ns)
            if place is None:
                place = session.find('l:adresse-inscription/l:adresse', ns)
            row = {
                'external_ref': session.get('numero', ''),
                'name': text(formation, 'l:intitule-formation'),
                'date_start': _lheo_date(text(session, 'l:periode/l:debut')),
                'date_end': _lheo_date(text(session, 'l:periode/l:fin')),
                'organisation': text(
                    formation, 'l:organisme-formation-responsable/'
                    'l:raison-sociale') or text(
                    action, 'l:organisme-formateur/'
                    'l:raison-sociale-formateur'),
                'info_sessions': [
                    _lheo_info_session(recruitment, text)
                    for recruitment in session.iterfind('l:recrutement', ns)
                    if text(recruitment, 'l:modalite-recrutement') ==
                    INFO_SESSION_RECRUITMENT],
            }
            if place is not None:
                row.update({
                    'place': text(place, 'l:denomination') or text(
                        place, 'l:ligne'),
                    'place_street': text(place, 'l:ligne'),
                    'place_zip': text(place, 'l:codepostal'),
                    'place_city': text(place, 'l:ville'),
                })
            rows.append((session.sourceline, row))
        return rows

    @api.model
    def _read_csv(self, raw):
        """[(line number, {column: value})]; a clear error for a file that
        is not a CSV with the documented header."""
        try:
            text = raw.decode('utf-8-sig')
        except UnicodeDecodeError:
            text = raw.decode('latin-1')
        try:
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=';,\t')
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(io.StringIO(text), dialect=dialect)
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise UserError(_(
                'This file is not a partner sessions CSV: the columns %s are '
                'missing. Expected header: %s'
            ) % (', '.join(missing), ';'.join(CSV_COLUMNS)))
        reader.fieldnames = header
        return [(index, row) for index, row in enumerate(reader, 2)
                if any((value or '').strip() for value in row.values())]

    @api.model
    def _existing_refs(self, refs):
        """The references already imported, or codes of our own sessions
        (our LHEO feed numbers sessions with their code)."""
        refs = [ref for ref in refs if ref]
        sessions = self.env['training.session'].with_context(
            active_test=False).search(['|', ('external_ref', 'in', refs),
                                       ('code', 'in', refs)])
        return set(refs) & set(sessions.mapped('external_ref') +
                               sessions.mapped('code'))

    @api.model
    def _parse_row(self, row, courses):
        """(values, errors) of one row; ``courses``: {code: course id}."""
        errors = []
        get = lambda name: str(row.get(name) or '').strip()  # noqa: E731
        values = {'external_ref': get('external_ref'), 'name': get('name')}
        for name in REQUIRED_COLUMNS:
            if not get(name):
                errors.append(_('The column %s is empty.') % name)
        for name in ('date_start', 'date_end'):
            if get(name):
                try:
                    values[name] = fields.Date.to_string(
                        datetime.datetime.strptime(get(name), '%d/%m/%Y'))
                except ValueError:
                    errors.append(_(
                        '%s: "%s" is not a date in the DD/MM/YYYY format.'
                    ) % (name, get(name)))
        if values.get('date_start') and values.get('date_end') and \
                values['date_end'] < values['date_start']:
            errors.append(_('The end date is before the start date.'))
        year = get('year') or (values.get('date_start') or '')[:4]
        if year:
            values['year'] = year
            if not YEAR_RE.match(year):
                errors.append(_('The year must have four digits.'))
        if get('capacity_max'):
            if get('capacity_max').isdigit():
                values['capacity_max'] = int(get('capacity_max'))
            else:
                errors.append(_('capacity_max: "%s" is not a number.')
                              % get('capacity_max'))
        if get('course_code'):
            if get('course_code') in courses:
                values['course_id'] = courses[get('course_code')]
            else:
                errors.append(_('No course has the code %s.')
                              % get('course_code'))
        for name in ('organisation', 'place', 'place_street', 'place_zip',
                     'place_city'):
            if get(name):
                values[name] = get(name)
        infos = row.get('info_sessions') or []
        for info in infos:
            errors += info.pop('errors')
        if infos:
            values['info_sessions'] = infos
        return values, errors

    @api.model
    def _partners_by_name(self, rows):
        """{name: partner id} for the organisations and places of the parsed
        ``rows``, in one search; the contacts not found are created, places
        with their address."""
        addresses = {}
        for values in rows:
            if values.get('organisation'):
                addresses.setdefault(values['organisation'], {})
            if values.get('place'):
                addresses.setdefault(values['place'], {
                    'street': values.get('place_street'),
                    'zip': values.get('place_zip'),
                    'city': values.get('place_city')})
        Partner = self.env['res.partner']
        result = {}
        for partner in Partner.search([('name', 'in', list(addresses))],
                                      order='id'):
            result.setdefault(partner.name, partner.id)
        for name in sorted(set(addresses) - set(result)):
            result[name] = Partner.create(dict(
                addresses[name], name=name, is_company=True)).id
        return result

    @api.model
    def _create_session(self, values, partners):
        """One draft session with one planned sequence for a parsed line;
        ``partners``: {name: partner id}."""
        session_values = {
            key: values[key] for key in ('external_ref', 'name', 'year',
                                         'capacity_max', 'course_id')
            if key in values}
        for name, field in (('organisation', 'organisation_id'),
                            ('place', 'place_id')):
            if values.get(name):
                session_values[field] = partners[values[name]]
        Session = self.env['training.session']
        # one create with its lines: the stored dates are computed once
        session_values['sequence_ids'] = [(0, 0, {
            'name': values['name'],
            'planned_date_start': Session._utc_of_local(
                values['date_start'], 9),
            'planned_date_end': Session._utc_of_local(
                values['date_end'], 17),
        })]
        session_values['info_session_ids'] = [
            (0, 0, info) for info in values.get('info_sessions', [])]
        return Session.create(session_values)


def _lheo_date(value):
    """LHEO dates are YYYYMMDD, 00000000 or 99999999 when unknown; returned
    as DD/MM/YYYY, the CSV format, '' when unknown, or as they are when they
    are not a date (then reported as such)."""
    if value in ('00000000', '99999999'):
        return ''
    try:
        return datetime.datetime.strptime(value, '%Y%m%d').strftime(
            '%d/%m/%Y')
    except ValueError:
        return value


def _lheo_time(value):
    """'09:30', '9h30' or '09' as hours (9.5); None when unreadable."""
    match = re.match(r'^(\d{1,2})(?:[:hH](\d{2}))?$', value or '')
    if not match or int(match.group(1)) > 23:
        return None
    return int(match.group(1)) + int(match.group(2) or 0) / 60.0


def _lheo_info_session(node, text):
    """The values of an information session from a ``recrutement`` element,
    with the list of what makes it unusable under 'errors'."""
    errors = []
    label = day = _lheo_date(text(node, 'l:periode/l:debut'))
    try:
        day = fields.Date.to_string(
            datetime.datetime.strptime(day, '%d/%m/%Y'))
    except ValueError:
        errors.append(_('Information session: "%s" is not a date.')
                      % label)
    start = _lheo_time(text(node, 'l:heure-debut'))
    end = _lheo_time(text(node, 'l:heure-fin'))
    if start is None or end is None:
        errors.append(_('Information session of %s: the start and end times '
                        'are required (HH:MM).') % label)
    seats = text(node, 'l:nb-places')
    if seats and not seats.isdigit():
        errors.append(_('Information session of %s: "%s" is not a number of '
                        'seats.') % (label, seats))
    lines = [line.text.strip() for line in node.iterfind(
        '{%s}adresse/{%s}ligne' % ((etree.QName(node).namespace,) * 2))
        if line.text]
    zip_code = text(node, 'l:adresse/l:codepostal')
    if zip_code and not ZIP_RE.match(zip_code):
        errors.append(_('Information session of %s: the postal code must '
                        'have five digits.') % label)
    return {
        'date': day, 'time_start': start, 'time_end': end,
        'seats': int(seats) if seats.isdigit() else 0,
        'public_comment': text(node, 'l:commentaire') or False,
        'street_name': lines[0] if lines else False,
        'building': lines[1] if len(lines) > 1 else False,
        'special_mention': lines[2] if len(lines) > 2 else False,
        'zip': zip_code or False,
        'city': text(node, 'l:adresse/l:ville') or False,
        'errors': errors,
    }
