// Actual values against the required path, the target and the forecast (ECharts, served locally).
(function () {
  var el = document.getElementById("chart");
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  if (!el || !window.echarts) return;
  var L = data.labels;
  var series = [
    { name: L.actual, type: "line", data: data.actual, symbolSize: 7, lineStyle: { width: 3 }, z: 3 },
    { name: L.path, type: "line", data: data.path, showSymbol: false, lineStyle: { type: "dashed", width: 2 }, color: "#6b7280" },
    { name: L.forecast, type: "line", data: data.forecast, showSymbol: true, symbol: "triangle", lineStyle: { type: "dotted", width: 2 }, color: "#b45309" }
  ];
  // Numbers as the tables print them: the unit's precision (counts whole, 亿元 one decimal).
  function fmt(v) {
    if (v === null || v === undefined) return "–";
    return Number(v).toLocaleString(undefined, { maximumFractionDigits: data.digits });
  }
  var marks = [];
  if (data.target !== null) marks.push({ yAxis: data.target, name: L.target, label: { formatter: L.target + " " + fmt(data.target) } });
  if (data.target_upper !== null && data.target_upper !== data.target) marks.push({ yAxis: data.target_upper, label: { formatter: fmt(data.target_upper) } });
  series[0].markLine = { symbol: "none", data: marks.concat([{ xAxis: data.as_of, name: L.as_of, label: { formatter: L.as_of } }]), lineStyle: { color: "#a4161a" } };
  var chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis", valueFormatter: function (v) { return fmt(v) + " " + data.unit; } },
    legend: { top: 0 },
    grid: { left: 60, right: 110, top: 40, bottom: 40 },
    xAxis: { type: "time" },
    yAxis: { type: "value", name: data.unit, scale: true },
    series: series
  });
  // Printing: a viewBox lets the print stylesheet scale the SVG to the page; while the print
  // layout applies the chart is redrawn at the page's width, and at the screen's after.
  function fitViewBox() {
    var svg = el.querySelector("svg");
    if (!svg || !svg.getAttribute("width")) return;
    svg.setAttribute("viewBox", "0 0 " + parseFloat(svg.getAttribute("width")) + " " + parseFloat(svg.getAttribute("height")));
    svg.setAttribute("preserveAspectRatio", "xMinYMin meet");
  }
  chart.on("finished", fitViewBox);
  fitViewBox();
  window.addEventListener("resize", function () { chart.resize(); });
  var printing = window.matchMedia ? window.matchMedia("print") : null;
  if (printing && printing.addEventListener) {
    printing.addEventListener("change", function (e) {
      chart.resize(e.matches ? { width: el.clientWidth || chart.getWidth(), height: chart.getHeight() } : undefined);
    });
  }
  window.addEventListener("afterprint", function () { chart.resize(); });
})();
