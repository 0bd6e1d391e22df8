# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Session codes drawn for a batch of new sessions (an import)."""
import collections

SEQUENCE_CODE = 'training.session'


class SessionCodes(object):
    """The codes of a batch of new sessions, drawn from the year's counter
    in one query per year rather than three per session. Put in the
    context under the private key CODES_KEY: only code can give an object
    (a client sends plain values). ``expected``: how many sessions of each
    year the batch will create; codes drawn and not used (a refused line)
    are gaps, as a rolled back creation leaves."""

    def __init__(self, env, expected):
        self.env = env
        self.expected = collections.Counter(expected)
        self.codes = {}

    def draw(self, year):
        """The next code of ``year``."""
        codes = self.codes.setdefault(year, collections.deque())
        if not codes:
            codes.extend(self._reserve(year, self.expected.pop(year, 1)))
        return codes.popleft()

    def _reserve(self, year, count):
        """``count`` codes of ``year``, in order: the first as
        ``ir.sequence.next_by_code`` draws it (which makes the year's
        counter when it is missing), the others together from the same
        counter when it is a PostgreSQL sequence (the standard
        implementation; Odoo 11 names it ir_sequence_<id>_<range id>),
        else one by one."""
        Sequence = self.env['ir.sequence'].sudo().with_context(
            ir_sequence_date='%s-01-01' % year)
        first = Sequence.next_by_code(SEQUENCE_CODE)
        if count < 2:
            return [first]
        sequence = Sequence.search([
            ('code', '=', SEQUENCE_CODE),
            ('company_id', 'in', [self.env.user.company_id.id, False])],
            order='company_id', limit=1)
        counter, sequence = self._counter(sequence, year)
        if sequence.implementation != 'standard' or counter is None:
            return [first] + [Sequence.next_by_code(SEQUENCE_CODE)
                              for _index in range(count - 1)]
        self.env.cr.execute(
            'SELECT nextval(%s) FROM generate_series(1, %s)',
            (counter, count - 1))
        numbers = sorted(number for number, in self.env.cr.fetchall())
        return [first] + [sequence.get_next_char(number)
                          for number in numbers]

    @staticmethod
    def _counter(sequence, year):
        """(PostgreSQL sequence name, ir.sequence in the context of its
        year's range) of ``sequence`` for ``year``: None for the name when
        the range is missing."""
        if not sequence.use_date_range:
            return 'ir_sequence_%03d' % sequence.id, sequence
        date = '%s-01-01' % year
        date_range = sequence.env['ir.sequence.date_range'].search([
            ('sequence_id', '=', sequence.id), ('date_from', '<=', date),
            ('date_to', '>=', date)], limit=1)
        if not date_range:
            return None, sequence
        return ('ir_sequence_%03d_%03d' % (sequence.id, date_range.id),
                sequence.with_context(
                    ir_sequence_date_range=date_range.date_from))
