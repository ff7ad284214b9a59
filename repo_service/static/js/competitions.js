// Competition pages: the row editors of the set-up and entry forms (rows are plain inputs, so
// the form still posts without this file). Confirmations (data-confirm) are site.js's.
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    const add = ev.target.closest("[data-add-row]");
    if (add) {
      ev.preventDefault();
      const name = add.dataset.addRow;
      const template = document.getElementById("tpl-" + name);
      const box = document.querySelector('[data-rows="' + name + '"]');
      if (!template || !box) return;
      box.appendChild(template.content.cloneNode(true));
      const rows = box.querySelectorAll("[data-row]");
      const field = rows[rows.length - 1].querySelector("input, select, textarea");
      if (field) field.focus();
      return;
    }
    const remove = ev.target.closest("[data-remove-row]");
    if (remove) {
      ev.preventDefault();
      const row = remove.closest("[data-row]");
      if (row) row.remove();
    }
  });
})();
