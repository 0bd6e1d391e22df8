# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

import pytz

from odoo import api, fields, models

# the zone of the trainings when neither the context nor the user gives one
DEFAULT_TZ = 'Europe/Paris'


class TrainingTimezoneMixin(models.AbstractModel):
    """The time zone dates are shown and entered in, shared by the training
    and certification sessions: the context's (the caller's, also for a
    report printed as superuser), else the user's, Paris when none. Odoo 11
    stores datetimes as naive UTC strings: these helpers turn them into
    local datetimes and back, and give today's local date."""
    _name = 'training.timezone.mixin'
    _description = 'Time zone of the training dates'

    @api.multi
    def _tz_name(self):
        """The name of the zone of ``_tz()``, e.g. 'Europe/Paris'."""
        return self.env.context.get('tz') or self.env.user.tz or DEFAULT_TZ

    @api.multi
    def _tz(self):
        """The time zone dates are shown and entered in: the context's (the
        caller's, also for a report printed as superuser), else the
        user's, Paris when none."""
        return pytz.timezone(self._tz_name())

    @api.multi
    def _local(self, value):
        """A UTC datetime string as an aware datetime in ``_tz()``."""
        moment = pytz.utc.localize(fields.Datetime.from_string(value))
        return moment.astimezone(self._tz())

    @api.multi
    def _local_dates(self, names=('date_start', 'date_end')):
        """The local days of the datetime fields ``names`` (by default
        [first day, last day]) as dd/mm/yyyy ('' when unset), for the
        certificates."""
        return [self._local(self[name]).strftime('%d/%m/%Y')
                if self[name] else '' for name in names]

    @api.multi
    def _to_utc(self, local):
        """UTC datetime string of ``local``, a naive datetime in ``_tz()``
        (its offset is the one in force on that date)."""
        return fields.Datetime.to_string(self._tz().localize(
            local).astimezone(pytz.utc).replace(tzinfo=None))

    @api.multi
    def _utc_of_local(self, day, hour):
        """UTC datetime string of ``day`` (a date string) at ``hour``
        o'clock in ``_tz()``."""
        return self._to_utc(datetime.datetime.combine(
            fields.Date.from_string(day), datetime.time(hour)))

    @api.multi
    def _shifted(self, value, shift):
        """``value`` (UTC string) moved by ``shift`` (a timedelta) at the
        same local hour, whatever the daylight saving time on either date."""
        return self._to_utc(self._local(value).replace(tzinfo=None) + shift)

    @api.model
    def _today(self):
        """Today in the user's time zone (``_tz()``), as a date."""
        return fields.Date.from_string(fields.Date.context_today(
            self.with_context(tz=self._tz_name())))

    @api.model
    def _now(self):
        """Now, in UTC, as a datetime."""
        return fields.Datetime.from_string(fields.Datetime.now())
