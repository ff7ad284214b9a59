// Live classes: say every 15 s that this page is watching, and show how many watch.
(function () {
  var boxes = document.querySelectorAll("[data-viewers-url]");
  if (!boxes.length) return;
  var id = sessionStorage.getItem("zx-viewer");
  if (!id) {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    id = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    sessionStorage.setItem("zx-viewer", id);
  }
  var seq = 0;
  function csrf() { var m = document.querySelector("meta[name=csrf-token]"); return m ? m.content : ""; }
  // A signed-in learner's live attendance counts like a course: 15 s per beat while watching.
  function attend(box) {
    var now = Date.now();
    var since = box.zxWatchedSince;
    box.zxWatchedSince = now;
    if (!box.dataset.learningUrl || !since) return;
    seq += 1;
    var seconds = Math.min(20, Math.round((now - since) / 1000));
    var body = JSON.stringify({ live_session_id: Number(box.dataset.liveId), seconds: seconds, beat: seq, viewer: id });
    var tries = 0;
    (function post() {
      fetch(box.dataset.learningUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
        body: body
      }).catch(function () { if (++tries < 4) setTimeout(post, 5000); });
    })();
  }
  function beat(box) {
    var video = box.querySelector("video");
    if (document.hidden || !video || video.paused) { box.zxWatchedSince = null; return; }
    attend(box);
    fetch(box.dataset.viewersUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ viewer: id })
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (data) box.querySelector(".viewers-count").textContent = data.viewers;
    }).catch(function () {});
  }
  Array.prototype.forEach.call(boxes, function (box) {
    var video = box.querySelector("video");
    if (video) video.addEventListener("playing", function started() { video.removeEventListener("playing", started); beat(box); });
    setInterval(function () { beat(box); }, 15000);
  });
})();
