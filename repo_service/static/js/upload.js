// Resumable upload in parts: each part is PUT on its own (three at a time) — straight to the
// object store with a presigned URL the service issues (mode "direct"), or to the service
// (mode "proxied", for stores browsers cannot reach). The store keeps which parts arrived, so
// picking the same file again after a reload or a network break continues where it stopped.
(function () {
  "use strict";
  const queueBox = document.getElementById("queue");
  // The details form is read when files are chosen; Enter in a field sends nothing.
  const metaForm = document.getElementById("meta");
  if (metaForm) metaForm.addEventListener("submit", (event) => event.preventDefault());
  const cfg = {
    resourceId: queueBox.dataset.resource ? Number(queueBox.dataset.resource) : null,
    lang: document.documentElement.lang === "en" ? "en" : "zh",
    detailUrl: queueBox.dataset.detailUrl,
  };
  const en = cfg.lang === "en";
  const T = (zh, english) => (en ? english : zh);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const PARALLEL = 3;
  const SIGN_BATCH = 6; // part URLs asked for at once, used within minutes
  const queue = document.getElementById("queue");

  function fmtBytes(n) {
    const units = ["B", "KB", "MB", "GB"];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return n.toFixed(i ? 1 : 0) + " " + units[i];
  }
  function fmtTime(s) {
    if (!isFinite(s)) return "—";
    s = Math.round(s);
    const m = Math.floor(s / 60);
    return m ? `${m}:${String(s % 60).padStart(2, "0")}` : `${s} s`;
  }
  function errorText(body, status) {
    if (body && body.error) return en ? body.error.message_en : `${body.error.message}（${body.error.message_en}）`;
    return T(`请求失败（${status}）`, `Request failed (${status})`);
  }
  async function api(method, url, body) {
    const res = await fetch(url, {
      method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, Accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = null;
    try { data = await res.json(); } catch (e) { /* empty body */ }
    if (!res.ok) { const err = new Error(errorText(data, res.status)); err.status = res.status; err.body = data; throw err; }
    return data;
  }
  async function sha256Hex(blob) {
    if (!(window.crypto && crypto.subtle)) return null;
    const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
    return Array.from(new Uint8Array(digest)).map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  class Item {
    constructor(file) {
      this.file = file;
      this.paused = false;
      this.inflight = new Map();
      this.loaded = new Map();
      this.urls = new Map();
      this.doneBytes = 0;
      this.samples = [];
      this.el = document.createElement("div");
      this.el.className = "upload-item";
      this.el.innerHTML = `<div><strong class="name"></strong> <span class="muted size"></span></div>
        <progress max="100" value="0"></progress>
        <div class="line"><span class="stats"></span> <span class="state"></span></div>
        <div><button type="button" class="pause">${T("暂停", "Pause")}</button>
        <button type="button" class="retry" hidden>${T("重试", "Retry")}</button>
        <button type="button" class="abort link">${T("取消", "Cancel")}</button></div>
        <p class="error" role="alert" hidden></p>`;
      this.el.querySelector(".name").textContent = file.name;
      this.el.querySelector(".size").textContent = fmtBytes(file.size);
      this.bar = this.el.querySelector("progress");
      this.el.querySelector(".pause").onclick = () => (this.paused ? this.resume() : this.pause());
      this.el.querySelector(".abort").onclick = () => this.abort();
      this.el.querySelector(".retry").onclick = () => this.retry();
      queue.appendChild(this.el);
    }
    get storeKey() {
      return `zx-upload:${cfg.resourceId || "new"}:${this.file.name}:${this.file.size}:${this.file.lastModified}`;
    }
    state(text) { this.el.querySelector(".state").textContent = text; }
    fail(message, retriable = true) {
      const p = this.el.querySelector(".error");
      p.textContent = message;
      p.hidden = false;
      this.el.querySelector(".retry").hidden = !retriable;
      this.el.querySelector(".pause").hidden = true;
      this.state(T("失败", "Failed"));
    }
    clearError() {
      this.el.querySelector(".error").hidden = true;
      this.el.querySelector(".retry").hidden = true;
      this.el.querySelector(".pause").hidden = false;
    }
    progress() {
      let bytes = this.doneBytes;
      for (const v of this.loaded.values()) bytes += v;
      const now = performance.now();
      this.samples.push([now, bytes]);
      while (this.samples.length > 2 && now - this.samples[0][0] > 5000) this.samples.shift();
      const [t0, b0] = this.samples[0];
      const speed = now > t0 ? ((bytes - b0) * 1000) / (now - t0) : 0;
      this.bar.value = this.file.size ? (100 * bytes) / this.file.size : 100;
      this.el.querySelector(".stats").textContent =
        `${fmtBytes(bytes)} / ${fmtBytes(this.file.size)} · ${fmtBytes(speed)}/s · ` +
        `${T("剩余", "left")} ${fmtTime(speed ? (this.file.size - bytes) / speed : Infinity)}`;
    }
    async start() {
      try {
        let resourceId = this.resourceId || cfg.resourceId;
        const saved = JSON.parse(localStorage.getItem(this.storeKey) || "null");
        if (saved) {
          try {
            this.upload = (await api("GET", `/api/v1/uploads/${saved.uploadId}`)).upload;
            if (this.upload.status !== "open") this.upload = null;
          } catch (e) { this.upload = null; }
        }
        if (!this.upload) {
          if (!resourceId) {
            const meta = Object.fromEntries(new FormData(document.getElementById("meta")));
            const title = this.file.name.replace(/\.[^.]+$/, "").slice(0, 200) || this.file.name;
            resourceId = (await api("POST", "/api/v1/resources", { ...meta, title })).resource.id;
          }
          this.resourceId = resourceId;
          this.upload = (await api("POST", "/api/v1/uploads", {
            resource_id: resourceId, name: this.file.name, size: this.file.size,
          })).upload;
          localStorage.setItem(this.storeKey, JSON.stringify({ uploadId: this.upload.id }));
        } else {
          this.state(T("继续上次的上传", "Resuming the earlier upload"));
        }
        this.pending = this.upload.missing.slice();
        this.doneBytes = this.upload.bytes_received;
        this.progress();
        await this.pump();
      } catch (e) {
        this.fail(e.message);
      }
    }
    async retry() {
      this.clearError();
      this.failed = false;
      if (!this.upload) return this.start();
      this.resume();
    }
    async pump() {
      this.state(T("上传中", "Uploading"));
      const workers = [];
      for (let i = 0; i < PARALLEL; i++) workers.push(this.worker());
      await Promise.all(workers);
      if (this.paused || this.failed) return;
      if (this.pending.length === 0 && this.inflight.size === 0) await this.complete();
    }
    async worker() {
      while (!this.paused && !this.failed && this.pending.length) {
        const index = this.pending.shift();
        let delay = 1000;
        for (;;) {
          try {
            await this.sendChunk(index);
            break;
          } catch (e) {
            if (this.paused) { this.pending.unshift(index); return; }
            if (e.status && e.status < 500 && e.status !== 429) {
              this.failed = true;
              if (e.status === 410) localStorage.removeItem(this.storeKey);
              this.fail(e.message, e.status !== 410 && e.status !== 403);
              return;
            }
            this.state(T("网络中断，正在重试…", "Connection lost, retrying…"));
            await new Promise((r) => setTimeout(r, delay));
            delay = Math.min(delay * 2, 15000);
          }
        }
      }
    }
    async partUrl(index) {
      const cached = this.urls.get(index);
      if (cached && cached.until > Date.now()) return cached.url;
      // Ask for this part and the next few waiting ones in one request.
      const numbers = [index, ...this.pending.slice(0, SIGN_BATCH - 1)].map((i) => i + 1);
      const signed = await api("POST", `/api/v1/uploads/${this.upload.id}/parts`, { parts: numbers });
      const until = Date.now() + (signed.expires_in - 60) * 1000;
      for (const part of signed.parts) this.urls.set(part.number - 1, { url: part.url, until });
      return this.urls.get(index).url;
    }
    async sendChunk(index) {
      const size = this.upload.chunk_size;
      const blob = this.file.slice(index * size, Math.min(this.file.size, (index + 1) * size));
      const direct = this.upload.mode === "direct";
      const url = direct ? await this.partUrl(index) : `/api/v1/uploads/${this.upload.id}/chunks/${index}`;
      const digest = direct ? null : await sha256Hex(blob);
      await new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        this.inflight.set(index, xhr);
        xhr.open("PUT", url);
        if (!direct) {
          xhr.setRequestHeader("X-CSRF-Token", csrf);
          xhr.setRequestHeader("Content-Type", "application/octet-stream");
          xhr.setRequestHeader("Accept", "application/json");
          if (digest) xhr.setRequestHeader("X-Chunk-SHA256", digest);
        }
        xhr.upload.onprogress = (ev) => { this.loaded.set(index, ev.loaded); this.progress(); };
        xhr.onload = () => {
          this.inflight.delete(index);
          this.loaded.delete(index);
          if (xhr.status >= 200 && xhr.status < 300) { this.doneBytes += blob.size; this.urls.delete(index); this.progress(); resolve(); return; }
          let body = null;
          try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
          let err;
          if (direct) {
            // The store answers in XML; an expired or refused URL gets a fresh one on retry.
            this.urls.delete(index);
            err = new Error(T(`对象存储拒绝了第 ${index + 1} 片（${xhr.status}），正在重试`, `The store refused part ${index + 1} (${xhr.status}); retrying`));
            err.status = 503;
          } else {
            err = new Error(errorText(body, xhr.status));
            err.status = xhr.status;
          }
          reject(err);
        };
        xhr.onerror = xhr.onabort = () => {
          this.inflight.delete(index);
          this.loaded.delete(index);
          this.progress();
          reject(new Error("network"));
        };
        xhr.send(blob);
      });
    }
    async complete() {
      this.state(T("正在校验文件…", "Checking the file…"));
      try {
        const done = await api("POST", `/api/v1/uploads/${this.upload.id}/complete`);
        localStorage.removeItem(this.storeKey);
        this.bar.value = 100;
        this.state(T("完成", "Done"));
        const link = document.createElement("a");
        link.href = cfg.detailUrl + done.resource_id;
        link.textContent = T("查看资源", "Open the resource");
        this.el.querySelector(".line").append(" ", link);
        this.el.querySelector(".pause").hidden = true;
        this.el.querySelector(".abort").hidden = true;
        this.el.dataset.done = "1";
      } catch (e) {
        if (e.status === 409 && e.body && e.body.error && e.body.error.missing) {
          this.pending = e.body.error.missing.slice();
          return this.pump();
        }
        const final = e.status === 422 || e.status === 415 || e.status === 410;
        if (final) { localStorage.removeItem(this.storeKey); this.upload = null; }
        this.fail(e.message, !final || e.status === 422);
      }
    }
    pause() {
      this.paused = true;
      for (const xhr of this.inflight.values()) xhr.abort();
      this.el.querySelector(".pause").textContent = T("继续", "Resume");
      this.state(T("已暂停", "Paused"));
    }
    resume() {
      this.paused = false;
      this.failed = false;
      this.el.querySelector(".pause").textContent = T("暂停", "Pause");
      api("GET", `/api/v1/uploads/${this.upload.id}`).then((s) => {
        this.upload = s.upload;
        this.pending = s.upload.missing.slice();
        this.doneBytes = s.upload.bytes_received;
        return this.pump();
      }).catch((e) => this.fail(e.message));
    }
    async abort() {
      this.pause();
      if (this.upload) { try { await api("DELETE", `/api/v1/uploads/${this.upload.id}`); } catch (e) { /* gone */ } }
      localStorage.removeItem(this.storeKey);
      this.el.remove();
    }
  }

  function add(files) { for (const f of files) new Item(f).start(); }
  document.getElementById("files").addEventListener("change", (ev) => { add(ev.target.files); ev.target.value = ""; });
  const zone = document.getElementById("dropzone");
  zone.addEventListener("dragover", (ev) => { ev.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (ev) => { ev.preventDefault(); zone.classList.remove("over"); add(ev.dataTransfer.files); });
})();
