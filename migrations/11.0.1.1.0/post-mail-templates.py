# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.1.1.0: the addon's mail templates changed, and their file is
loaded with noupdate, which an update never rewrites: the same
substitutions are made in the templates of an existing database and in
their translations, leaving the rest of a template a user edited as it
is.

- A session organised by month is named by its month (issue 16, manual
  004 section 1): ``object.session_id.title`` where they printed
  ``object.session_id.name``.
- A slot running over several days shows both dates (issue 17):
  ``slot.hours_label(...)`` where they printed the start's date and hour
  and the end's hour only.
"""

SUBSTITUTIONS = (
    ('object.session_id.name}', 'object.session_id.title}'),
    ("${format_tz(slot.date_start, tz=object.session_id.user_id.tz or "
     "'Europe/Paris', format='%d/%m/%Y %H:%M')} - ${format_tz(slot.date_end, "
     "tz=object.session_id.user_id.tz or 'Europe/Paris', format='%H:%M')}",
     "${slot.hours_label(object.session_id.user_id.tz or 'Europe/Paris')}"),
)


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        SELECT res_id FROM ir_model_data
         WHERE module = 'training_session' AND model = 'mail.template'
    """)
    ids = tuple(row[0] for row in cr.fetchall())
    if not ids:
        return
    for old, new in SUBSTITUTIONS:
        for column in ('subject', 'body_html'):
            # the column name comes from the tuple above, never from data
            cr.execute("""
                UPDATE mail_template SET {0} = replace({0}, %s, %s)
                 WHERE id IN %s AND strpos({0}, %s) > 0
            """.format(column), (old, new, ids, old))
        cr.execute("""
            UPDATE ir_translation
               SET src = replace(src, %s, %s),
                   value = replace(value, %s, %s)
             WHERE type = 'model' AND res_id IN %s
               AND name IN ('mail.template,subject',
                            'mail.template,body_html')
               AND (strpos(src, %s) > 0 OR strpos(value, %s) > 0)
        """, (old, new, old, new, ids, old, old))
