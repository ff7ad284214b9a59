// The document reader: jump to a page by number.
(function () {
  "use strict";
  const form = document.querySelector("[data-page-jump]");
  if (!form) return;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const target = document.getElementById("page-" + form.elements.page.value);
    if (target) { target.scrollIntoView(); location.hash = target.id; }
  });
})();
