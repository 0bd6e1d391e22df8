# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io

import xlsxwriter

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.training_registration import REGISTERED_STATES


def _label(record, name):
    """The label of the selection value of field ``name``."""
    selection = record._fields[name]._description_selection(record.env)
    return dict(selection).get(record[name], '')


# the value of each column for a registration
COLUMNS = [
    lambda reg: reg.session_id.code,
    # a monthly session's month before its label
    lambda reg: reg.session_id.title,
    lambda reg: reg.partner_id.name,
    lambda reg: reg.partner_id.email or '',
    lambda reg: reg.partner_id.phone or '',
    lambda reg: reg.partner_id.mobile or '',
    lambda reg: reg.partner_id.city or '',
    lambda reg: _label(reg, 'state'),
    lambda reg: _label(reg, 'funding_status'),
    lambda reg: reg.attended_hours(),
]


class TrainingParticipantExport(models.TransientModel):
    """The participants of sessions as a spreadsheet (xlsx), written with
    xlsxwriter; draft sessions are never exported."""
    _name = 'training.participant.export'
    _description = 'Export participants'

    session_ids = fields.Many2many('training.session', string='Sessions')
    data_file = fields.Binary(string='File', readonly=True,
                              attachment=False)
    filename = fields.Char(readonly=True)

    @api.model
    def export_sessions(self, sessions):
        published = sessions.filtered(
            lambda session: session.publication_state == 'published')
        if not published:
            raise UserError(_('Draft sessions are not exported: publish the '
                              'session first.'))
        wizard = self.create({
            'session_ids': [(6, 0, published.ids)],
            'data_file': base64.b64encode(self._workbook(published)),
            'filename': _('participants-%s.xlsx') % (
                published[0].code if len(published) == 1
                else fields.Date.context_today(self)),
        })
        return {'type': 'ir.actions.act_window', 'res_model': self._name,
                'res_id': wizard.id, 'view_mode': 'form', 'target': 'new',
                'name': _('Export participants')}

    @api.model
    def _headers(self):
        """The column headers, in the user's language (one _() each, so
        that the translation export finds them)."""
        return [_('Session'), _('Label'), _('Trainee'), _('E-mail'),
                _('Phone'), _('Mobile'), _('City'), _('Status'),
                _('Funding status'), _('Hours attended')]

    @api.model
    def _workbook(self, sessions):
        output = io.BytesIO()
        # names typed by people are text, never formulas or links
        workbook = xlsxwriter.Workbook(output, {
            'in_memory': True, 'strings_to_formulas': False,
            'strings_to_urls': False})
        sheet = workbook.add_worksheet(_('Participants'))
        bold = workbook.add_format({'bold': True})
        for col, header in enumerate(self._headers()):
            sheet.write(0, col, header, bold)
        registrations = sessions.mapped('registration_ids').filtered(
            lambda reg: reg.state in REGISTERED_STATES + ('waiting',))
        # read the trainees in one query before sorting on their names
        registrations.mapped('partner_id').read(['name'])
        row = 0
        for row, reg in enumerate(registrations.sorted(
                lambda reg: (reg.session_id.code, reg.partner_id.name)), 1):
            for col, value in enumerate(COLUMNS):
                sheet.write(row, col, value(reg))
        sheet.autofilter(0, 0, row, len(COLUMNS) - 1)
        sheet.freeze_panes(1, 0)
        workbook.close()
        return output.getvalue()
