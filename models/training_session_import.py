# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import codecs
import csv
import datetime
import io
import itertools
import json
import re

import psycopg2
from psycopg2.extras import execute_values

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.queue_job.job import job

from .background import always_queued
from .lheo import LheoOfferReader
from .private_context import (CODES_KEY, IMPORT_KEY, NEW_SESSION_KEY,
                              has_private, with_private)
from .session_codes import SessionCodes
from .training_session import YEAR_RE

# The documented header of a partner sessions CSV file (README "Import").
CSV_COLUMNS = ['external_ref', 'name', 'course_code', 'year', 'date_start',
               'date_end', 'capacity_max', 'organisation', 'place']
REQUIRED_COLUMNS = ['external_ref', 'name', 'date_start', 'date_end']
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
# offer): a funder's offer is a few thousand sessions.
IMPORT_MAX_LINES = 5000
MAX_LINES_PARAM = 'training_session.import_max_lines'
# Files of more sessions than this are previewed and imported by background
# jobs (queue_job), a batch per job, with their progress on the import.
IMPORT_JOB_LINES = 300
JOB_LINES_PARAM = 'training_session.import_job_lines'
# Lines previewed, or imported, together: their references, courses and
# contacts are looked up in one search, then the cache is emptied, so that
# the memory used does not grow with the file.
BATCH_SIZE = 500
# serialisation failure, deadlock, lock not available: tried again
TRANSIENT_PGCODES = ('40001', '40P01', '55P03')
# Lines whose stored computations are done together (see _import_batch).
RECOMPUTE_LINES = 25
# Base64 characters of the uploaded file read from the database at once.
READ_SIZE = 4 * 1024 * 1024
MEGABYTE = 1024.0 * 1024.0
# what the workflow alone writes on an import
WORKFLOW_FIELDS = {'state', 'line_count', 'done_count', 'valid_count',
                   'job_uuid', 'session_ids', 'summary', 'imported_count',
                   'existing_count', 'rejected_count', 'user_id'}


class TrainingSessionImport(models.Model):
    """An import of partner sessions from an LHEO XML offer (2.3, or 2.2
    by its namespace) or a CSV file, kept with its result: a preview lists
    every session with its errors before anything is written, checked as
    the import checks them; importing creates the valid lines as draft
    sessions and skips those already imported (same external reference),
    so that a file can be imported twice. A file over the size or session
    limits (system parameters) is refused before it is read; a file of
    more than a few hundred sessions is previewed and imported by
    background jobs, with the progress shown on the import."""
    _name = 'training.session.import'
    _description = 'Import of partner sessions'
    _order = 'create_date desc, id desc'
    _rec_name = 'filename'

    data_file = fields.Binary(string='File', required=True)
    filename = fields.Char(string='File name')
    user_id = fields.Many2one('res.users', string='Imported by',
                              default=lambda self: self.env.uid,
                              readonly=True, index=True)
    company_id = fields.Many2one(
        'res.company', readonly=True,
        default=lambda self: self.env.user.company_id)
    state = fields.Selection(
        [('upload', 'Upload'), ('previewing', 'Preview running'),
         ('preview', 'Preview'), ('importing', 'Import running'),
         ('done', 'Done')], default='upload', readonly=True, required=True)
    line_ids = fields.One2many('training.session.import.line', 'import_id',
                               string='Lines', readonly=True)
    line_count = fields.Integer(
        string='Sessions in the file', readonly=True)
    done_count = fields.Integer(
        string='Lines processed', readonly=True,
        help='Lines previewed, or imported, by the running step.')
    valid_count = fields.Integer(
        string='Lines to import', readonly=True,
        help='Valid lines of the preview when the import started.')
    progress = fields.Float(compute='_compute_progress')
    job_uuid = fields.Char(readonly=True, copy=False)
    job_state = fields.Char(compute='_compute_job', string='Job')
    job_error = fields.Text(compute='_compute_job', string='Job error')
    session_ids = fields.Many2many(
        'training.session', 'training_session_import_session_rel',
        'import_id', 'session_id', string='Imported sessions',
        readonly=True)
    imported_count = fields.Integer(string='Imported', readonly=True)
    existing_count = fields.Integer(string='Already imported',
                                    readonly=True)
    rejected_count = fields.Integer(string='Rejected', readonly=True)
    summary = fields.Char(readonly=True)

    @api.depends('done_count', 'line_count', 'valid_count', 'state')
    def _compute_progress(self):
        for record in self:
            total = record.valid_count if record.state == 'importing' \
                else record.line_count
            record.progress = 100.0 * record.done_count / total \
                if total else 0.0

    @api.depends('job_uuid')
    def _compute_job(self):
        """The state and error of the running step's job (queue_job's jobs
        are readable by their administrators only)."""
        jobs = self.env['queue.job'].sudo().search(
            [('uuid', 'in', [uuid for uuid in self.mapped('job_uuid')
                             if uuid])])
        by_uuid = {record.uuid: record for record in jobs}
        states = dict(jobs._fields['state']._description_selection(self.env))
        for record in self:
            queued = by_uuid.get(record.job_uuid)
            record.job_state = queued and states.get(queued.state)
            # the last line of the traceback: the error itself
            trace = (queued.exc_info or '').strip().splitlines() \
                if queued and queued.state == 'failed' else []
            record.job_error = trace[-1] if trace else False

    # ------------------------------------------------------------ guards
    @api.model
    def create(self, vals):
        self._check_workflow_fields(vals)
        return super(TrainingSessionImport, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_workflow_fields(vals)
        if {'data_file', 'filename'} & set(vals) and \
                self.filtered(lambda record: record.state != 'upload'):
            raise UserError(_('The file of an import cannot be changed once '
                              'it is previewed: start a new import.'))
        return super(TrainingSessionImport, self).write(vals)

    @api.multi
    def unlink(self):
        if self.filtered(lambda record: record.state in (
                'previewing', 'importing')):
            raise UserError(_('An import cannot be deleted while it runs.'))
        return super(TrainingSessionImport, self).unlink()

    @api.model
    def _check_workflow_fields(self, vals):
        """The state, counts and results are the import's own: a client
        never writes them (nor the lines, see the line model)."""
        if WORKFLOW_FIELDS & set(vals) and not has_private(self, IMPORT_KEY):
            raise UserError(_('The state and results of an import are '
                              'written by the import itself.'))

    @api.multi
    def _workflow(self):
        return with_private(self, IMPORT_KEY)

    @api.multi
    def _queueable(self):
        """The import as the workflow, whose jobs are always queued (see
        background.always_queued)."""
        return always_queued(self._workflow())

    # ----------------------------------------------------------- buttons
    @api.multi
    def action_preview(self):
        """Read the file (refused at once when it is over the limits), then
        list its lines, a batch at a time, with their errors: at once for
        a small file, by a background job for a large one."""
        self.ensure_one()
        if self.state != 'upload':
            raise UserError(_('This import is previewed already.'))
        raw = self._decoded_file()
        count = self._session_count(raw)
        record = self._queueable()
        if count > self._import_limit(JOB_LINES_PARAM, IMPORT_JOB_LINES):
            queued = record.with_delay(
                description=_('Preview of the import %s') % self.filename,
                identity_key='training.session.import.preview,%d' % self.id,
            )._job_preview()
            record.write({'state': 'previewing', 'line_count': count,
                          'done_count': 0, 'job_uuid': queued.uuid})
        else:
            record.write({'line_count': count})
            record._run_preview(raw)
        # the form reloads the record (no new breadcrumb)
        return True

    @api.multi
    def action_import(self):
        """Create the valid lines as draft sessions: at once when they are
        a few, else by background jobs, one per batch."""
        self.ensure_one()
        if self.state != 'preview':
            raise UserError(_('Only a previewed import can be imported.'))
        record = self._queueable()
        valid = self.env['training.session.import.line'].search_count(
            [('import_id', '=', self.id), ('status', '=', 'valid')])
        record.write({'state': 'importing', 'done_count': 0,
                      'valid_count': valid})
        if valid > self._import_limit(JOB_LINES_PARAM, IMPORT_JOB_LINES):
            record._enqueue_import_batch()
        else:
            while record._import_next_batch():
                pass
        # the form reloads the record (no new breadcrumb)
        return True

    @api.multi
    def action_refresh(self):
        # the form reloads the record (no new breadcrumb)
        return True

    # -------------------------------------------------------------- jobs
    @job(default_channel='root.training_import')
    @api.multi
    def _job_preview(self):
        """The background preview of a large file; a second run starts the
        preview again (its lines are replaced)."""
        self = self._in_user_language()
        if self.state != 'previewing':
            return _('Nothing to do: the import is %s.') % self.state
        self._workflow()._run_preview()
        return _('%d lines previewed.') % len(self.line_ids)

    @job(default_channel='root.training_import')
    @api.multi
    def _job_import_batch(self):
        """One batch of a background import; the next batch is another job.
        Safe to run twice: the lines already imported are skipped."""
        self = self._in_user_language()
        if self.state != 'importing':
            return _('Nothing to do: the import is %s.') % self.state
        record = self._workflow()
        if record._import_next_batch():
            record._enqueue_import_batch()
        return _('%d lines imported so far.') % self.imported_count

    @api.multi
    def _in_user_language(self):
        """The import in its user's language: the job runner calls the
        jobs without any context, so the messages and the summary they
        write would be in English."""
        self.ensure_one()
        return self.with_context(lang=self.env.user.lang)

    @api.multi
    def _enqueue_import_batch(self):
        queued = self.with_delay(
            description=_('Import of %s') % self.filename,
        )._job_import_batch()
        self.write({'job_uuid': queued.uuid})

    # ----------------------------------------------------------- preview
    @api.multi
    def _run_preview(self, raw=None):
        """Replace the lines by the preview of the file (``raw``, when it
        is decoded already), batch by batch."""
        self.ensure_one()
        rows = self._rows(raw or self._decoded_file())
        self.line_ids.unlink()
        seen, courses = set(), {}
        done = 0
        for batch in _batches(rows, BATCH_SIZE):
            self._preview_batch(batch, seen, courses)
            done += len(batch)
            self.write({'done_count': done})
            self.invalidate_cache()
        self.write({'state': 'preview', 'done_count': done})

    @api.multi
    def _rows(self, raw):
        if XML_START_RE.match(raw):
            return LheoOfferReader(self.env, raw).rows()
        return self._read_csv(raw)

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
        values_list = []
        for number, row in rows:
            values, errors = self._parse_row(row, courses)
            ref = values.get('external_ref')
            if ref in seen:
                errors.append(_('The external reference %s appears earlier '
                                'in the file.') % ref)
            seen.add(ref)
            status = 'error' if errors else (
                'existing' if ref in existing else 'valid')
            values_list.append({
                'import_id': self.id, 'line_number': number,
                'external_ref': ref, 'name': values.get('name'),
                'status': status, 'message': '\n'.join(errors),
                'values_json': json.dumps(values) if not errors else False,
            })
        _insert_lines(self.env, values_list)

    # ------------------------------------------------------------ import
    @api.multi
    def _import_next_batch(self):
        """Import the next batch of valid lines; whether some are left.
        Finishes the import when none is."""
        self.ensure_one()
        # one batch at a time: a job run twice at once waits here, then
        # is refused (serialisation) and retried by queue_job
        self.env.cr.execute('SELECT id FROM training_session_import '
                            'WHERE id = %s FOR UPDATE', (self.id,))
        Line = self.env['training.session.import.line']
        lines = Line.search([('import_id', '=', self.id),
                             ('status', '=', 'valid')], limit=BATCH_SIZE)
        if lines:
            sessions = self._import_batch(lines)
            self.write({'session_ids': [(4, sid) for sid in sessions.ids],
                        'done_count': self.done_count + len(lines)})
        self._update_counts()
        self.invalidate_cache()
        if len(lines) < BATCH_SIZE or not Line.search_count(
                [('import_id', '=', self.id), ('status', '=', 'valid')]):
            self._finish()
            return False
        return True

    @api.multi
    def _update_counts(self):
        groups = self.env['training.session.import.line'].read_group(
            [('import_id', '=', self.id)], ['status'], ['status'])
        counts = {group['status']: group['status_count'] for group in groups}
        self.write({'imported_count': counts.get('imported', 0),
                    'existing_count': counts.get('existing', 0),
                    'rejected_count': counts.get('error', 0)})

    @api.multi
    def _finish(self):
        self.write({
            'state': 'done', 'job_uuid': False,
            'summary': _('%(imported)d sessions imported, %(existing)d '
                         'already imported, %(rejected)d lines rejected.') % {
                'imported': self.imported_count,
                'existing': self.existing_count,
                'rejected': self.rejected_count},
        })

    @api.multi
    def _import_batch(self, lines):
        """The sessions created from ``lines``, valid preview lines. Each
        line is created in its own savepoint: a line refused by a check or
        by the database is reported on it, and the others are imported."""
        # a second preview may have become stale: match again
        existing = self._existing_refs(lines.mapped('external_ref'))
        already = lines.filtered(lambda line: line.external_ref in existing)
        already.write({'status': 'existing'})
        todo = [(line, json.loads(line.values_json))
                for line in lines - already]
        partners = ImportPartners(self.env, [values for _l, values in todo])
        # The sessions are created as superuser once the user's right to
        # create them is checked, and the new sessions are checked against
        # the user's record rules: the same outcome as creating them as
        # the user, without evaluating the rules of every sequence, mail
        # setting and send they make (a hundred queries a session).
        # Imported drafts: no chatter message nor follower per session, the
        # import's summary is the record of it.
        Session = self.env['training.session']
        Session.check_access_rights('create')
        # their codes drawn together, per year
        default_year = Session._default_year()
        codes = SessionCodes(self.env, [
            values.get('year') or default_year for _line, values in todo])
        quiet = self.sudo().with_context(
            tracking_disable=True, mail_notrack=True, mail_create_nolog=True,
            mail_create_nosubscribe=True, **{CODES_KEY: codes})
        sessions = Session
        imported = self.env['training.session.import.line']
        # The stored computations (dates, durations, totals) are done for
        # RECOMPUTE_LINES lines at once, outside the lines' savepoints
        # (norecompute): together they cost fewer queries, a read of a
        # field still to compute (a check of dates) computes it for the
        # lines pending only, and a refused line never rolls back the
        # values of the lines before it (a contact created for it would
        # have recomputed them inside its savepoint).
        with self.env.norecompute():
            for line, values in todo:
                session = self._import_line(line, values, partners, quiet)
                if not session:
                    continue
                sessions |= session
                imported |= line
                if len(imported) % RECOMPUTE_LINES == 0:
                    quiet.recompute()
        quiet.recompute()
        refused = self._refused_by_rules(sessions)
        for line, session in zip(imported, sessions):
            if session in refused:
                line.write({'status': 'error', 'message': refused[session]})
        imported = imported.filtered(lambda line: line.status == 'valid')
        sessions -= sessions.browse([session.id for session in refused])
        imported.write({'status': 'imported'})
        sessions.sudo()._create_default_mails()
        self._set_authors(sessions)
        return sessions

    @api.multi
    def _import_line(self, line, values, partners, quiet):
        """The session of ``line`` (as the user), created in a savepoint;
        nothing when it is refused, by a check or by the database, and
        then the reason is on the line. The database's transient refusals
        (a concurrent update, a deadlock) are raised for the job to be
        tried again."""
        try:
            with self.env.cr.savepoint():
                session = quiet._create_session(values, partners,
                                                self.env.user)
        except (UserError, ValidationError, AccessError) as error:
            # rolled back to the savepoint: nothing of it is written
            partners.forget()
            line.write({'status': 'error', 'message': error.name})
            return None
        except psycopg2.Error as error:
            partners.forget()
            if error.pgcode in TRANSIENT_PGCODES:
                raise
            line.write({'status': 'error', 'message': _(
                'The database refused this session: %s') % (
                (error.pgerror or str(error)).strip().splitlines()[0])})
            return None
        partners.keep()
        return session.sudo(self.env.uid)

    @api.model
    def _refused_by_rules(self, sessions):
        """{session: message} of the new ``sessions`` (as the user) that
        the user's record rules would not have let them create, deleted:
        checked for all at once, then one by one when some are refused
        (their course puts them in a population not the user's)."""
        try:
            sessions.check_access_rule('create')
            return {}
        except AccessError:
            pass
        refused = {}
        for session in sessions:
            try:
                session.check_access_rule('create')
            except AccessError as error:
                refused[session] = error.name
        self.env['training.session'].sudo().browse(
            [session.id for session in refused]).unlink()
        return refused

    @api.multi
    def _set_authors(self, sessions):
        """The user who imported is the author of the sessions."""
        if sessions:
            self.env.cr.execute(
                'UPDATE training_session SET create_uid = %s, write_uid = %s '
                'WHERE id = ANY(%s)', (self.env.uid, self.env.uid,
                                       sessions.ids))
            sessions.invalidate_cache(['create_uid', 'write_uid'],
                                      sessions.ids)

    @api.model
    def _create_session(self, values, partners, user):
        """One draft session with one planned sequence for a parsed line,
        ``user`` its responsible; ``partners``: the ImportPartners of its
        batch."""
        session_values = {
            key: values[key] for key in ('external_ref', 'name', 'year',
                                         'capacity_max', 'course_id')
            if key in values}
        session_values.update(user_id=user.id,
                              company_id=user.company_id.id)
        organisation = partners.organisation(values)
        if organisation:
            session_values['organisation_id'] = organisation
        place = partners.place(values)
        if place:
            session_values['place_id'] = place
        # the e-mail settings of the batch's sessions are made together
        session_values['mail_ids'] = []
        session = self.env['training.session'].create(session_values)
        # its planning and information sessions after it rather than
        # through its one2many values: no search of what they would change
        # (nothing else refers to the new session)
        with_private(self.env['training.sequence'], NEW_SESSION_KEY).create({
            'session_id': session.id,
            'name': values['name'],
            'planned_date_start': session._utc_of_local(
                values['date_start'], 9),
            'planned_date_end': session._utc_of_local(
                values['date_end'], 17),
        })
        Info = self.env['training.info.session']
        for info in values.get('info_sessions', []):
            Info.create(dict(info, session_id=session.id))
        return session

    # ------------------------------------------------------------- file
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
              FROM training_session_import WHERE id = %s""", (self.id,))
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
                  FROM training_session_import WHERE id = %s""",
                                (start, READ_SIZE, self.id))
            # without the line breaks some encoders add, by groups of four
            text = rest + b''.join(bytes(self.env.cr.fetchone()[0]).split())
            end = len(text) // 4 * 4
            parts.append(base64.b64decode(text[:end]))
            rest = text[end:]
        return b''.join(parts)

    @api.model
    def _session_count(self, raw):
        """The sessions of the file, refused over the line limit; a clear
        error for a file that is neither an LHEO offer nor a CSV file of
        the documented header."""
        if XML_START_RE.match(raw):
            count = LheoOfferReader(self.env, raw).count()
            self._check_session_count(count, _(
                'This LHEO offer has %d sessions') % count)
            return count
        count = _count_lines(raw) - 1
        self._check_session_count(count, _(
            'This file has %d lines besides its header') % count)
        self._read_csv(raw)  # the header is checked
        return count

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
    def _read_csv(self, raw):
        """The (line number, {column: value}) of a CSV file, decoded as it
        is read; a clear error for a file that is not a CSV with the
        documented header."""
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
                'This file is not a partner sessions CSV: the columns '
                '%(missing)s are missing. Expected header: %(header)s'
            ) % {'missing': ', '.join(missing),
                 'header': ';'.join(CSV_COLUMNS)})
        reader.fieldnames = header
        return _csv_rows(reader)

    # ------------------------------------------------------------ checks
    @api.model
    def _existing_refs(self, refs):
        """The references already imported, or codes of our own sessions
        (our LHEO feed numbers sessions with their code)."""
        refs = [ref for ref in refs if ref]
        if not refs:
            return set()
        self.env.cr.execute("""
            SELECT external_ref, code FROM training_session
             WHERE external_ref = ANY(%s) OR code = ANY(%s)""",
                            (refs, refs))
        found = set(itertools.chain.from_iterable(self.env.cr.fetchall()))
        return set(refs) & found

    @api.model
    def _parse_row(self, row, courses):
        """(values, errors) of one row; ``courses``: {code: course id, or
        False}. The errors are every check the import makes."""
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
                        '%(column)s: "%(value)s" is not a date in the '
                        'DD/MM/YYYY format.'
                    ) % {'column': name, 'value': get(name)})
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
        for name in ('organisation', 'organisation_siret', 'place',
                     'place_street', 'place_zip', 'place_city'):
            if get(name):
                values[name] = get(name)
        errors += self._partner_errors(values)
        infos = [dict(info) for info in row.get('info_sessions') or []]
        for info in infos:
            read_errors = info.pop('errors')
            errors += read_errors + self._info_session_errors(
                info, info.pop('label'), checks=not read_errors)
        if infos:
            values['info_sessions'] = infos
        return values, errors

    @api.model
    def _partner_errors(self, values):
        """What the organisation and the place of a line would be refused
        for, when they are created."""
        problem = self.env['res.partner']._siret_problem(
            values.get('organisation'), values.get('organisation_siret'))
        return [problem] if problem else []

    @api.model
    def _info_session_errors(self, info, label, checks=True):
        """What an information session would be refused for: the required
        fields of the model (an address, in the funder's extranet) and, with
        ``checks`` (when its values could all be read), the model's own
        checks, run on a record that is not saved."""
        Info = self.env['training.info.session']
        missing = [
            field.get_description(self.env)['string']
            for name, field in sorted(Info._fields.items())
            if field.required and name in info and
            info[name] in (None, False, '')]
        errors = [_('Information session of %(date)s: %(fields)s missing.')
                  % {'date': label, 'fields': ', '.join(missing)}
                  ] if missing else []
        if not checks:
            return errors
        record = Info.new({name: value for name, value in info.items()
                           if name in Info._fields})
        for check in Info._constraint_methods:
            try:
                check(record)
            except ValidationError as error:
                errors.append(error.name)
        return errors


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


def _insert_lines(env, values_list):
    """Insert preview lines (a log of the file: no computed field, no
    rule beyond their import's) in one statement."""
    if not values_list:
        return
    columns = ['import_id', 'line_number', 'external_ref', 'name', 'status',
               'message', 'values_json']
    now = fields.Datetime.now()
    execute_values(env.cr, """
        INSERT INTO training_session_import_line (%s, create_uid,
               create_date, write_uid, write_date) VALUES %%s""" % (
        ', '.join(columns)), [
        tuple(values[name] or None for name in columns) +
        (env.uid, now, env.uid, now) for values in values_list])
    env['training.session.import.line'].invalidate_cache()


class ImportPartners(object):
    """The organisations and places of a batch of parsed lines, found in
    a few searches or created: an organisation by its SIRET when the file
    gives one, else by its name (a partner of that name with another SIRET
    is another organisation); a place by its name and postal code."""

    def __init__(self, env, rows):
        self.env = env
        self.organisations = {}
        self.places = {}
        # the partners created for the line being imported
        self._created = []
        self._find_organisations(rows)
        self._find_places(rows)

    @staticmethod
    def _organisation_key(values):
        siret = values.get('organisation_siret')
        return ('siret', siret) if siret else (
            'name', values.get('organisation'))

    @staticmethod
    def _place_key(values):
        return values.get('place'), values.get('place_zip') or ''

    def organisation(self, values):
        """The partner id of the organisation of parsed ``values``."""
        if not values.get('organisation'):
            return False
        return self._get(self.organisations, self._organisation_key(values),
                         lambda: {'name': values['organisation'],
                                  'siret': values.get('organisation_siret'),
                                  'is_company': True})

    def place(self, values):
        """The partner id of the place of parsed ``values``."""
        if not values.get('place'):
            return False
        return self._get(self.places, self._place_key(values), lambda: {
            'name': values['place'], 'street': values.get('place_street'),
            'zip': values.get('place_zip'), 'city': values.get('place_city'),
            'is_company': True})

    def _get(self, known, key, new_values):
        """The partner of ``key`` in ``known``, created when there is none
        (inside the line's savepoint: a refused line creates nothing)."""
        if not known.get(key):
            known[key] = self.env['res.partner'].create(new_values()).id
            self._created.append((known, key))
        return known[key]

    def keep(self):
        """The line is imported: its new partners are the batch's."""
        self._created = []

    def forget(self):
        """The line was rolled back, and its new partners with it."""
        for known, key in self._created:
            known.pop(key, None)
        self._created = []

    def _find_organisations(self, rows):
        # {SIRET: name, the first given} of the organisations with a SIRET
        sirets = {}
        for values in rows:
            if values.get('organisation') and \
                    values.get('organisation_siret'):
                sirets.setdefault(values['organisation_siret'],
                                  values['organisation'])
        names = {values['organisation'] for values in rows
                 if values.get('organisation')}
        Partner = self.env['res.partner'].with_context(active_test=False)
        for partner in Partner.search(
                ['|', ('siret', 'in', list(sirets)),
                 ('name', 'in', list(names))], order='id'):
            if partner.siret in sirets:
                self.organisations.setdefault(('siret', partner.siret),
                                              partner.id)
            if not partner.siret:
                self.organisations.setdefault(('name', partner.name),
                                              partner.id)
        # a SIRET unknown here: the organisation of that name without one
        for siret, name in sirets.items():
            if ('siret', siret) not in self.organisations and \
                    ('name', name) in self.organisations:
                self.organisations[('siret', siret)] = \
                    self.organisations[('name', name)]

    def _find_places(self, rows):
        names = {values['place'] for values in rows if values.get('place')}
        if not names:
            return
        Partner = self.env['res.partner'].with_context(active_test=False)
        for partner in Partner.search([('name', 'in', list(names))],
                                      order='id'):
            self.places.setdefault((partner.name, partner.zip or ''),
                                   partner.id)
            # a line without postal code takes the first of that name
            self.places.setdefault((partner.name, ''), partner.id)
