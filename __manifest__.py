# Copyright 2026 training_session contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Training Sessions",
    "summary": "Plan training sessions: courses, sequences, slots, "
               "rooms, populations and registrations",
    "version": "11.0.1.0.0",
    "category": "Training",
    "website": "https://github.com/training-session/training_session",
    "author": "training_session contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "mail",
        "portal",
        "survey",
    ],
    "data": [
        "security/training_session_security.xml",
        "security/ir.model.access.csv",
        "security/training_session_rules.xml",
        "data/ir_sequence_data.xml",
        "data/mail_message_subtype_data.xml",
        "views/training_session_menus.xml",
        "views/training_course_views.xml",
        "views/training_action_views.xml",
        "views/training_sequence_views.xml",
        "views/training_slot_views.xml",
        "views/training_registration_views.xml",
        "views/training_session_views.xml",
        "views/training_room_views.xml",
        "views/training_population_views.xml",
        "views/training_scheme_views.xml",
        "views/training_certification_scheme_views.xml",
        "views/res_config_settings_views.xml",
        "views/training_session_assets.xml",
        "wizards/training_session_import_wizard_views.xml",
        "wizards/training_session_create_wizard_views.xml",
    ],
    "qweb": [
        "static/src/xml/training_session_list.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/training_config_demo.xml",
        "demo/training_session_demo.xml",
    ],
}
