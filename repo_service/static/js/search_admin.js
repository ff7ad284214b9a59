// While an operation runs, poll its progress and reload when it ends.
(function () {
  var STATES = JSON.parse(document.getElementById("operations").dataset.states);
  var box = document.getElementById("operations");
  var running = Array.prototype.some.call(box.querySelectorAll("progress"), function (p) { return !p.hidden; });
  if (!running) return;
  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" } }).then(function (r) { return r.json(); }).then(function (s) {
      var busy = false;
      ["reindex", "check"].forEach(function (name) {
        var op = s.operations[name];
        var el = document.getElementById("op-" + name);
        var label = el.querySelector(".state strong");
        label.dataset.state = op.state;
        label.textContent = (STATES[op.state] || [op.state, op.state])[document.documentElement.lang === "en" ? 1 : 0];
        var bar = el.querySelector("progress");
        bar.max = op.total || 1; bar.value = op.done || 0;
        if (op.state === "queued" || op.state === "running") busy = true;
      });
      if (busy) setTimeout(poll, 1000); else location.reload();
    }).catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
