# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import _, api, fields, models
from odoo.tools import html_escape


class TrainingLheoExportWizard(models.TransientModel):
    """Download the current LHEO feed of the company: the file of its
    complete sessions, and the list of the sessions left out with what to
    fill, session by session (only the list when none is complete)."""
    _name = 'training.lheo.export.wizard'
    _description = 'Export the LHEO catalogue feed'

    company_id = fields.Many2one(
        'res.company', required=True,
        default=lambda self: self.env.user.company_id)
    state = fields.Selection(
        [('draft', 'Draft'), ('blocked', 'Data missing'), ('done', 'Done')],
        default='draft')
    session_count = fields.Integer(string='Sessions in the feed',
                                   readonly=True)
    left_out_count = fields.Integer(string='Sessions left out',
                                    readonly=True)
    data_file = fields.Binary(string='Feed', readonly=True, attachment=False)
    filename = fields.Char(readonly=True)
    problems = fields.Html(string='What to fill', readonly=True,
                           sanitize=False)

    @api.multi
    def action_export(self):
        self.ensure_one()
        Feed = self.env['training.lheo.feed']
        sessions = Feed.feed_sessions(self.company_id)
        data, problems = Feed.render(sessions)
        values = {'session_count': len(sessions) - len(problems),
                  'left_out_count': len(problems),
                  'problems': self._problems_html(problems) or False}
        if data is None:
            values.update(state='blocked', data_file=False, filename=False)
        else:
            values.update(state='done',
                          data_file=base64.b64encode(data),
                          filename='offre-formation-lheo-%s.xml' %
                          fields.Date.context_today(self))
        self.write(values)
        return {'type': 'ir.actions.act_window', 'res_model': self._name,
                'res_id': self.id, 'view_mode': 'form', 'target': 'new',
                'name': _('LHEO catalogue feed')}

    @api.model
    def _problems_html(self, problems):
        return ''.join(
            '<p><strong>%s %s</strong></p><ul>%s</ul>' % (
                html_escape(session.code), html_escape(session.title),
                ''.join('<li>%s</li>' % html_escape(message)
                        for message in messages))
            for session, messages in problems.items())
