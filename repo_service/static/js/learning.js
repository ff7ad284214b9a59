// Learning records: report the stretches of media really shown — playing, on a visible page,
// not jumped over by a seek — as intervals of media time, every 15 s and when the page goes
// away. At 2x speed a stretch covers twice the media, which is what counts. Unsent stretches
// are kept in localStorage and sent again when the link is back: the service merges them, so
// sending twice never counts twice.
(function () {
  "use strict";
  var BEAT_MS = 15000;
  var JUMP = 3; // seconds of media between two timeupdates beyond which it was a seek

  function csrf() { var m = document.querySelector("meta[name=csrf-token]"); return m ? m.content : ""; }

  document.querySelectorAll(".player[data-heartbeat]").forEach(function (box) {
    var video = box.querySelector("video");
    var url = box.dataset.heartbeat;
    var resourceId = Number(box.dataset.resource);
    var store = "zx-learning-" + resourceId;
    var pending = [];
    var from = null; // start of the stretch being watched
    var last = null; // media time at the last timeupdate of that stretch
    var sending = false;

    try { pending = JSON.parse(localStorage.getItem(store) || "[]"); } catch (e) { pending = []; }
    function keep() { try { localStorage.setItem(store, JSON.stringify(pending)); } catch (e) { /* private mode */ } }

    function close() {
      if (from !== null && last !== null && last - from > 0.05) {
        pending.push([Math.round(from * 100) / 100, Math.round(last * 100) / 100]);
        keep();
      }
      from = null; last = null;
    }

    function counting() { return !video.paused && !video.ended && !video.seeking && !document.hidden; }

    video.addEventListener("timeupdate", function () {
      var t = video.currentTime;
      if (!counting()) { close(); return; }
      if (from === null) { from = t; last = t; return; }
      if (t < last || t - last > JUMP * Math.max(1, video.playbackRate)) { close(); from = t; last = t; return; }
      last = t;
    });
    ["pause", "seeking", "ended", "waiting"].forEach(function (name) { video.addEventListener(name, close); });
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) { close(); send(true); }
    });

    function send(leaving) {
      if (from !== null && last !== null) { var t = last; close(); if (counting()) { from = t; last = t; } }
      if (sending || (!pending.length && !leaving)) return;
      var batch = pending.slice(0, 60);
      var body = JSON.stringify({ resource_id: resourceId, intervals: batch, position: video.currentTime || 0 });
      sending = true;
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        keepalive: Boolean(leaving),
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf() },
        body: body
      }).then(function (r) {
        if (r.ok || r.status === 400) { pending = pending.slice(batch.length); keep(); }
      }).catch(function () { /* kept; sent again on the next beat or when the link is back */ })
        .then(function () { sending = false; });
    }

    setInterval(send, BEAT_MS);
    window.addEventListener("online", function () { send(false); });
    window.addEventListener("pagehide", function () { send(true); });
    if (pending.length) send(false);
  });
})();
