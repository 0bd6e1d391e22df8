odoo.define('training_session.session_list_create', function (require) {
"use strict";

// "Create a session" button of the sessions list (manual 001): it opens the
// wizard offering to create a new session or duplicate an existing one.
var ListController = require('web.ListController');

ListController.include({
    renderButtons: function ($node) {
        this._super.apply(this, arguments);
        if (this.modelName === 'training.session' && this.$buttons) {
            var self = this;
            // created through "Create a session" only (a new session or a
            // duplicate): no standard "Create" beside it
            this.$buttons.find('.o_list_button_add').remove();
            this.$buttons.on('click', '.o_training_session_create', function () {
                self.do_action(
                    'training_session.training_session_create_wizard_action',
                    {on_close: function () { self.reload(); }});
            });
        }
    },
});

});
