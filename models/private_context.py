# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Context keys that unlock a rule, kept out of the clients' reach.

A client puts what it likes in the context of an RPC call, so a key that
lifts a check (apply a validated change request, register without the seat
checks until the batch is complete) must not be a plain value: its value
is ``TOKEN``, an object that neither JSON-RPC nor XML-RPC can carry, tested
by identity. A client sending the key with any value gets the ordinary
checks.
"""

# a validated change request writes the funded data of a session
CHANGE_REQUEST_KEY = 'training_change_request'
# a batch of registrations takes its seats once, at the end
DEFER_SEATS_KEY = 'training_defer_seats'
# a save checks the validated sessions' periods once, after its nested
# sequences and slots (their own checks would see a half-done planning)
PERIODS_CHECKED_KEY = 'training_periods_checked'
# the sequences of a session being created (its one2many forces them to
# it): no participant, mail setting nor invitation can exist yet, so their
# checks and updates are skipped (not for slots: a slot given through the
# session's slot_ids may name another session's sequence)
NEW_SESSION_KEY = 'training_new_session'
# an import of partner sessions writes its state, results and lines
IMPORT_KEY = 'training_session_import'
# an import draws its sessions' codes per batch: the value is a
# SessionCodes (session_codes.py), an object no client can send
CODES_KEY = 'training_session_codes'

# the training mails (session mails, calendar invitations) link their
# mail.mail to what it is (rendered again, as superuser, when it goes)
TRAINING_MAIL_KEY = 'training_mail_links'

# the attendance's signing and correction methods write its signature
# fields and the state of a signed line
SIGNATURE_KEY = 'training_attendance_signature'


class _Token(object):
    """The value of the private keys: one instance, never serialised."""
    __slots__ = ()

    def __repr__(self):
        return '<training private context>'


TOKEN = _Token()


def with_private(records, key):
    """``records`` with the private ``key`` set."""
    return records.with_context(**{key: TOKEN})


def without_private(records, key):
    """``records`` with the private ``key`` lifted."""
    return records.with_context(**{key: None})


def has_private(records, key):
    """Whether the code (never a client) set the private ``key``."""
    return records.env.context.get(key) is TOKEN


def by_workflow(records):
    """Whether a change request is being applied, or the module's data
    files are being loaded (no client is served until the registry is
    ready): what may write the funder's validation."""
    return has_private(records, CHANGE_REQUEST_KEY) or not records.pool.ready
