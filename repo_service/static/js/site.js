// Every page: a form or button with data-confirm asks before it is sent.
(function () {
  "use strict";
  document.addEventListener(
    "submit",
    function (ev) {
      const form = ev.target;
      const button = ev.submitter;
      const message = (button && button.dataset.confirm) || form.dataset.confirm;
      if (message && !window.confirm(message)) ev.preventDefault();
    },
    true
  );
})();
