odoo.define('training_session.dashboard', function (require) {
"use strict";

// The dashboard (issue 18) is one record of its own, made for the user:
// its form has no "1 / 1" pager.
var FormController = require('web.FormController');

FormController.include({
    renderPager: function () {
        if (this.modelName === 'training.dashboard') {
            return;
        }
        return this._super.apply(this, arguments);
    },
});

});
