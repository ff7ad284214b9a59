// The judge's scoring page: draft autosave through the JSON API with the assignment's row
// version, a clear stop when another window saved first, comments at the player's current time,
// the level a score falls in and the weighted total. The form still posts without this file.
(function () {
  "use strict";
  const en = document.documentElement.lang === "en";
  const form = document.getElementById("score-form");
  if (!form) return;
  const video = document.getElementById("player");
  const editable = form.dataset.editable === "1";
  const statusBox = document.getElementById("save-status");
  const banner = document.getElementById("stale-banner");
  const versionInput = form.querySelector('input[name="row_version"]');
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const criteria = Array.from(form.querySelectorAll("[data-criterion]"));

  function clock(seconds) {
    const whole = Math.max(0, Math.round(seconds));
    return Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
  }
  function seconds(text) {
    const value = text.trim();
    const match = /^(\d+):([0-5]?\d(?:\.\d+)?)$/.exec(value);
    if (match) return Number(match[1]) * 60 + Number(match[2]);
    return value === "" ? NaN : Number(value);
  }

  // --- level hints and the weighted total (what scoring.weighted_total computes) ---
  function refreshTotals() {
    let weights = 0, sum = 0, complete = true;
    for (const box of criteria) {
      const input = box.querySelector('input[type="number"]');
      const hint = box.querySelector(".level-hint");
      const raw = input.value.trim();
      const value = Number(raw);
      const max = Number(box.dataset.max);
      let levels = [];
      try { levels = JSON.parse(box.dataset.levels || "[]"); } catch (e) { levels = []; }
      const ok = raw !== "" && Number.isFinite(value) && value >= 0 && value <= max;
      if (hint) {
        const level = ok ? levels.find((lv) => value >= Number(lv.min)) : null;
        hint.textContent = raw !== "" && !ok
          ? (en ? "must be 0 to " : "须在 0 到 ") + max + (en ? "" : " 之间")
          : level ? "→ " + level.label : "";
        hint.classList.toggle("bad", raw !== "" && !ok);
      }
      if (box.dataset.counts !== "1") continue;
      const weight = Number(box.dataset.weight);
      weights += weight;
      if (ok) sum += (weight * value) / max; else complete = false;
    }
    const out = document.getElementById("total-preview");
    if (out) out.textContent = complete && weights ? ((100 * sum) / weights).toFixed(2) : (en ? "— (not every item scored)" : "—（尚未全部打分）");
  }
  form.addEventListener("input", refreshTotals);
  refreshTotals();

  // --- the player: jump to a comment's moment, comment at the current time ---
  form.addEventListener("click", function (ev) {
    const seek = ev.target.closest("[data-seek]");
    if (seek && video) {
      const at = seconds(seek.closest("[data-timed-row]").querySelector('input[name="timed_at"]').value);
      if (Number.isFinite(at)) { video.currentTime = at; video.play().catch(function () {}); }
      return;
    }
    if (ev.target.closest("#add-timed")) {
      const template = document.getElementById("tpl-timed");
      const rows = document.getElementById("timed-rows");
      rows.appendChild(template.content.cloneNode(true));
      const row = rows.lastElementChild;
      if (video) {
        video.pause();
        row.querySelector('input[name="timed_at"]').value = clock(video.currentTime || 0);
      }
      row.querySelector('input[name="timed_text"]').focus();
      return;
    }
    if (ev.target.closest("[data-remove-row]")) setTimeout(changed, 0); // after the row is gone
  });
  const reload = document.querySelector("[data-reload]");
  if (reload) reload.addEventListener("click", function () { location.reload(); });

  if (!editable) return;

  // --- autosave ---
  let timer = null;
  let inflight = null;
  let edits = 0; // changes typed so far
  let saved = 0; // changes the last successful save carried
  let stopped = false;
  let leaving = false;

  function say(text, bad) {
    if (!statusBox) return;
    statusBox.textContent = text;
    statusBox.classList.toggle("bad", !!bad);
  }
  function collect() {
    const scores = {}, comments = {};
    for (const box of criteria) {
      const id = box.dataset.criterion;
      const raw = box.querySelector('input[type="number"]').value.trim();
      scores[id] = raw === "" ? null : raw;
      comments[id] = box.querySelector("textarea").value;
    }
    const timed = [];
    for (const row of form.querySelectorAll("[data-timed-row]")) {
      const at = seconds(row.querySelector('input[name="timed_at"]').value);
      const text = row.querySelector('input[name="timed_text"]').value.trim();
      if (Number.isFinite(at) && text) timed.push({ at: at, text: text }); // half-typed rows wait
    }
    const overall = form.querySelector('textarea[name="overall_comment"]');
    const body = {
      row_version: Number(versionInput.value),
      scores: scores,
      comments: comments,
      overall_comment: overall ? overall.value : "",
      submit: false,
    };
    if (form.querySelector("#timed")) body.timed_comments = timed;
    return body;
  }
  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(save, ms || 1500);
  }
  function changed() {
    if (stopped) return;
    edits += 1;
    say(en ? "Unsaved changes…" : "有未保存的修改…", false);
    if (!inflight) schedule();
  }
  function stop(message) {
    stopped = true;
    clearTimeout(timer);
    say(message, true);
  }
  function save() {
    timer = null;
    if (stopped || inflight) return inflight;
    const carrying = edits;
    let retry = false;
    say(en ? "Saving…" : "正在保存…", false);
    inflight = fetch(form.dataset.api, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRF-Token": csrfMeta ? csrfMeta.content : "",
      },
      body: JSON.stringify(collect()),
    })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (data) {
          if (res.ok && data.assignment) {
            versionInput.value = data.assignment.row_version;
            saved = carrying;
            const at = new Date().toTimeString().slice(0, 8);
            if (edits === saved) say((en ? "Saved " : "已保存 ") + at, false);
            return;
          }
          const error = data.error || {};
          if (error.code === "stale_scores") {
            banner.hidden = false;
            banner.scrollIntoView({ block: "start" });
            stop(en ? "Saved in another window: reload this page" : "另一个窗口已保存，请刷新本页");
          } else if (error.code === "scores_locked" || error.code === "wrong_phase" || res.status === 404) {
            stop((en ? error.message_en : error.message) || (en ? "Scoring is closed" : "当前不能评分"));
          } else if (res.status >= 500 || res.status === 429) {
            retry = true;
            say(en ? "Not saved: will retry" : "未能保存，稍后自动重试", true);
          } else {
            // Something to fix (a score out of range…): say so; the next change saves again.
            say((en ? error.message_en : error.message) || (en ? "Not saved" : "未能保存"), true);
          }
        });
      })
      .catch(function () {
        retry = true;
        say(en ? "Offline: will retry" : "网络中断，稍后自动重试", true);
      })
      .finally(function () {
        inflight = null;
        if (stopped) return;
        if (retry) schedule(5000);
        else if (edits > carrying) schedule(); // typed while saving
      });
    return inflight;
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (ev) {
    if (ev.defaultPrevented) return; // the confirmation was declined
    clearTimeout(timer);
    if (!inflight) { leaving = true; return; }
    // Wait for the autosave under way, so the form carries the version it produced.
    ev.preventDefault();
    const action = ev.submitter ? ev.submitter.value : "draft";
    inflight.then(function () {
      clearTimeout(timer);
      const field = document.createElement("input");
      field.type = "hidden";
      field.name = "action";
      field.value = action;
      form.appendChild(field);
      leaving = true;
      form.submit();
    });
  });
  window.addEventListener("beforeunload", function (ev) {
    if ((edits > saved || inflight) && !leaving && !stopped) {
      ev.preventDefault();
      ev.returnValue = "";
    }
  });
})();
