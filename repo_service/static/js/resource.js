// The resource page: a textbook's pages by link, and live processing progress for its owner.
(function () {
  "use strict";
  const en = document.documentElement.lang === "en";
  const video = document.getElementById("player");
  // A link to one page of a textbook (#page-37) opens that page.
  function openPage() {
    const target = /^#page-\d+$/.test(location.hash) && document.querySelector(location.hash + " details");
    if (target) { target.open = true; target.scrollIntoView(); }
  }
  openPage();
  window.addEventListener("hashchange", openPage);
  // A chapter starts the video at its time.
  document.querySelectorAll("button[data-seek]").forEach(function (b) {
    b.addEventListener("click", function () {
      const at = Number(b.dataset.seek);
      const box = video && video.closest(".player");
      if (!video || !box) return;
      if (box.classList.contains("started")) video.currentTime = at;
      else box.dataset.resume = String(at);
      video.play().catch(function () { /* the native controls remain */ });
      video.scrollIntoView({ block: "nearest" });
    });
  });
  const box = document.getElementById("processing");
  if (!box) return;
  function render(data) {
    box.innerHTML = "";
    let active = false;
    for (const v of data.versions) {
      const h = document.createElement("h3");
      h.textContent = (en ? "Version " : "版本 ") + v.number + " · " + v.status_label;
      box.appendChild(h);
      if (v.error) {
        const p = document.createElement("p");
        p.className = "error-box";
        p.textContent = en ? v.error_en : v.error;
        box.appendChild(p);
      }
      for (const j of v.jobs) {
        const row = document.createElement("div");
        row.className = "job job-" + j.status;
        const label = document.createElement("span");
        label.textContent = `${j.step_label}：${j.status_label} ${Math.round(j.percent)}%`;
        const bar = document.createElement("progress");
        bar.max = 100;
        bar.value = j.percent;
        row.append(label, " ", bar);
        box.appendChild(row);
        if (j.status === "queued" || j.status === "running") active = true;
      }
    }
    return active || data.versions.some((v) => v.status === "uploaded" || v.status === "processing");
  }
  let sawWork = false;
  async function poll() {
    try {
      const res = await fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!res.ok) return;
      const data = await res.json();
      const again = render(data);
      if (again) {
        sawWork = true;
        setTimeout(poll, 2000);
      } else if (sawWork && !video && data.versions.some((v) => v.playable)) {
        location.reload(); // processing just finished here: show the player
      }
    } catch (e) {
      setTimeout(poll, 5000);
    }
  }
  poll();
})();
