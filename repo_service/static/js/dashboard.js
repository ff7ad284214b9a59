// Dashboard charts (ECharts) drawn from the same figures as the tables beside them.
(function () {
  var box = document.getElementById("charts");
  if (!box || !window.echarts) return;
  var data = JSON.parse(box.dataset.dashboard);
  var en = box.dataset.lang === "en";
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var c = echarts.init(el, null, { renderer: "svg" });
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
  }
  if (data.streets && data.streets.length) {
    chart("chart-streets", {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 10, bottom: 60 },
      xAxis: { type: "category", data: data.streets.map(function (s) { return s.street; }), axisLabel: { rotate: 45 } },
      yAxis: { type: "value", name: "%" },
      series: [
        { name: en ? "Participation" : "参与率", type: "bar", data: data.streets.map(function (s) { return s.participation_pct; }) },
        { name: en ? "Elderly" : "老年覆盖", type: "bar", data: data.streets.map(function (s) { return s.elderly_pct; }) },
        { name: en ? "Target" : "参与率目标", type: "line", symbol: "none", data: data.streets.map(function () { return data.targets.participation_pct; }) }
      ]
    });
  }
  if (data.top_courses.length) {
    var courses = data.top_courses.slice().reverse();
    chart("chart-courses", {
      tooltip: {},
      grid: { left: 120, right: 20 },
      xAxis: { type: "value", name: en ? "min" : "分钟" },
      yAxis: { type: "category", data: courses.map(function (c) { return c.title.length > 10 ? c.title.slice(0, 10) + "…" : c.title; }) },
      series: [{ type: "bar", data: courses.map(function (c) { return c.minutes; }) }]
    });
  }
})();
