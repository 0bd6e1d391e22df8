# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .private_context import by_workflow

ZIP_RE = re.compile(r'^\d{5}$')


class TrainingInfoSessionMixin(models.AbstractModel):
    """What describes an information session: date, hours, seats, public
    comment and structured French address. Shared by the information
    sessions and the change requests that propose them."""
    _name = 'training.info.session.mixin'
    _description = 'Information session data'

    date = fields.Date(required=True)
    time_start = fields.Float(string='Start time', required=True)
    time_end = fields.Float(string='End time', required=True)
    seats = fields.Integer(string='Seats')
    public_comment = fields.Text(
        string='Public comment',
        help='Published with the offer, e.g. how to get there by public '
             'transport.')
    street_number = fields.Char(string='Number')
    street_number_ext = fields.Selection(
        [('bis', 'bis'), ('ter', 'ter'), ('quater', 'quater')],
        string='Extension')
    street_type = fields.Selection(
        [('rue', 'Street (rue)'), ('avenue', 'Avenue'),
         ('boulevard', 'Boulevard'), ('place', 'Square (place)'),
         ('chemin', 'Way (chemin)'), ('allee', 'Alley (allée)'),
         ('impasse', 'Cul-de-sac (impasse)'), ('route', 'Road (route)'),
         ('quai', 'Quay (quai)'), ('cours', 'Promenade (cours)')],
        string='Street type')
    # required by the funder's extranet (manual 002, marked *)
    street_name = fields.Char(string='Street name', required=True)
    building = fields.Char(string='Building line',
                           help='Building, staircase, floor...')
    special_mention = fields.Char(string='Special mention',
                                  help='Locality, PO box...')
    zip = fields.Char(string='Postal code', required=True)
    city = fields.Char(required=True)
    cedex = fields.Char(string='CEDEX')

    _sql_constraints = [
        ('seats_positive', 'CHECK (seats >= 0)',
         'The number of seats cannot be negative.'),
    ]

    @api.constrains('time_start', 'time_end')
    def _check_times(self):
        for info in self:
            if not 0 <= info.time_start < info.time_end <= 24:
                raise ValidationError(_(
                    'Information session of %s: the start time must be '
                    'before the end time, both within the day.'
                ) % fields.Date.from_string(info.date).strftime('%d/%m/%Y'))

    @api.constrains('zip')
    def _check_zip(self):
        for info in self.filtered('zip'):
            if not ZIP_RE.match(info.zip):
                raise ValidationError(_(
                    'The postal code must have five digits (got "%s").'
                ) % (info.zip,))

    @api.onchange('zip')
    def _onchange_zip(self):
        city = self._city_of_zip(self.zip)
        if city:
            self.city = city

    @api.model
    def _city_of_zip(self, zip_code):
        """The city most often recorded with ``zip_code`` on contacts and
        information sessions, or False."""
        if not zip_code or not ZIP_RE.match(zip_code):
            return False
        counts = {}
        for model in ('res.partner', 'training.info.session'):
            groups = self.env[model].sudo().read_group(
                [('zip', '=', zip_code), ('city', '!=', False)],
                ['city'], ['city'])
            for group in groups:
                city = group['city'].strip().upper()
                counts[city] = counts.get(city, 0) + group['city_count']
        if not counts:
            return False
        return max(sorted(counts), key=lambda name: counts[name])

    @api.multi
    def _info_values(self):
        """The mixin's values of this record, to copy them to another."""
        self.ensure_one()
        names = self.env['training.info.session.mixin']._fields
        return {name: self[name] for name in names
                if name not in models.MAGIC_COLUMNS and
                name not in ('display_name', '__last_update')}

    @api.multi
    def name_get(self):
        result = []
        for info in self:
            day = fields.Date.from_string(info.date)
            result.append((info.id, _(
                'Information session of %(date)s from %(time_start)s to '
                '%(time_end)s'
            ) % {'date': day.strftime('%d/%m/%Y'),
                 'time_start': format_time(info.time_start),
                 'time_end': format_time(info.time_end)}))
        return result


class TrainingInfoSession(models.Model):
    """An information session ("information collective") held before a
    session to recruit its trainees (manual 002). Once validated by a change
    request it cannot be deleted: a change request cancels it by setting its
    seats to 0."""
    _name = 'training.info.session'
    _inherit = ['training.info.session.mixin',
                'training.create.trigger.mixin']
    _description = 'Information session'
    _order = 'date, time_start, id'

    session_id = fields.Many2one('training.session', string='Session',
                                 required=True, index=True,
                                 ondelete='cascade')
    is_validated = fields.Boolean(
        string='Validated', readonly=True, copy=False,
        help='Validated by a change request: it can no longer be deleted.')

    @api.model
    def create(self, vals):
        self._check_validation_flag(vals)
        return super(TrainingInfoSession, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_validation_flag(vals)
        if not by_workflow(self) and \
                self.filtered('is_validated'):
            raise UserError(_(
                'A validated information session changes only through a '
                'change request.'))
        return super(TrainingInfoSession, self).write(vals)

    @api.model
    def _check_validation_flag(self, vals):
        """Validated by validating a change request only."""
        if 'is_validated' in vals and \
                not by_workflow(self):
            raise UserError(_(
                'An information session is validated through a change '
                'request only.'))

    @api.multi
    def unlink(self):
        if self.filtered('is_validated'):
            raise UserError(_(
                'A validated information session cannot be deleted: '
                'cancel it with a change request that sets its seats to 0.'))
        return super(TrainingInfoSession, self).unlink()


def format_time(hours):
    """9.5 -> '09:30'."""
    minutes = int(round(hours * 60))
    return '%02d:%02d' % (minutes // 60, minutes % 60)
