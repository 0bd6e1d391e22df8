# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.1.2.0: the planning of the training mails is one shared block, and
every training mail ends with the organisation's signature (issue 18,
data/mail_block_templates.xml). The mail templates' file is loaded with
noupdate, which an update never rewrites: the planning the templates
copied is replaced by the block where it is still as the addon wrote it,
and the signature is added at the end of those that have none; the rest
of a template a user edited stays as it is, and so do its translations.
"""

PLANNING = (
    '<table style="border-collapse: collapse;">\n'
    '% for sequence in object.session_id.sequence_ids:\n'
    '% for slot in sequence.slot_ids:\n'
    '<tr><td style="padding: 2px 8px;">${sequence.name}${\' (trava'
    "il préparatoire)' if sequence.is_prework else ''}</td>\n"
    '<td style="padding: 2px 8px;">${slot.hours_label(object.sess'
    "ion_id.user_id.tz or 'Europe/Paris')}</td>\n"
    '<td style="padding: 2px 8px;">${slot.place_id.name or object'
    ".session_id.place_id.name or ''}${' (' + slot.room_id.name +"
    " ')' if slot.room_id else ''}${'. ' + slot.comment_place if "
    "slot.comment_place else ''}</td></tr>\n"
    '% endfor\n'
    '% if not sequence.slot_ids and sequence.date_start:\n'
    '<tr><td style="padding: 2px 8px;">${sequence.name}${\' (trava'
    "il préparatoire)' if sequence.is_prework else ''}</td>\n"
    '<td style="padding: 2px 8px;">${format_tz(sequence.date_star'
    "t, tz=object.session_id.user_id.tz or 'Europe/Paris', format"
    "='%d/%m/%Y')} - ${format_tz(sequence.date_end or sequence.da"
    "te_start, tz=object.session_id.user_id.tz or 'Europe/Paris',"
    " format='%d/%m/%Y')}</td>\n"
    '<td style="padding: 2px 8px;">${sequence.url or \'\'}</td></tr'
    '>\n'
    '% endif\n'
    '% endfor\n'
    '</table>'
)
TRAINER_PLANNING = (
    '% for slot in (object.sequence_id.slot_ids if object.sequenc'
    'e_id else object.session_id.slot_ids):\n'
    "<p>${slot.hours_label(object.session_id.user_id.tz or 'Europ"
    "e/Paris')}, ${slot.place_id.name or ''} ${slot.room_id.name "
    "or ''}${' : ' + slot.comment_trainer_file if slot.comment_tr"
    "ainer_file else ''}${'. ' + slot.comment_place if slot.comme"
    "nt_place else ''}</p>\n"
    '% endfor'
)
INVITATION_PLANNING = (
    '<ul>\n'
    '% for slot in object.sequence_id.slot_ids:\n'
    "<li>${slot.hours_label(object.session_id.user_id.tz or 'Euro"
    "pe/Paris')}${', ' + slot.place_id.name if slot.place_id else"
    " ''}${'. ' + slot.comment_place if slot.comment_place else '"
    "'}</li>\n"
    '% endfor\n'
    '</ul>\n'
    '% if object.sequence_id.url:\n'
    '<p>Lien : <a href="${object.sequence_id.url}">${object.seque'
    'nce_id.url}</a></p>\n'
    '% endif'
)
SUBSTITUTIONS = (
    (PLANNING, '${object.session_id.mail_planning()|safe}'),
    (TRAINER_PLANNING,
     '${object.session_id.mail_planning(object.sequence_id, '
     'trainer=True)|safe}'),
    (INVITATION_PLANNING,
     '${object.session_id.mail_planning(object.sequence_id)|safe}'),
)
SIGNATURE = '${object.session_id.mail_signature()|safe}'


def with_blocks(body):
    """``body`` with the shared blocks (see the module's docstring)."""
    if not body:
        return body
    for old, new in SUBSTITUTIONS:
        body = body.replace(old, new)
    end = body.rfind('</div>')
    if SIGNATURE not in body and end >= 0:
        body = body[:end] + SIGNATURE + body[end:]
    return body


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
    cr.execute('SELECT id, body_html FROM mail_template WHERE id IN %s',
               (ids,))
    for template_id, body in cr.fetchall():
        new = with_blocks(body)
        if new != body:
            cr.execute('UPDATE mail_template SET body_html = %s '
                       'WHERE id = %s', (new, template_id))
    cr.execute("""
        SELECT id, src, value FROM ir_translation
         WHERE type = 'model' AND name = 'mail.template,body_html'
           AND res_id IN %s
    """, (ids,))
    for translation_id, src, value in cr.fetchall():
        new_src, new_value = with_blocks(src), with_blocks(value)
        if (new_src, new_value) != (src, value):
            cr.execute('UPDATE ir_translation SET src = %s, value = %s '
                       'WHERE id = %s', (new_src, new_value, translation_id))
