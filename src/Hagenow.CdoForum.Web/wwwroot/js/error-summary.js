// Moves keyboard and screen-reader focus to the error summary after a form was sent back with errors.
(function () {
    "use strict";
    var summary = document.querySelector(".error-summary");
    if (summary) {
        summary.focus();
    }
})();
