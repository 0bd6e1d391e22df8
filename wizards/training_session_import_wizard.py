# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast
import base64
import codecs
import csv
import datetime
import functools
import io
import itertools
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
# The sessions of an LHEO offer, from one of its formation elements.
LHEO_SESSIONS = 'l:action/l:session'
# An XML file: a '<' after a byte order mark and blanks, if any.
XML_START_RE = re.compile(br'[\xef\xbb\xbf \t\r\n]*<')

# Limits of an imported file (README "Import"), checked before it is read;
# each can be changed by the system parameter that follows it.
# 20 MB: an LHEO offer takes 3 to 7 KB per session (its formation's texts,
# contacts and organisations), so 20 MB is about 5,000 sessions; the web
# client refuses more than 25 MB anyway. A CSV file reaches the line limit
# long before (about 120 bytes a line).
IMPORT_MAX_BYTES = 20 * 1024 * 1024
MAX_BYTES_PARAM = 'training_session.import_max_bytes'
# 5,000 sessions (CSV lines besides the header, or sessions of an LHEO
# offer): a funder's offer is a few thousand sessions. Measured at the
# limits, the preview takes 3 to 6 s and at most 70 MB, importing 5,000
# sessions 70 MB too: far from the 2 GB of a worker (limit_memory_soft).
# Creating a session (with its mail settings) takes about 60 ms of CPU,
# though: beyond 1,000 sessions, the import needs more than Odoo's default
# limit_time_cpu of 60 s (README "Import").
IMPORT_MAX_LINES = 5000
MAX_LINES_PARAM = 'training_session.import_max_lines'
# Lines previewed, or imported, together: their references, courses and
# contacts are looked up in one search, then the cache is emptied, so that
# the memory used does not grow with the file.
BATCH_SIZE = 500
# Base64 characters of the uploaded file read from the database at once.
READ_SIZE = 4 * 1024 * 1024
MEGABYTE = 1024.0 * 1024.0


class TrainingSessionImportWizard(models.TransientModel):
    """Import partner sessions from an LHEO XML file (2.3, or 2.2 by its
    namespace) or a CSV file: a preview lists every session with its errors
    before anything is written; importing creates the valid
    lines as draft sessions and skips the sessions already imported (same
    external reference), so that a file can be imported twice. A file over
    the size or session limits (system parameters) is refused before it is
    read."""
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
        """Read the file (refused at once when it is over the limits), then
        list its lines, a batch at a time, with their errors."""
        self.ensure_one()
        raw = self._decoded_file()
        if XML_START_RE.match(raw):
            rows = self._read_lheo(raw)
        else:
            rows = self._read_csv(raw)
        self.line_ids.unlink()
        seen, courses = set(), {}
        for batch in _batches(rows, BATCH_SIZE):
            self._preview_batch(batch, seen, courses)
            self.invalidate_cache()
        self.state = 'preview'
        return self._reopen()

    @api.multi
    def _preview_batch(self, rows, seen, courses):
        """The preview lines of ``rows``, a batch of the file's (line
        number, {column: value}). ``seen``: the references of the previous
        lines; ``courses``: {code: course id, or False when there is none}
        of the codes already looked up; both are completed."""
        codes = {(row.get('course_code') or '').strip()
                 for _number, row in rows} - set(courses)
        courses.update(dict.fromkeys(codes, False))
        courses.update({course.code: course.id for course in self.env[
            'training.course'].search([('code', 'in', list(codes))])})
        existing = self._existing_refs([
            (row.get('external_ref') or '').strip() for _number, row in rows])
        Line = self.env['training.session.import.line']
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

    @api.multi
    def action_import(self):
        """Create the valid lines as draft sessions, a batch at a time."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.status == 'valid')
        sessions = self.env['training.session']
        partners = {}
        for ids in _batches(lines.ids, BATCH_SIZE):
            sessions |= self._import_batch(lines.browse(ids), partners)
            self.invalidate_cache()
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

    @api.multi
    def _import_batch(self, lines, partners):
        """The sessions created from ``lines``, valid preview lines;
        ``partners``: {name: partner id} of the contacts of the previous
        batches, completed."""
        # a second preview may have become stale: match again
        existing = self._existing_refs(lines.mapped('external_ref'))
        already = lines.filtered(lambda line: line.external_ref in existing)
        already.write({'status': 'existing'})
        todo = [(line, ast.literal_eval(line.values_repr))
                for line in lines - already]
        partners.update(self._partners_by_name(
            [values for _line, values in todo], partners))
        # imported drafts: no chatter message nor follower per session, the
        # wizard's summary is the record of the import
        quiet = self.with_context(tracking_disable=True, mail_notrack=True,
                                  mail_create_nolog=True,
                                  mail_create_nosubscribe=True)
        sessions = self.env['training.session']
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
        return sessions

    @api.model
    def _import_limit(self, param, default):
        """A limit of the import: the system parameter ``param`` when it is
        a positive whole number, else ``default``."""
        value = self.env['ir.config_parameter'].sudo().get_param(param)
        try:
            value = int(value or 0)
        except ValueError:
            return default
        return value if value > 0 else default

    @api.multi
    def _file_size(self):
        """(size of the uploaded file in bytes, length of its base64 text),
        from the database: the file itself is not read."""
        self.ensure_one()
        self.check_access_rule('read')
        self.env.cr.execute("""
            SELECT octet_length(data_file),
                   substring(data_file from octet_length(data_file) - 1)
              FROM training_session_import_wizard WHERE id = %s""",
                            (self.id,))
        length, tail = self.env.cr.fetchone()
        if not length:
            return 0, 0
        return length * 3 // 4 - bytes(tail).count(b'='), length

    @api.multi
    def _decoded_file(self):
        """The uploaded file, refused before it is read when it is over the
        size limit; then read and decoded by pieces, so that only the file
        and one piece of its base64 text are in memory at once."""
        size, length = self._file_size()
        max_bytes = self._import_limit(MAX_BYTES_PARAM, IMPORT_MAX_BYTES)
        if size > max_bytes:
            raise UserError(_(
                'This file weighs %(size).1f MB (%(bytes)d bytes): at most '
                '%(max).1f MB (%(max_bytes)d bytes) can be imported at once. '
                'Split it into several files, or ask an administrator to '
                'raise the system parameter %(param)s.') % {
                'size': size / MEGABYTE, 'bytes': size,
                'max': max_bytes / MEGABYTE, 'max_bytes': max_bytes,
                'param': MAX_BYTES_PARAM})
        parts, rest = [], b''
        for start in range(1, length + 1, READ_SIZE):
            self.env.cr.execute("""
                SELECT substring(data_file from %s for %s)
                  FROM training_session_import_wizard WHERE id = %s""",
                                (start, READ_SIZE, self.id))
            # without the line breaks some encoders add, by groups of four
            text = rest + b''.join(bytes(self.env.cr.fetchone()[0]).split())
            end = len(text) // 4 * 4
            parts.append(base64.b64decode(text[:end]))
            rest = text[end:]
        return b''.join(parts)

    @api.model
    def _check_session_count(self, count, counted):
        """Refuse a file of ``count`` sessions over the line limit;
        ``counted``: what was counted, the start of the message."""
        max_lines = self._import_limit(MAX_LINES_PARAM, IMPORT_MAX_LINES)
        if count > max_lines:
            raise UserError(_(
                '%(counted)s: at most %(max)d sessions can be imported at '
                'once. Split it into several files, or ask an administrator '
                'to raise the system parameter %(param)s.') % {
                'counted': counted, 'max': max_lines,
                'param': MAX_LINES_PARAM})

    @api.model
    def _read_lheo(self, raw):
        """The sessions of an LHEO file, as (line number, {column: value})
        in the CSV columns, read one formation at a time; a clear error for
        another XML file, or one with too many sessions (counted first, in a
        pass that keeps nothing)."""
        namespace = self._lheo_namespace(raw)
        ns = {'l': namespace}
        try:
            count = sum(len(formation.findall(LHEO_SESSIONS, ns))
                        for formation in _lheo_formations(raw, namespace))
        except etree.XMLSyntaxError as error:
            raise UserError(_('This XML file cannot be read: %s') % error)
        self._check_session_count(count, _(
            'This LHEO offer has %d sessions') % count)
        return (row for formation in _lheo_formations(raw, namespace)
                for row in _lheo_rows(formation, ns))

    @api.model
    def _lheo_namespace(self, raw):
        """The namespace of an LHEO file, read from its root element alone;
        a clear error for another XML file."""
        try:
            root = next(_safe_iterparse(raw, events=('start',)))[1]
        except etree.XMLSyntaxError as error:
            raise UserError(_('This XML file cannot be read: %s') % error)
        namespace = etree.QName(root).namespace
        if etree.QName(root).localname != 'lheo' or \
                namespace not in LHEO_NAMESPACES:
            raise UserError(_(
                'This XML file is not an LHEO 2.3 or 2.2 offer: its root '
                'element must be <lheo> in one of the namespaces %s.'
            ) % ', '.join(LHEO_NAMESPACES))
        return namespace

    @api.model
    def _read_csv(self, raw):
        """The (line number, {column: value}) of a CSV file, decoded as it
        is read; a clear error for a file with too many lines (counted
        first) or that is not a CSV with the documented header."""
        lines = _count_lines(raw) - 1
        self._check_session_count(lines, _(
            'This file has %d lines besides its header') % lines)
        encoding = _csv_encoding(raw)
        try:
            dialect = csv.Sniffer().sniff(
                raw[:8192].decode(encoding, 'ignore')[:2048],
                delimiters=';,\t')
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(io.TextIOWrapper(
            io.BytesIO(raw), encoding=encoding, newline=''), dialect=dialect)
        try:
            fieldnames = reader.fieldnames
        except csv.Error as error:
            raise UserError(_('This CSV file cannot be read: %s') % error)
        header = [name.strip() for name in fieldnames or []]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise UserError(_(
                'This file is not a partner sessions CSV: the columns %s are '
                'missing. Expected header: %s'
            ) % (', '.join(missing), ';'.join(CSV_COLUMNS)))
        reader.fieldnames = header
        return _csv_rows(reader)

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
        """(values, errors) of one row; ``courses``: {code: course id, or
        False}."""
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
            if courses.get(get('course_code')):
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
    def _partners_by_name(self, rows, known=()):
        """{name: partner id} for the organisations and places of the parsed
        ``rows`` but the ``known`` names, in one search; the contacts not
        found are created, places with their address."""
        addresses = {}
        for values in rows:
            if values.get('organisation'):
                addresses.setdefault(values['organisation'], {})
            if values.get('place'):
                addresses.setdefault(values['place'], {
                    'street': values.get('place_street'),
                    'zip': values.get('place_zip'),
                    'city': values.get('place_city')})
        for name in known:
            addresses.pop(name, None)
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


def _batches(items, size):
    """Lists of at most ``size`` of ``items``, in their order."""
    items = iter(items)
    batch = list(itertools.islice(items, size))
    while batch:
        yield batch
        batch = list(itertools.islice(items, size))


def _count_lines(raw):
    """The lines of a file (ending with LF, CRLF or CR) up to its last
    non-blank one, counted without decoding it."""
    end = len(raw)
    while end:
        tail = raw[max(0, end - 4096):end]
        stripped = tail.rstrip()
        end -= len(tail) - len(stripped)
        if stripped:
            break
    if not end:
        return 0
    return max(raw.count(b'\n', 0, end), raw.count(b'\r', 0, end)) + 1


def _csv_encoding(raw):
    """UTF-8 (with or without its byte order mark) or, when the file is not
    valid UTF-8, Latin-1: checked by pieces, never decoding the whole file
    at once."""
    decoder = codecs.getincrementaldecoder('utf-8')()
    try:
        for start in range(0, len(raw), 65536):
            decoder.decode(raw[start:start + 65536])
        decoder.decode(b'', True)
    except UnicodeDecodeError:
        return 'latin-1'
    return 'utf-8-sig'


def _csv_rows(reader):
    """The (line number, {column: value}) of the non-blank lines of a CSV
    ``reader``; a clear error for a line that cannot be read (a NUL byte, a
    field longer than the csv module's limit)."""
    try:
        for index, row in enumerate(reader, 2):
            if any((value or '').strip() for value in row.values()):
                yield index, row
    except csv.Error as error:
        raise UserError(_('This CSV file cannot be read: %s') % error)


def _safe_iterparse(raw, **kwargs):
    """lxml's incremental parser on an uploaded file: never resolve
    entities, load a DTD nor fetch anything, so that it cannot read the
    server's files (XXE), and keep libxml2's size limits (no huge_tree)."""
    return etree.iterparse(io.BytesIO(raw), resolve_entities=False,
                           load_dtd=False, no_network=True, huge_tree=False,
                           **kwargs)


def _lheo_formations(raw, namespace):
    """The formation elements of an LHEO offer (lheo/offres/formation), each
    removed from the tree once used, so that one at a time is in memory."""
    offres = '{%s}offres' % namespace
    for _event, formation in _safe_iterparse(
            raw, events=('end',), tag='{%s}formation' % namespace):
        parent = formation.getparent()
        if parent is not None and parent.tag == offres and \
                parent.getparent() is not None and \
                parent.getparent().getparent() is None:
            yield formation
        formation.clear()
        while formation.getprevious() is not None:
            del formation.getparent()[0]


def _lheo_text(node, path, ns):
    """The stripped text of the element at ``path`` under ``node``, ''
    when there is none."""
    found = node.find(path, ns)
    return (found.text or '').strip() if found is not None else ''


def _lheo_rows(formation, ns):
    """[(line number, {column: value})] of the sessions of an LHEO
    formation element, in the CSV columns."""
    text = functools.partial(_lheo_text, ns=ns)
    rows = []
    for session in formation.iterfind(LHEO_SESSIONS, ns):
        action = session.getparent()
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
