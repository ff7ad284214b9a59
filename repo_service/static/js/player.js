// The course player: HLS through hls.js (native HLS on Safari), a big play button, a quality
// menu (auto or one rung), and an audio-only mode for weak links that this device remembers.
// Nothing but the playlists is fetched before the viewer presses play.
(function () {
  "use strict";
  document.querySelectorAll(".player").forEach(setUp);

function setUp(box) {
  const video = box.querySelector("video");
  const big = box.querySelector(".play-big");
  const quality = box.querySelector("select.quality");
  const audioToggle = box.querySelector("input.audio-only");
  const en = document.documentElement.lang === "en";
  const REMEMBER = "zx-audio-only";
  let hls = null;
  let started = false;

  function remembered() {
    try { return localStorage.getItem(REMEMBER) === "1"; } catch (e) { return false; }
  }
  function remember(on) {
    try { localStorage.setItem(REMEMBER, on ? "1" : "0"); } catch (e) { /* private mode */ }
  }
  const audioOnly = () => Boolean(audioToggle && audioToggle.checked && box.dataset.audio);

  function fillQualities() {
    if (!quality) return;
    quality.textContent = "";
    const auto = new Option(en ? "Auto" : "自动", "-1");
    quality.add(auto);
    if (!hls || audioOnly()) { quality.disabled = true; return; }
    hls.levels
      .map((level, index) => ({ index, height: level.height }))
      .filter((l) => l.height)
      .sort((a, b) => a.height - b.height)
      .forEach((l) => quality.add(new Option(l.height + "p", String(l.index))));
    quality.value = String(hls.manualLevel === undefined ? -1 : hls.manualLevel);
    quality.disabled = hls.levels.length < 2;
  }

  let retries = 0;
  // (Re)attach the source for the current mode, continuing at `at` seconds.
  function attach(at) {
    const src = audioOnly() ? box.dataset.audio : box.dataset.src;
    box.classList.toggle("audio-mode", audioOnly());
    if (hls) { hls.destroy(); hls = null; }
    if (window.Hls && Hls.isSupported()) {
      hls = new Hls(box.dataset.live
        // Live classes: stay two fragments behind the live edge (about 4 s with nginx-rtmp).
        ? { liveSyncDurationCount: 2, liveMaxLatencyDurationCount: 5, autoStartLoad: false }
        // On demand: start on the lightest rung (a weak rural link shows a picture within
        // seconds, then the player climbs), and play a segment while it still arrives.
        : { capLevelToPlayerSize: !audioOnly(), autoStartLoad: false, startLevel: 0, progressive: true });
      hls.on(Hls.Events.MANIFEST_PARSED, function () {
        fillQualities();
        if (started) hls.startLoad(at || -1);
      });
      if (box.dataset.live) {
        // A class that has just gone on air has no playlist for a few seconds, and a weak link
        // drops requests: try again rather than give up.
        hls.on(Hls.Events.ERROR, function (_event, data) {
          if (!data.fatal) return;
          if (data.type === Hls.ErrorTypes.NETWORK_ERROR && retries < 40) {
            retries += 1;
            setTimeout(function () { attach(-1); }, 3000);
          } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
            hls.recoverMediaError();
          }
        });
      }
      hls.loadSource(src);
      hls.attachMedia(video);
      window.zxHls = hls;
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.preload = started ? "auto" : "none";
      video.src = src;
      if (at) video.addEventListener("loadedmetadata", () => { video.currentTime = at; }, { once: true });
      fillQualities();
    }
    if (started) video.play().catch(function () { /* the viewer presses play again */ });
  }

  // Where to start: where this learner stopped last time (the service keeps it with her
  // learning record), or the chapter she chose before the first play.
  function onPlay() {
    box.classList.add("started");
    const resume = Number(box.dataset.resume || 0);
    if (!started) {
      started = true;
      if (hls) {
        hls.startLoad(resume > 0 ? resume : -1);
        if (resume > 0) video.currentTime = resume;
      } else {
        if (video.preload === "none") video.preload = "auto";
        if (resume > 0) {
          if (video.readyState >= 1) video.currentTime = resume;
          else video.addEventListener("loadedmetadata", () => { video.currentTime = resume; }, { once: true });
        }
      }
    }
  }
  video.addEventListener("play", onPlay);
  video.addEventListener("pause", () => box.classList.remove("playing"));
  video.addEventListener("playing", () => box.classList.add("playing"));
  if (big) {
    big.addEventListener("click", function () {
      video.play().catch(function () { /* the native controls remain */ });
    });
  }
  if (quality) {
    quality.addEventListener("change", function () {
      if (hls) hls.currentLevel = Number(quality.value);
    });
  }
  if (audioToggle) {
    audioToggle.checked = remembered() && Boolean(box.dataset.audio);
    audioToggle.addEventListener("change", function () {
      remember(audioToggle.checked);
      attach(video.currentTime);
    });
  }
  // A play asked for before this script ran (a quick tap on the native controls while the page
  // was still loading) fired its event unheard: honour it, or the player would wait forever.
  if (!video.paused) onPlay();
  attach(0);

  // One play is reported when playback really starts (the service counts a viewer once an hour).
  if (video.dataset.plays) {
    video.addEventListener("playing", function report() {
      video.removeEventListener("playing", report);
      fetch(video.dataset.plays, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      }).catch(function () { /* a play not counted never disturbs watching */ });
    });
  }
}
})();
