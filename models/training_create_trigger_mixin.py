# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

# the attribute of an environment that marks a creation in progress
CREATING = '_training_creating'


class TrainingCreateTriggerMixin(models.AbstractModel):
    """Fewer dependency searches: at creation, and through one2many paths.

    Just after inserting a record, Odoo 11's ``_create`` marks every field
    of it as modified, and for each stored computed field of another model
    that depends on it, searches the records whose dependency path leads
    to the new record: a search per (model, path), a dozen for a session.
    A path whose last step is a many2one or a many2many of the searched
    model cannot lead to a record inserted a moment ago (nothing refers to
    its id yet; its many2many rows are written afterwards): those searches
    are skipped. The others (a one2many, through which the new record's
    own many2one leads, e.g. a new sequence to its session) and the
    record's own fields are handled as Odoo does. And a dependency
    through a one2many whose inverse many2one is on this model is found by
    reading that many2one rather than by a search. Odoo 13 does both
    (``modified(fnames, create=True)`` and its dependency tree) (README
    "Design")."""
    _name = 'training.create.trigger.mixin'
    _description = 'Fewer dependency searches'

    @api.model
    def _create(self, vals):
        stack = getattr(self.env, CREATING, None)
        if stack is None:
            stack = []
            setattr(self.env, CREATING, stack)
        stack.append(self._name)
        try:
            return super(TrainingCreateTriggerMixin, self)._create(vals)
        finally:
            if stack and stack[-1] in (self._name, None):
                stack.pop()

    @api.multi
    def modified(self, fnames):
        stack = getattr(self.env, CREATING, None)
        new = bool(stack and stack[-1] == self._name and
                   fnames is self._fields)
        if new:
            # the first call of _create, on the record it has just inserted
            stack[-1] = None
        return self._modified(fnames, new)

    @api.multi
    def _modified(self, fnames, new):
        """Odoo 11's ``modified``, with two shortcuts: records ``new``ly
        inserted are not searched for through many2one and many2many
        paths (nothing refers to them yet), and a path that is a one2many
        whose inverse many2one is on this model reads that many2one instead
        of searching it (a sequence's session is its ``session_id``; the
        one2many's domain aside, which only adds records to compute)."""
        invalids = []
        triggers = {}
        for fname in fnames:
            mfield = self._fields[fname]
            invalids.append((mfield, self._ids))
            for field in self._field_inverses[mfield]:
                invalids.append((field, None))
            for field, path in self._field_triggers[mfield]:
                triggers.setdefault((field.model_name, path), set()).add(
                    field)
        for (model_name, path), fields in triggers.items():
            stored = {field for field in fields
                      if field.compute and field.store}
            for field in fields - stored:
                invalids.append((field, None))
            if not (path and stored):
                continue
            target0 = self._trigger_targets(model_name, path, new)
            if target0 is None:
                continue
            for field in stored:
                target = target0 - self.env.protected(field)
                if not target:
                    continue
                invalids.append((field, target._ids))
                if field.compute_sudo:
                    target = target.sudo()
                target._recompute_todo(field)
        self.env.cache.invalidate(invalids)

    @api.multi
    def _trigger_targets(self, model_name, path, new):
        """The records of ``model_name`` whose ``path`` leads to these
        records, None when there cannot be any."""
        if path == 'id':
            return self
        if new and self._last_step_refers(model_name, path):
            return None
        field = self.env[model_name]._fields.get(path)
        everything = self.sudo().with_context(active_test=False)
        inverse = field is not None and field.type == 'one2many' and \
            field.comodel_name == self._name and \
            self._fields.get(field.inverse_name)
        # a plain many2one column: before an update the cache holds its old
        # value, after it the new one, as the database would (a computed
        # or related one may already hold the new value)
        if inverse and inverse.type == 'many2one' and inverse.store and \
                not inverse.compute and not inverse.related:
            return everything.mapped(field.inverse_name).with_env(self.env)
        return everything.env[model_name].search(
            [(path, 'in', self.ids)]).with_env(self.env)

    @api.model
    def _last_step_refers(self, model_name, path):
        """Whether the last step of ``path`` (from ``model_name`` to this
        model) is a many2one or a many2many: a reference to a record of
        this model, which no record holds for a new one."""
        model = self.env[model_name]
        field = None
        for name in path.split('.'):
            field = model._fields.get(name)
            if field is None or not field.relational:
                return False
            model = self.env[field.comodel_name]
        # stored: a computed one may compute the new record at once
        return field.type in ('many2one', 'many2many') and field.store
