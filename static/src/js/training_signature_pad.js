/* A signature drawn with a finger, a pen or a mouse (issue 17): each
 * form.o_training_signature_form holds a canvas.o_training_signature_pad,
 * a button.o_training_signature_clear and an input[name=signature] that
 * receives the drawing as a PNG data URL when the form is sent. No
 * library: pointer events, as every phone browser has them. */
(function () {
    'use strict';

    function setUp(form) {
        var canvas = form.querySelector('canvas.o_training_signature_pad');
        var input = form.querySelector('input[name="signature"]');
        var clear = form.querySelector('.o_training_signature_clear');
        var empty = form.querySelector('.o_training_signature_empty');
        var context = canvas.getContext('2d');
        var drawing = false;
        var drawn = false;

        function resize() {
            // the drawing's pixels follow the frame's width on the screen
            var ratio = window.devicePixelRatio || 1;
            canvas.width = canvas.clientWidth * ratio;
            canvas.height = canvas.clientHeight * ratio;
            context.setTransform(ratio, 0, 0, ratio, 0, 0);
            context.lineWidth = 2.5;
            context.lineCap = 'round';
            context.lineJoin = 'round';
            context.strokeStyle = '#1a237e';
            drawn = false;
        }
        function point(event) {
            var box = canvas.getBoundingClientRect();
            return {x: event.clientX - box.left, y: event.clientY - box.top};
        }
        canvas.addEventListener('pointerdown', function (event) {
            event.preventDefault();
            drawing = true;
            canvas.setPointerCapture(event.pointerId);
            var at = point(event);
            context.beginPath();
            context.moveTo(at.x, at.y);
            context.lineTo(at.x + 0.1, at.y + 0.1);
            context.stroke();
            drawn = true;
        });
        canvas.addEventListener('pointermove', function (event) {
            if (!drawing) {
                return;
            }
            event.preventDefault();
            var at = point(event);
            context.lineTo(at.x, at.y);
            context.stroke();
        });
        ['pointerup', 'pointercancel', 'pointerleave'].forEach(function (name) {
            canvas.addEventListener(name, function () {
                drawing = false;
            });
        });
        clear.addEventListener('click', function (event) {
            event.preventDefault();
            context.clearRect(0, 0, canvas.width, canvas.height);
            drawn = false;
        });
        form.addEventListener('submit', function (event) {
            if (!drawn) {
                event.preventDefault();
                empty.classList.remove('hidden');
                return;
            }
            input.value = canvas.toDataURL('image/png');
        });
        resize();
    }

    function start() {
        var forms = document.querySelectorAll('form.o_training_signature_form');
        Array.prototype.forEach.call(forms, setUp);
    }
    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
}());
