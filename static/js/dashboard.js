// 驾驶舱: draws the charts from the JSON the page embeds (ECharts, served locally).
(function () {
  const data = JSON.parse(document.getElementById("dashboard-data").textContent);
  if (!window.echarts) return;
  const wall = document.querySelector(".dashboard.wall") !== null;
  const text = { color: wall ? "#e5e7eb" : "#1f2937", fontSize: wall ? 16 : 12 };
  const charts = [];
  function chart(id) {
    const el = document.getElementById(id);
    if (!el) return null;
    const c = echarts.init(el);
    charts.push(c);
    return c;
  }
  const trend = chart("chart-trend");
  if (trend) {
    trend.setOption({
      textStyle: text, tooltip: { trigger: "axis" }, legend: { textStyle: text },
      grid: { left: 50, right: 50, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.months.map((m) => m.month) },
      yAxis: [{ type: "value", name: "件" }, { type: "value", name: "%", min: 0, max: 100 }],
      series: [
        { name: "受理", type: "bar", data: data.months.map((m) => m.received), color: "#a61b1b" },
        { name: "调解成功率", type: "line", yAxisIndex: 1, data: data.months.map((m) => m.success_rate), color: "#166534" },
      ],
    });
  }
  const types = chart("chart-types");
  if (types) {
    types.setOption({
      textStyle: text, tooltip: {},
      title: data.by_type.length ? undefined : { text: "本期无数据", left: "center", top: "middle", textStyle: text },
      series: [{ type: "pie", radius: ["35%", "70%"], label: { color: text.color },
        data: data.by_type.map((t) => ({ name: t.name, value: t.count })) }],
    });
  }
  // "示例梅园居民区" -> "梅园": the square has room for a few characters.
  const short = (name) => name.replace(/^示例/, "").replace(/(居民区|居委会|村|街道|镇)$/, "").slice(0, 4);
  const mapEl = document.getElementById("chart-map");
  const map = chart("chart-map");
  const select = document.getElementById("measure");
  function drawMap() {
    if (!map) return;
    const measure = select ? select.value : "received";
    const values = data.by_child.map((c) => ({ name: c.name, value: c[measure] }));
    const max = Math.max(1, ...values.map((v) => v.value));
    const visualMap = { min: 0, max: max, calculable: true, inRange: { color: ["#fef3c7", "#f59e0b", "#a61b1b"] },
      textStyle: text, left: 0, bottom: 0 };
    if (data.map.geojson) {
      echarts.registerMap("fazhi-region", data.map.geojson);
      map.setOption({ tooltip: {}, visualMap: visualMap,
        series: [{ type: "map", map: "fazhi-region", nameProperty: data.map.name_property, roam: true,
          label: { show: true, fontSize: wall ? 14 : 10 }, data: values }] }, true);
      return;
    }
    // Schematic tile map: one square per child region, in code order, coloured by the measure.
    const cols = Math.max(1, Math.ceil(Math.sqrt(values.length * 1.6)));
    const cells = values.map((v, i) => [i % cols, Math.floor(i / cols), v.value, v.name]);
    const rows = Math.ceil(values.length / cols);
    map.setOption({
      tooltip: { formatter: (p) => p.data[3] + "：" + p.data[2] },
      grid: { left: 10, right: 10, top: 10, bottom: 60 },
      xAxis: { type: "category", data: [...Array(cols).keys()], show: false },
      yAxis: { type: "category", data: [...Array(rows).keys()], show: false, inverse: true },
      visualMap: Object.assign(visualMap, { orient: "horizontal", dimension: 2 }),
      series: [{ type: "heatmap", data: cells, itemStyle: { borderColor: "#fff", borderWidth: 2 },
        label: { show: true, fontSize: wall ? 12 : 9,
          formatter: (p) => short(p.data[3]) + "\n" + p.data[2] } }],
    }, true);
  }
  if (select) select.addEventListener("change", drawMap);
  drawMap();
  if (mapEl) mapEl.dataset.ready = "1";
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
// The wall screen refreshes itself (data-refresh seconds) and scrolls its long tables slowly, so nothing needs a hand.
(function () {
  const board = document.querySelector(".dashboard.wall[data-refresh]");
  if (!board) return;
  window.setTimeout(() => window.location.reload(), Number(board.dataset.refresh) * 1000);
  board.querySelectorAll(".scroller").forEach((box) => {
    let down = true;
    window.setInterval(() => {
      if (box.scrollHeight <= box.clientHeight) return;
      box.scrollTop += down ? 1 : -box.scrollHeight;
      if (box.scrollTop + box.clientHeight >= box.scrollHeight - 1) down = !down;
      if (box.scrollTop <= 0) down = true;
    }, 60);
  });
})();
// Rotation (data-rotate seconds): one panel at a time, full size, in turn; → / ← move on by hand. The panel
// shown follows the clock (not the page's age), so the reload every few minutes does not start it over.
(function () {
  const board = document.querySelector(".dashboard.wall[data-rotate]");
  if (!board) return;
  const panels = [...board.querySelectorAll(".dash-grid > .card")];
  if (!panels.length) return;
  const note = board.querySelector("[data-rotation-note]");
  const period = Number(board.dataset.rotate) * 1000;
  let offset = 0;
  let shown = -1;
  board.classList.add("rotating");
  const tick = () => {
    const at = (((Math.floor(Date.now() / period) + offset) % panels.length) + panels.length) % panels.length;
    if (at === shown) return;
    shown = at;
    panels.forEach((p, n) => p.classList.toggle("on", n === at));
    if (note) note.textContent = `第 ${at + 1} / ${panels.length} 屏 · ${panels[at].querySelector("h2")?.firstChild?.textContent?.trim() || ""}`;
    if (window.echarts) {
      panels[at].querySelectorAll(".chart").forEach((el) => {
        const chart = window.echarts.getInstanceByDom(el);
        if (chart) chart.resize();
      });
    }
  };
  tick();
  window.setInterval(tick, 1000);
  document.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    offset += event.key === "ArrowRight" ? 1 : -1;
    tick();
  });
})();
