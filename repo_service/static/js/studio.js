// Studio pages: live state pushed by server-sent events; actions sent to the JSON API.
(function () {
  var en = document.documentElement.lang === "en";
  function say(zh, e) { return en ? e : zh; }
  function csrf() { var m = document.querySelector("meta[name=csrf-token]"); return m ? m.content : ""; }
  function clock(ms) {
    var s = Math.floor((ms || 0) / 1000);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(Math.floor(s / 3600)) + ":" + two(Math.floor(s / 60) % 60) + ":" + two(s % 60);
  }
  function text(id, value) { var el = document.getElementById(id); if (el) el.textContent = value; }
  function connWords(words, state) {
    if (state.connected) return say("已连接 OBS", "Connected to OBS");
    var w = words[state.error] || ["未连接", "Not connected"];
    return say(w[0], w[1]);
  }
  // The state pushed by the event stream at ``url`` to ``handlers``. When the server turns the
  // stream away (503: its web process holds as many as it may) or it fails for good, ``poll``
  // fetches the state every 5 s instead, and the stream is tried again 30 s later.
  function follow(url, handlers, poll, onLost) {
    var polling = null;
    function open() {
      var stream = new EventSource(url);
      Object.keys(handlers).forEach(function (name) {
        stream.addEventListener(name, function (ev) { handlers[name](JSON.parse(ev.data)); });
      });
      stream.addEventListener("open", function () {
        if (polling) { clearInterval(polling); polling = null; }
      });
      stream.onerror = function () {
        if (stream.readyState !== EventSource.CLOSED) { if (onLost) onLost(); return; }
        stream.close();
        if (!polling) { poll(); polling = setInterval(poll, 5000); }
        setTimeout(open, 30000);
      };
    }
    open();
  }
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  }

  // --- overview ------------------------------------------------------------------------------
  var list = document.getElementById("studios");
  if (list && window.EventSource) {
    var owords = JSON.parse(list.dataset.words);
    var cardState = function (s) {
      var card = list.querySelector('[data-studio="' + s.studio_id + '"]');
      if (!card) return;
      var conn = card.querySelector(".conn");
      conn.dataset.connected = s.connected ? "yes" : "no";
      conn.textContent = connWords(owords, s);
      card.querySelector(".program").textContent = s.program_scene || "—";
      card.querySelector(".stream").dataset.on = s.streaming.active ? "yes" : "no";
      card.querySelector(".record").dataset.on = s.recording.active ? "yes" : "no";
    };
    follow(list.dataset.events, {
      state: cardState,
      hub: function (s) {
        var card = list.querySelector('[data-studio="' + s.studio_id + '"]');
        if (card) { var c = card.querySelector(".conn"); c.dataset.connected = "no"; c.textContent = connWords(owords, s); }
      }
    }, function () {
      getJSON(list.dataset.studios).then(function (data) {
        data.studios.forEach(function (st) { if (st.state) cardState(st.state); });
      }).catch(function () {});
    });
  }

  // --- control page --------------------------------------------------------------------------
  var box = document.getElementById("control");
  if (!box) return;
  var words = JSON.parse(box.dataset.words);
  var roles = JSON.parse(box.dataset.roles);
  var msg = document.getElementById("studio-msg");
  var current = null;

  function show(message, bad) {
    msg.textContent = message;
    msg.className = "studio-msg" + (bad ? " bad" : " good");
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf() },
      body: JSON.stringify(body || {})
    }).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) {
          var e = (data && data.error) || {};
          var err = new Error(en ? (e.message_en || e.message) : (e.message || e.message_en) || r.status);
          err.status = r.status;
          throw err;
        }
        return data;
      });
    });
  }

  function renderScenes(state) {
    var holder = document.getElementById("scenes");
    var names = state.scenes || [];
    var existing = Array.prototype.map.call(holder.querySelectorAll("button"), function (b) { return b.dataset.scene; });
    if (existing.join("\u0000") !== names.join("\u0000")) {
      holder.textContent = "";
      names.forEach(function (name) {
        var b = document.createElement("button");
        b.type = "button"; b.className = "scene"; b.dataset.action = "scene"; b.dataset.scene = name;
        b.textContent = name;
        holder.appendChild(b);
      });
    }
    Array.prototype.forEach.call(holder.querySelectorAll("button"), function (b) {
      var on = b.dataset.scene === state.program_scene;
      b.classList.toggle("on-air", on);
      b.classList.toggle("previewed", state.studio_mode && b.dataset.scene === state.preview_scene);
      b.setAttribute("aria-pressed", on ? "true" : "false");
      var role = roles[b.dataset.scene];
      b.title = role || "";
    });
  }

  function renderInputs(state) {
    var ul = document.getElementById("inputs");
    var names = (state.inputs || []).map(function (i) { return i.name; });
    var existing = Array.prototype.map.call(ul.querySelectorAll("li[data-input]"), function (li) { return li.dataset.input; });
    if (existing.join("\u0000") !== names.join("\u0000")) {
      ul.textContent = "";
      (state.inputs || []).forEach(function (i) {
        var li = document.createElement("li"); li.dataset.input = i.name;
        var n = document.createElement("span"); n.className = "name"; n.textContent = i.name;
        var m = document.createElement("meter"); m.min = -60; m.max = 0; m.low = -20; m.high = -9; m.optimum = -30;
        m.setAttribute("aria-label", say("音量 ", "Level ") + i.name);
        var b = document.createElement("button"); b.type = "button"; b.dataset.action = "mute"; b.dataset.input = i.name;
        li.appendChild(n); li.appendChild(m); li.appendChild(b); ul.appendChild(li);
      });
    }
    (state.inputs || []).forEach(function (i) {
      var li = ul.querySelector('li[data-input="' + CSS.escape(i.name) + '"]');
      if (!li) return;
      li.querySelector("meter").value = Math.max(i.level_db, -60);
      var b = li.querySelector("button");
      b.dataset.muted = i.muted ? "false" : "true";
      b.setAttribute("aria-pressed", i.muted ? "true" : "false");
      b.textContent = i.muted ? say("取消静音", "Unmute") : say("静音", "Mute");
      li.classList.toggle("muted-input", i.muted);
    });
  }

  function render(state) {
    // States come in order from the hub; a reconnecting stream may replay an older one.
    if (current && state.updated_at && current.updated_at && state.updated_at < current.updated_at) return;
    current = state;
    var conn = document.getElementById("conn");
    conn.dataset.connected = state.connected ? "yes" : "no";
    conn.textContent = connWords(words, state);
    text("obs-version", state.obs_version ? "OBS " + state.obs_version : "");
    box.classList.toggle("offline", !state.connected);
    text("program", state.program_scene || "—");
    text("preview", state.preview_scene || "—");
    document.getElementById("preview-line").hidden = !state.studio_mode;
    document.getElementById("studio-mode").checked = !!state.studio_mode;
    renderScenes(state);
    document.getElementById("stream-state").dataset.on = state.streaming.active ? "yes" : "no";
    text("stream-time", clock(state.streaming.duration_ms));
    text("stream-kbps", state.streaming.kbps || 0);
    text("stream-skipped", state.streaming.skipped_frames || 0);
    var rec = document.getElementById("record-state");
    rec.dataset.on = state.recording.active ? "yes" : "no";
    rec.dataset.paused = state.recording.paused ? "yes" : "no";
    text("record-time", clock(state.recording.duration_ms));
    document.getElementById("vcam-state").dataset.on = state.virtualcam.active ? "yes" : "no";
    var st = state.stats || {};
    text("stat-fps", st.fps != null ? st.fps : "—");
    text("stat-cpu", st.cpu != null ? st.cpu : "—");
    text("stat-render", st.render_skipped || 0);
    text("stat-output", st.output_skipped || 0);
    text("stat-disk", st.free_disk_mb != null ? st.free_disk_mb : "—");
    renderInputs(state);
  }

  if (window.EventSource) {
    follow(box.dataset.events, {
      state: render,
      hub: function (s) {
        if (current) { current.connected = false; current.error = s.error; render(current); }
      }
    }, function () {
      getJSON(box.dataset.state).then(render).catch(function () {});
    }, function () {
      var conn = document.getElementById("conn");
      conn.dataset.connected = "no";
      conn.textContent = say("与服务器的连接中断，正在重连", "Lost the server; reconnecting");
      box.classList.add("offline");
    });
  }

  box.addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-action]");
    if (!b) return;
    var body = { action: b.dataset.action };
    if (b.dataset.scene) body.scene = b.dataset.scene;
    if (b.dataset.action === "mute") { body.input = b.dataset.input; body.muted = b.dataset.muted === "true"; }
    if (b.dataset.confirmText) {
      if (!window.confirm(b.dataset.confirmText)) return;
      body.confirm = true;
    }
    b.disabled = true;
    post(box.dataset.actions, body).then(function () {
      show(say("已完成：", "Done: ") + b.textContent.trim(), false);
    }).catch(function (e) { show(e.message, true); }).then(function () { b.disabled = false; });
  });

  document.getElementById("studio-mode").addEventListener("change", function (ev) {
    post(box.dataset.actions, { action: "studio_mode", enabled: ev.target.checked })
      .catch(function (e) { show(e.message, true); ev.target.checked = !ev.target.checked; });
  });

  var sessions = document.getElementById("sessions");
  sessions.addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-session-url]");
    if (!b) return;
    if (b.dataset.confirmText && !window.confirm(b.dataset.confirmText)) return;
    b.disabled = true;
    show(say("正在执行，请稍候…", "Working…"), false);
    function run(body) {
      return post(b.dataset.sessionUrl, body).then(function (data) {
        if (data.warning) { show(en ? data.warning.message_en : data.warning.message, true); setTimeout(function () { location.reload(); }, 6000); }
        else location.reload();
      });
    }
    run({}).catch(function (e) {
      show(e.message, true);
      b.disabled = false;
      // End while OBS cannot be reached: the operator may still close the session.
      if (e.status === 503 && b.dataset.forceText && window.confirm(b.dataset.forceText)) {
        run({ force: true }).catch(function (e2) { show(e2.message, true); });
      }
    });
  });
})();
