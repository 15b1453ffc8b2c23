// Dashboards: charts and the district map, drawn with the ECharts that ducha serves itself.
// Every chart uses the SVG renderer (crisp in print). Data come from <script type="application/json">
// blocks rendered by the page; the only fetches are same-origin (the map's GeoJSON, the replay).
(function () {
  "use strict";
  if (!window.echarts) return;

  var STATUS = {
    achieved: ["#15803d", "✔"], on_track: ["#0f766e", "●"], needs_acceleration: ["#b45309", "▲"],
    limited_progress: ["#c2410c", "◆"], deterioration: ["#b91c1c", "✖"], no_data: ["#6b7280", "○"],
    stale: ["#475569", "◷"], achieved_late: ["#4d7c0f", "✔"], not_achieved: ["#991b1b", "✘"],
    awaiting_final: ["#64748b", "⧗"], not_achieved_no_data: ["#7f1d1d", "✘"]
  };
  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  // Text that ends up in HTML (ECharts' tooltips are HTML) goes through this and nothing else.
  // Axis labels, legends and titles are SVG text nodes and need no escaping.
  var esc = echarts.format.encodeHTML;
  var charts = [];
  window.duchaCharts = charts; // the browser tests look at what was drawn

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  // Printing: the SVG gets a viewBox matching its drawn size, so the print stylesheet can scale
  // it to the page width (a chart keeps its screen width otherwise and is cut at the right).
  function fitViewBox(el) {
    var svg = el.querySelector("svg");
    if (!svg) return;
    var w = svg.getAttribute("width"), h = svg.getAttribute("height");
    if (w && h) {
      svg.setAttribute("viewBox", "0 0 " + parseFloat(w) + " " + parseFloat(h));
      svg.setAttribute("preserveAspectRatio", "xMinYMin meet");
    }
  }
  function make(el) {
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.on("finished", function () { fitViewBox(el); });
    charts.push(chart);
    return chart;
  }
  function drop(el) {
    var chart = echarts.getInstanceByDom(el);
    if (!chart) return;
    charts.splice(charts.indexOf(chart), 1);
    chart.dispose();
  }
  function resizeAll() {
    charts.forEach(function (c) { c.resize(); fitViewBox(c.getDom()); });
  }
  window.addEventListener("resize", resizeAll);
  // While the print layout applies (matchMedia fires once it does), redraw the charts at the
  // width of the printed page; after printing, at the screen's again. beforeprint comes before
  // the print layout, so there the charts are only scaled by the print stylesheet.
  function fitPrint() {
    charts.forEach(function (c) {
      var el = c.getDom();
      c.resize({ width: el.clientWidth || c.getWidth(), height: c.getHeight() });
      fitViewBox(el);
    });
  }
  var printing = window.matchMedia ? window.matchMedia("print") : null;
  if (printing && printing.addEventListener) {
    printing.addEventListener("change", function (e) { if (e.matches) fitPrint(); else resizeAll(); });
  }
  window.addEventListener("afterprint", resizeAll);

  function fmt(v, digits) {
    if (v === null || v === undefined) return "–";
    var n = Number(v);
    if (Math.abs(n - Math.round(n)) < 1e-9) return Math.round(n).toLocaleString();
    return n.toLocaleString(undefined, { maximumFractionDigits: digits === undefined ? 2 : digits });
  }

  // Actual values against the required path, the target (and its upper bound), the forecast.
  function trajectory(el, d, L, compact) {
    var marks = [];
    if (d.target !== null) marks.push({ yAxis: d.target, label: { formatter: L.target + " " + fmt(d.target, d.digits), position: "insideEndTop" } });
    if (d.target_upper !== null && d.target_upper !== d.target) marks.push({ yAxis: d.target_upper, label: { formatter: fmt(d.target_upper, d.digits), position: "insideEndTop" } });
    marks.push({ xAxis: d.as_of, label: { formatter: L.as_of, position: "end" } });
    var chart = make(el);
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return fmt(v, d.digits) + " " + d.unit; } },
      legend: { top: 0, itemGap: 12 },
      grid: { left: 56, right: compact ? 16 : 36, top: 34, bottom: 28 },
      xAxis: { type: "time", max: function (v) { return Math.max(v.max, Date.parse(d.deadline)); } },
      yAxis: { type: "value", name: d.unit, scale: false, splitLine: { lineStyle: { color: "#e5e7eb" } } },
      series: [
        { name: L.actual, type: "line", data: d.actual, symbol: "circle", symbolSize: 6, lineStyle: { width: 3 }, color: "#1f2a37", z: 3,
          markLine: { symbol: "none", silent: true, data: marks, lineStyle: { color: "#a4161a", type: "solid" } } },
        { name: L.path, type: "line", data: d.path, showSymbol: false, lineStyle: { type: "dashed", width: 2 }, color: "#6b7280" },
        { name: L.forecast, type: "line", data: d.forecast, symbol: "triangle", symbolSize: 8, lineStyle: { type: "dotted", width: 2 }, color: "#b45309" }
      ]
    });
    return chart;
  }

  // How many indicators and milestones have each status: bars with the status named and
  // iconed on the axis and the count written on the bar, so colour is never the only cue.
  function spread(el, d) {
    var chart = make(el);
    var icons = d.statuses.map(function (s) { return STATUS[s][1] + " "; });
    function bars(values, opacity) {
      return values.map(function (v, i) {
        return { value: v, itemStyle: { color: STATUS[d.statuses[i]][0], opacity: opacity } };
      });
    }
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, data: [d.names.indicators, d.names.milestones] },
      grid: { left: 8, right: 24, top: 26, bottom: 4, containLabel: true },
      xAxis: { type: "value", minInterval: 1, splitLine: { show: false }, axisLabel: { show: false } },
      yAxis: { type: "category", inverse: true, data: d.labels.map(function (l, i) { return icons[i] + l; }), axisTick: { show: false } },
      series: [
        { name: d.names.indicators, type: "bar", stack: "n", data: bars(d.indicators, 1), color: "#1f2a37",
          label: { show: true, color: "#fff", formatter: function (p) { return p.value || ""; } } },
        { name: d.names.milestones, type: "bar", stack: "n", data: bars(d.milestones, 0.55), color: "#9ca3af",
          itemStyle: { decal: { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [2, 3], rotation: -0.8, color: "rgba(255,255,255,.6)" } },
          label: { show: true, color: "#111", formatter: function (p) { return p.value || ""; } } }
      ]
    });
    return chart;
  }

  // --- the cockpit, and its replay of the plan period ------------------------------------
  function drawCockpit() {
    var d = data("cockpit-data");
    if (!d) return;
    var focus = document.getElementById("focus-chart");
    if (focus && d.focus) trajectory(focus, d.focus, d.labels, true);
    var sp = document.getElementById("spread-chart");
    if (sp) spread(sp, d.spread);
  }

  function replay() {
    var box = document.querySelector(".replay");
    var body = document.getElementById("cockpit-body");
    if (!box || !body) return;
    var steps = box.dataset.steps.split(",");
    var range = box.querySelector(".replay-range");
    var button = box.querySelector(".replay-play");
    var dateInput = document.getElementById("as_of");
    var timer = null, pending = null;
    range.hidden = false;
    button.hidden = false;

    function show(i) {
      var day = steps[i];
      var url = box.dataset.fragmentUrl + "?fragment=1&as_of=" + encodeURIComponent(day);
      body.classList.add("loading");
      pending = day;
      return fetch(url, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (html) {
          if (pending !== day) return;
          ["focus-chart", "spread-chart"].forEach(function (id) {
            var el = document.getElementById(id);
            if (el) drop(el);
          });
          body.innerHTML = html;
          drawCockpit();
          range.value = i;
          if (dateInput) dateInput.value = day;
          history.replaceState(null, "", "?as_of=" + day);
        })
        .catch(function () { stop(); })
        .then(function () { body.classList.remove("loading"); });
    }
    function stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      button.setAttribute("aria-pressed", "false");
      button.textContent = "▶ " + button.dataset.play;
    }
    function tick(i) {
      show(i).then(function () {
        if (timer === null) return;
        if (i + 1 < steps.length) timer = setTimeout(function () { tick(i + 1); }, 1200);
        else stop();
      });
    }
    button.addEventListener("click", function () {
      if (timer) { stop(); return; }
      button.setAttribute("aria-pressed", "true");
      button.textContent = "❚❚ " + button.dataset.pause;
      var start = Number(range.value) + 1 < steps.length ? Number(range.value) + 1 : 0;
      timer = -1;
      tick(start);
    });
    var debounce = null;
    range.addEventListener("input", function () {
      stop();
      clearTimeout(debounce);
      debounce = setTimeout(function () { show(Number(range.value)); }, 150);
    });
  }

  // --- one indicator: trajectory, contributions stacked, small multiples ------------------
  var PALETTE = ["#1d4ed8", "#0f766e", "#b45309", "#7c3aed", "#be185d", "#15803d", "#0369a1", "#a16207",
    "#4338ca", "#047857", "#c2410c", "#6d28d9", "#9d174d", "#166534", "#1e40af", "#92400e", "#334155"];

  function drawIndicator() {
    var d = data("indicator-data");
    if (!d) return;
    var L = d.labels;
    var t = document.getElementById("trajectory-chart");
    if (t) trajectory(t, d.trajectory, L, false);
    var b = d.breakdown;
    // The parts of the plan-wide sum stacked, the plan-wide value as a line beside them: the
    // city's own figure is never stacked on the districts it is made of (see Breakdown.chart).
    var units = b.units.filter(function (u) { return u.parts.some(function (v) { return v !== null; }); });
    var stackEl = document.getElementById("stack-chart");
    if (stackEl && b.stack && units.length > 1) {
      var stack = make(stackEl);
      var series = units.map(function (u) {
        return { name: u.name, type: "bar", stack: "parts", data: u.parts, barMaxWidth: 36 };
      });
      series.push({ name: L.total, type: "line", data: b.total, color: "#111827", symbol: "diamond", symbolSize: 8,
        lineStyle: { width: 2 }, z: 5 });
      stack.setOption({
        animation: false,
        textStyle: { fontFamily: FONT },
        color: PALETTE,
        tooltip: { trigger: "axis", valueFormatter: function (v) { return fmt(v, b.digits) + " " + d.trajectory.unit; } },
        legend: { type: "scroll", top: 0 },
        grid: { left: 56, right: 20, top: 36, bottom: 28 },
        xAxis: { type: "category", data: b.periods },
        yAxis: { type: "value", name: d.trajectory.unit },
        series: series
      });
    }
    var multEl = document.getElementById("multiples-chart");
    // one small chart per unit of the table's page (the parts above may be more)
    var shown = { periods: b.periods, digits: b.digits,
      units: b.units.filter(function (u) { return u.multiple !== false; }) };
    if (multEl && shown.units.length > 1) drawMultiples(multEl, shown, d.trajectory.unit);
  }

  function drawMultiples(el, b, unit) {
    var cols = el.clientWidth < 520 ? 2 : el.clientWidth < 900 ? 3 : 4;
    var rows = Math.ceil(b.units.length / cols);
    var cell = 118;
    el.style.height = (rows * cell + 10) + "px";
    var grids = [], xs = [], ys = [], series = [], titles = [];
    b.units.forEach(function (u, i) {
      var col = i % cols, row = Math.floor(i / cols);
      var left = (col / cols * 100) + 2.5, width = 100 / cols - 5;
      grids.push({ left: left + "%", width: width + "%", top: row * cell + 26, height: cell - 48 });
      xs.push({ gridIndex: i, type: "category", data: b.periods, axisLabel: { show: false }, axisTick: { show: false } });
      ys.push({ gridIndex: i, type: "value", splitNumber: 2, axisLabel: { fontSize: 10 }, splitLine: { lineStyle: { color: "#eef1f5" } } });
      var last = null;
      u.values.forEach(function (v) { if (v !== null) last = v; });
      titles.push({ text: u.name + "  " + fmt(last, b.digits), left: left + "%", top: row * cell + 4, textStyle: { fontSize: 12, fontWeight: 600, fontFamily: FONT } });
      series.push({ type: "line", xAxisIndex: i, yAxisIndex: i, data: u.values, showSymbol: false, connectNulls: true,
        color: u.counts ? "#1d4ed8" : "#9ca3af", areaStyle: { opacity: 0.12 }, name: u.name });
    });
    make(el).setOption({
      animation: false, textStyle: { fontFamily: FONT }, title: titles, grid: grids, xAxis: xs, yAxis: ys, series: series,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return fmt(v, b.digits) + " " + unit; } }
    });
  }

  // --- the district map -------------------------------------------------------------------
  // The six central districts (市内六区) are a few kilometres across beside 滨海新区's hundred:
  // at the city's scale their names pile into one blob. They are drawn a second time, enlarged,
  // in an inset beside the city (below it on a portrait screen), and labelled only there.
  var CENTRAL = ["120101", "120102", "120103", "120104", "120105", "120106"];

  // Where the city and the inset go in a w × h chart, leaving a strip at the top for the
  // colour scale and the legend. ECharts fits a map into a square of side `size`; Tianjin is
  // about 0.62 as wide as it is tall, the centre about as wide as tall.
  function mapLayout(w, h) {
    var top = 44;
    if (w >= 1.15 * h) {
      var city = h - top, cityWidth = 0.62 * city;
      var left = w - cityWidth - 16;  // what the city leaves on its left
      var inset = Math.min(left - 16, h - top - 24);
      return {
        city: { center: [w - cityWidth / 2 - 8, top + city / 2], size: city },
        inset: { center: [left / 2, top + 24 + inset / 2], size: inset, titleTop: top }
      };
    }
    var citySide = Math.min(0.66 * (h - top), (w - 8) / 0.62);
    var insetSide = Math.min(h - top - citySide - 28, w - 16);
    return {
      city: { center: [w / 2, top + citySide / 2], size: citySide },
      inset: { center: [w / 2, top + citySide + 24 + insetSide / 2], size: insetSide, titleTop: top + citySide + 2 }
    };
  }

  function drawMap() {
    var d = data("map-data");
    var el = document.getElementById("district-map");
    if (!d || !el) return;
    fetch(d.geo_url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geo) {
        echarts.registerMap("tianjin", geo);
        echarts.registerMap("tianjin-central", {
          type: "FeatureCollection",
          features: geo.features.filter(function (f) { return CENTRAL.indexOf(f.properties.code) >= 0; })
        });
        var byCode = {};
        d.districts.forEach(function (x) { byCode[x.code] = x; });
        var values = d.districts.map(function (x) { return x.value; }).filter(function (v) { return v !== null; });
        var isShare = d.measure === "share_of_target", isRank = d.measure === "rank";
        function show(v) {
          if (v === null || v === undefined || isNaN(v)) return d.labels.no_value;
          if (isShare) return fmt(v * 100, 1) + "%";
          if (isRank) return "#" + v;
          return fmt(v) + " " + d.unit;
        }
        var chart = make(el);
        var regionData = d.districts.map(function (x) { return { name: x.code, value: x.value === null ? NaN : x.value }; });
        function labelOf(p) { var x = byCode[p.name]; return x ? x.label : p.name; }
        function geoAt(place, map, fontSize, regions) {
          return {
            map: map, nameProperty: "code", roam: false,
            layoutCenter: place.center, layoutSize: place.size, aspectScale: 0.85,
            itemStyle: { areaColor: "#f3f4f6", borderColor: "#4b5563", borderWidth: 0.8 },
            emphasis: { itemStyle: { areaColor: "#fde68a" }, label: { show: true } },
            label: { show: true, fontSize: fontSize, color: "#111827", textBorderColor: "#fff", textBorderWidth: 2, formatter: labelOf },
            select: { disabled: true },
            regions: regions || []
          };
        }
        // the centre's names are in the inset; its outline on the city is drawn heavier
        var quietCentre = CENTRAL.map(function (code) {
          return { name: code, label: { show: false }, itemStyle: { borderColor: "#111827", borderWidth: 1.2 } };
        });
        function layout() {
          var place = mapLayout(el.clientWidth, el.clientHeight);
          return {
            geo: [geoAt(place.city, "tianjin", 11, quietCentre), geoAt(place.inset, "tianjin-central", 13)],
            title: { text: d.labels.central, left: place.inset.center[0], top: place.inset.titleTop, textAlign: "center",
              textStyle: { fontSize: 13, fontWeight: "normal", color: "#4b5563" } }
          };
        }
        var built = layout();
        var option = {
          animation: false,
          textStyle: { fontFamily: FONT },
          tooltip: {
            trigger: "item",
            // The tooltip is HTML: every name, designation and label is escaped, for they are
            // typed by people (a park's short name in the admin, an org unit's name).
            formatter: function (p) {
              if (p.seriesType === "scatter") {
                return esc(p.name) + "<br>" + esc(d.labels.industries + "：" + p.data.industries.join("、"));
              }
              var x = byCode[p.name];
              return esc(x ? x.name : p.name) + (x ? "<br>" + esc(show(x.value) + (x.period ? "（" + x.period + "）" : "")) : "");
            }
          },
          geo: built.geo,
          title: built.title,
          series: [
            { type: "map", geoIndex: 0, name: "districts", nameProperty: "code", data: regionData },
            { type: "scatter", coordinateSystem: "geo", geoIndex: 0, name: d.labels.parks, symbol: "diamond", symbolSize: 11,
              itemStyle: { color: "#a4161a", borderColor: "#fff", borderWidth: 1 }, z: 5,
              data: d.parks },
            { type: "map", geoIndex: 1, name: "central", nameProperty: "code",
              data: regionData.filter(function (r) { return CENTRAL.indexOf(r.name) >= 0; }) }
          ],
          legend: { top: 0, right: 0, data: [d.labels.parks] }
        };
        if (values.length) {
          option.visualMap = {
            type: "continuous", seriesIndex: [0, 2], min: Math.min.apply(null, values), max: Math.max.apply(null, values),
            inverse: isRank, calculable: false, orient: "horizontal", left: 0, top: 0, itemWidth: 12, itemHeight: 110,
            text: [show(isRank ? Math.min.apply(null, values) : Math.max.apply(null, values)), show(isRank ? Math.max.apply(null, values) : Math.min.apply(null, values))],
            inRange: { color: ["#dbeafe", "#60a5fa", "#1d4ed8", "#1e3a8a"] }
          };
          if (values.length === 1) option.visualMap.min = 0;
        }
        chart.setOption(option);
        // after resizeAll has resized the chart, the maps are placed again for its new shape
        window.addEventListener("resize", function () { chart.setOption(layout()); });
        // Only ducha's own pages are followed (a path on this site, never a javascript: URL).
        function follow(url) {
          if (typeof url === "string" && /^\/(?!\/)/.test(url)) window.location.href = url;
        }
        chart.on("click", function (p) {
          if (p.seriesType === "scatter") { follow(p.data.url); return; }
          var x = byCode[p.name];
          if (x) follow(x.url);
        });
        var drawn = 0;
        try { drawn = chart.getModel().getComponent("geo", 0).coordinateSystem.regions.length; } catch (e) { drawn = 0; }
        el.dataset.regions = String(drawn);
        el.dataset.ready = "1";
      });
  }

  drawCockpit();
  replay();
  drawIndicator();
  drawMap();
})();
