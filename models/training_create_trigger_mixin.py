# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import AccessError, MissingError
from odoo.models import LOG_ACCESS_COLUMNS

# the attribute of an environment that holds the creations in progress
CREATING = '_training_creating'
# the attribute of an environment that holds the writes in progress
WRITING = '_training_writing'
# the kinds of columns whose inserted value is the value read back
PLAIN_TYPES = {'boolean', 'integer', 'float', 'char', 'text', 'selection',
               'many2one', 'date', 'datetime'}
NOT_INSERTED = set(LOG_ACCESS_COLUMNS) | {'id', 'parent_left',
                                          'parent_right'}


class _Creation(object):
    """A record being inserted by ``_create``: its model, its values (the
    dict ``_create`` cleans and inserts), its id once inserted, the models
    of which records were created meanwhile (nested ones), and the step of
    ``_create`` reached: 'insert', then 'children' after its first
    ``modified`` (its one2many and many2many values are written next),
    then 'checks' after the second one (its constraints)."""
    __slots__ = ('model', 'vals', 'ids', 'created', 'step')

    def __init__(self, model, vals):
        self.model, self.vals, self.ids = model, vals, None
        self.created, self.step = set(), 'insert'


class TrainingCreateTriggerMixin(models.AbstractModel):
    """Fewer queries at creation, and through one2many paths.

    Just after inserting a record, Odoo 11's ``_create`` marks every field
    of it as modified, and for each stored computed field of another model
    that depends on it, searches the records whose dependency path leads
    to the new record: a search per (model, path), a dozen for a session.
    A path whose last step is a many2one or a many2many of the searched
    model cannot lead to a record inserted a moment ago (nothing refers to
    its id yet; its many2many rows are written afterwards): those searches
    are skipped. The others (a one2many, through which the new record's
    own many2one leads, e.g. a new sequence to its session) and the
    record's own fields are handled as Odoo does; that many2one is taken
    from the values inserted rather than read back. A dependency through a
    one2many whose inverse many2one is on this model is found by reading
    that many2one rather than by a search. Once its one2many values are
    written, those given empty are not marked modified (nothing changed),
    and the record's one2many fields of no value given, whose model had no
    record created meanwhile, are known empty: cached so, for its checks
    and computations not to search them. Odoo 13 does the same
    (``modified(fnames, create=True)``, its dependency tree, the new
    records' cached values) (README "Design")."""
    _name = 'training.create.trigger.mixin'
    _description = 'Fewer dependency searches'

    @api.model
    def _create(self, vals):
        stack = getattr(self.env, CREATING, None)
        if stack is None:
            stack = []
            setattr(self.env, CREATING, stack)
        for creation in stack:
            creation.created.add(self._name)
        creation = _Creation(self._name, vals)
        stack.append(creation)
        try:
            return super(TrainingCreateTriggerMixin, self)._create(vals)
        finally:
            if stack and stack[-1] is creation:
                stack.pop()

    @api.multi
    def modified(self, fnames):
        creation = self._creation()
        if creation is None:
            return self._modified(fnames, False)
        if creation.step == 'insert' and fnames is self._fields:
            # the first call of _create, on the record it has just inserted
            creation.step, creation.ids = 'children', self._ids
            result = self._modified(fnames, True)
            self._cache_inserted_values(creation.vals)
            return result
        if creation.step == 'children' and self._ids == creation.ids and \
                set(fnames) == self._written_later(creation.vals):
            # the second call, once its one2many and many2many are written
            creation.step = 'checks'
            result = self._modified(
                [name for name in fnames if creation.vals[name]], False)
            self._cache_empty_one2many(creation)
            return result
        return self._modified(fnames, False)

    @api.model
    def _creation(self):
        """The _Creation of this model at the top of the stack, if any."""
        stack = getattr(self.env, CREATING, None)
        if stack and stack[-1].model == self._name:
            return stack[-1]
        return None

    @api.model
    def _written_later(self, vals):
        """The names ``_create`` writes after inserting the row: those
        without a column (one2many, many2many)."""
        return {name for name in vals
                if not (self._fields[name].store and
                        self._fields[name].column_type)}

    @api.multi
    def _write(self, vals):
        self._written_computations_done(vals)
        writes = getattr(self.env, WRITING, None)
        if writes is None:
            writes = []
            setattr(self.env, WRITING, writes)
        writes.append((self._name, self._ids, vals))
        try:
            return super(TrainingCreateTriggerMixin, self)._write(vals)
        finally:
            writes.pop()

    @api.multi
    def _validate_fields(self, field_names):
        # the checks of a write read the values just written (a session's
        # dates after its sequences'): cached as the database now holds
        # them, rather than read back
        writes = getattr(self.env, WRITING, None)
        if writes and writes[-1][:2] == (self._name, self._ids):
            vals = writes[-1][2]
            for record in self:
                record._cache_plain_values(vals, list(vals))
        return super(TrainingCreateTriggerMixin, self)._validate_fields(
            field_names)

    @api.multi
    def _written_computations_done(self, vals):
        """Mark as done the stored computed fields of ``vals`` whose
        computed value is the one written (``recompute()`` storing it): the
        checks of the write would otherwise compute them again, Odoo 11
        marking them done only after writing."""
        for name, value in vals.items():
            field = self._fields[name]
            if not (field.compute and field.store):
                continue
            # the records of the whole batch waiting: these only
            waiting = self.env.check_todo(field, self)
            if not waiting:
                continue
            waiting &= self
            done = [record.id for record in waiting
                    if self._computed_as(record, field, value)]
            if done:
                self.browse(done)._recompute_done(field)

    @api.model
    def _computed_as(self, record, field, value):
        """Whether ``record``'s cache holds ``value`` (as written) for the
        computed ``field``."""
        if not self.env.cache.contains(record, field):
            return False
        try:
            return field.convert_to_write(record[field.name], record) == \
                value
        except (AccessError, MissingError):
            return False

    @api.multi
    def _cache_inserted_values(self, vals):
        """Cache the plain columns of this new record as inserted
        (``vals``, NULL for the others), for its checks not to read them
        back."""
        self._cache_plain_values(vals, [
            name for name, field in self._fields.items()
            if not field.compute])

    @api.multi
    def _cache_plain_values(self, vals, names):
        """Cache the values of ``names`` in ``vals`` (False when missing)
        that the database holds as given (a sized text cut the same way):
        plain columns, not translated, not set by the database (create
        date...), nor many2one values other than ids."""
        for name in names:
            field = self._fields[name]
            if field.type not in PLAIN_TYPES or name in NOT_INSERTED or \
                    not (field.store and field.column_type) or \
                    field.inherited or field.translate:
                continue
            value = vals.get(name, False)
            if field.type == 'many2one' and not (
                    value is False or isinstance(value, int)):
                continue
            self._cache[name] = field.convert_to_cache(
                value, self, validate=field.type == 'float')

    @api.multi
    def _cache_empty_one2many(self, creation):
        """Cache as empty the one2many fields of this new record that had
        no value, when no record of their model was created meanwhile
        (through the ORM: a model of this mixin, whose creations are
        counted) and their model is not computed."""
        for name, field in self._fields.items():
            if field.type != 'one2many' or name in creation.vals or \
                    field.compute or field.related or \
                    field.comodel_name in creation.created or \
                    not isinstance(self.env[field.comodel_name],
                                   TrainingCreateTriggerMixin):
                continue
            self._cache[name] = ()

    @api.multi
    def _recompute_check(self, field):
        """The records to compute ``field`` of when it is read on these:
        Odoo 11 computes it for every record waiting for it, those already
        computed in the cache too (under ``norecompute``, each new record's
        checks would compute its whole batch again, quadratic); only those
        without a value in the cache here, as ``recompute()`` itself keeps
        the cached values (``modified`` drops those a change made wrong)."""
        records = super(TrainingCreateTriggerMixin, self)._recompute_check(
            field)
        if not records or len(records) < 2:
            return records
        cache = records.env.cache
        return records.browse([
            record_id for record_id in records._ids
            if not cache.contains(records.browse(record_id), field)])

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
            # a new record's one2many and many2many hold nothing yet: the
            # records they would name keep their values
            if not (new and mfield.type in ('one2many', 'many2many')):
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
            if new:
                value = self._creation().vals.get(field.inverse_name)
                if value is False or isinstance(value, int):
                    return self.env[model_name].browse(value or [])
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
