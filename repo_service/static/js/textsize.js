// Large text for elderly learners: one button in the header, remembered by this device.
// Loaded in <head> without defer so the class is on <html> before the first paint (no flash of
// small text); the button is wired once the page is parsed.
(function () {
  "use strict";
  const KEY = "zx-large-text";
  const CLASS = "large-text";
  const root = document.documentElement;

  function remembered() {
    try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function remember(on) {
    try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
  }

  root.classList.toggle(CLASS, remembered());

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-text-size]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(root.classList.contains(CLASS)));
      button.addEventListener("click", function () {
        const on = !root.classList.contains(CLASS);
        root.classList.toggle(CLASS, on);
        remember(on);
        document.querySelectorAll("button[data-text-size]").forEach(function (b) {
          b.setAttribute("aria-pressed", String(on));
        });
      });
    });
  });
})();
