# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The fan-out of a user's action (mails, calendar invitations) as
background jobs (OCA queue_job): the action records what is to be sent
and queues one job per batch, so that it answers at once whatever the
number of trainees; the jobs send it, each in a transaction of its own,
retried on failure, and sending only what is still to be sent (a job run
twice sends nothing twice). The scheduled actions hand their batches to
such jobs too (``dispatch``)."""
from odoo.addons.queue_job.job import identity_exact

# records per job: a job's transaction stays short (a few seconds), and a
# failure retries that batch only
JOB_BATCH_SIZE = 100
# the channel of the training mails and invitations (README "Design")
MAIL_CHANNEL = 'root.training_mail'


def always_queued(records):
    """``records`` whose ``with_delay()`` always queues a job: queue_job
    runs it at once, in the request, when the context says
    ``test_queue_job_no_delay``, a key any client can send; it is lifted."""
    return records.with_context(test_queue_job_no_delay=False)


def delay_batches(records, method, description, size=JOB_BATCH_SIZE,
                  identity_key=None):
    """Queue ``records.method()`` as one job per batch of ``size`` records
    (always queued, see always_queued). ``identity_key``: see queue_job (a
    job equal to one still pending is not queued again). Returns the
    jobs."""
    records = always_queued(records)
    return [getattr(records[start:start + size].with_delay(
        description=description, identity_key=identity_key), method)()
        for start in range(0, len(records), size)]


def dispatch(records, method, description, size):
    """What a scheduled action does with the ``records`` it found to
    process: a job per batch of ``size``, each in a transaction of its
    own, committed by queue_job (no commit in the code), safe to run again;
    a batch still waiting for its job is not queued twice, should the
    action run again before the job runner has caught up."""
    return delay_batches(records, method, description, size=size,
                         identity_key=identity_exact)


def lock_rows(records, condition):
    """The records among these whose row meets the SQL ``condition``, their
    rows locked until the end of the transaction: a job run twice, or a
    job and the scheduled action at once, cannot send the same thing
    twice (the second waits, then finds it sent, or fails to serialise and
    is retried)."""
    if not records:
        return records
    records.env.cr.execute(
        'SELECT id FROM %s WHERE id IN %%s AND (%s) ORDER BY id FOR UPDATE'
        % (records._table, condition), (tuple(records.ids),))
    ids = {row[0] for row in records.env.cr.fetchall()}
    records.invalidate_cache(ids=list(ids))
    return records.filtered(lambda record: record.id in ids)
