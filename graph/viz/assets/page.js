(function () {
  "use strict";
  // vis-network is inlined in a standalone page; in a notebook the page takes the one the
  // notebook page loaded once (mechgraph.viz.notebook)
  var vis = window.vis;
  if (!vis) {
    try { vis = window.parent !== window ? window.parent.vis : undefined; } catch (err) { vis = undefined; }
  }
  if (!vis) {
    document.getElementById("mg-status").textContent =
      "vis-network is not loaded in this notebook: run mechgraph.viz.init_notebook() and show the picture again";
    return;
  }
  var DATA = JSON.parse(document.getElementById("mg-data").textContent);
  var S = DATA.style;
  var t0 = performance.now();

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function hexA(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + ((n >> 16) & 255) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + a + ")";
  }
  function kindStyle(k) { return S.kinds[k] || S["default"]; }
  function levelText(l) {
    if (!l) return "";
    var s = S.levels[l];
    return l.replace(/_/g, " ") + (s ? " (" + s + "/5)" : "");
  }
  function doiLink(doi) {
    var a = el("a", null, "doi:" + doi);
    a.href = "https://doi.org/" + doi.split("/").map(encodeURIComponent).join("/");
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function row(label, value) {
    var r = el("div", "mg-row");
    r.appendChild(el("b", null, label));
    if (value instanceof Node) r.appendChild(value); else r.appendChild(document.createTextNode(String(value)));
    return r;
  }

  // ---- data overlay (viz --data): nodes coloured by expression, ligand-receptor edges widened by activity ----
  var OV = DATA.overlay || null;
  function ovColour(v) {  // 0 -> pale yellow, 1 -> dark red
    var a = [255, 245, 200], b = [165, 15, 21], t = Math.max(0, Math.min(1, v));
    function c(i) { return Math.round(a[i] + (b[i] - a[i]) * t); }
    return "rgb(" + c(0) + "," + c(1) + "," + c(2) + ")";
  }
  if (OV) {
    var lg = document.getElementById("mg-legend");
    var box = el("div", "mg-row");
    box.appendChild(el("b", null, "data: " + OV.data));
    var bar = el("div");
    bar.style.height = "10px"; bar.style.margin = "3px 0";
    bar.style.background = "linear-gradient(to right, " + ovColour(0) + ", " + ovColour(1) + ")";
    box.appendChild(bar);
    box.appendChild(el("div", "mg-muted", "node fill: expression (0 to 1); grey: not measured; " +
                       "thick edges: ligand-receptor activity (" + OV.method + ")"));
    if (lg) lg.appendChild(box);
  }

  var nodeById = {}, edgeById = {};
  DATA.nodes.forEach(function (n) { nodeById[n.id] = n; });
  DATA.edges.forEach(function (e) { edgeById[e.id] = e; });

  function nodeInfo(n, full) {
    var box = el("div");
    box.appendChild(el("div", "mg-h", n.name));
    var st = kindStyle(n.kind);
    var k = el("span", "mg-kind", n.kind === "mirna" ? "miRNA" : (n.kind || "?").replace(/_/g, " "));
    k.style.background = st.color;
    box.appendChild(k);
    if (n.name_zh) box.appendChild(row("Chinese", n.name_zh));
    if (n.synonyms) box.appendChild(row("synonyms", n.synonyms.join("; ")));
    if (n.xrefs) box.appendChild(row("xrefs", n.xrefs.join(", ")));
    if (n.description) box.appendChild(el("div", "mg-row", n.description));
    if (OV) box.appendChild(row("data", n.ovl ? n.ovl : "not measured"));
    if (full) {
      box.appendChild(row("id", n.id));
      if (n.axes) box.appendChild(row("axes", n.axes.join(", ")));
      box.appendChild(row("links", n.deg));
    } else {
      box.appendChild(el("div", "mg-muted", "click for details"));
    }
    return box;
  }
  function edgeInfo(e, full) {
    var box = el("div");
    var a = nodeById[e.from], b = nodeById[e.to];
    var head = (a ? a.name : e.from) + "  \u2014" + e.relation + "\u2192  " + (b ? b.name : e.to);
    box.appendChild(el("div", "mg-h", head));
    box.appendChild(row("relation", e.relation + "  (sign " + e.sign + ")"));
    if (e.direction) box.appendChild(row("direction", e.direction));
    if (e.level) box.appendChild(row("evidence", levelText(e.level)));
    if (e.supports) {
      var how = e.supports.map(function (k) { return k.replace(/_/g, " ") + " (" + (S.supports[k] || k) + ")"; });
      box.appendChild(row("how it is known", how.join("; ")));
      if (e.unstated) box.appendChild(el("div", "mg-note", "drawn dotted: the review itself does not state this step"));
    }
    if (e.context) box.appendChild(row("context", e.context));
    if (e.ovl) box.appendChild(row("data", e.ovl));
    var evs = e.evidence || [];
    var shown = full ? evs : evs.slice(0, 3);
    shown.forEach(function (ev) {
      var d = el("div", "mg-ev");
      var meta = el("div", "mg-meta");
      var bits = [];
      if (ev.ref) bits.push("ref " + ev.ref);
      if (ev.species) bits.push(ev.species.replace(/_/g, " "));
      if (ev.level) bits.push(levelText(ev.level));
      if (ev.support) bits.push(ev.support.replace(/_/g, " "));
      if (ev.locator) bits.push(ev.locator);
      meta.textContent = bits.join(" \u00b7 ");
      d.appendChild(meta);
      if (ev.doi) { var p = el("div", "mg-meta"); p.appendChild(doiLink(ev.doi)); d.appendChild(p); }
      if (ev.summary) d.appendChild(el("div", null, ev.summary));
      if (full && ev.model) d.appendChild(el("div", "mg-muted", "model: " + ev.model));
      if (full && ev.figures) d.appendChild(el("div", "mg-muted", "figures: " + ev.figures.join(", ")));
      box.appendChild(d);
    });
    if (!full) {
      var more = evs.length > shown.length ? (evs.length - shown.length) + " more; " : "";
      box.appendChild(el("div", "mg-muted", more + "click for details and links"));
    }
    return box;
  }

  // ---- vis data: positions, wrapped labels and sizes all come from Python ----
  var dim = DATA.dim;
  var physics = DATA.physics;
  var FONT = S.fontPx || 14, EDGE_FONT = S.edgeFontPx || 12;
  var FACE = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', sans-serif";
  var visNodes = DATA.nodes.map(function (n) {
    var st = kindStyle(n.kind);
    var faded = dim && !n.hl;
    var bg = faded ? hexA(st.color, 0.35) : st.color;
    if (OV) bg = n.ov !== undefined ? ovColour(n.ov) : "#d9d9d9";
    var ring = n.hl || n.centre;
    var v = {
      id: n.id, label: n.label, shape: st.shape, size: n.size, x: n.x, y: n.y,
      color: { background: bg, border: ring ? "#222222" : (OV ? st.color : bg),
               highlight: { background: st.color, border: "#222" }, hover: { background: st.color, border: "#444" } },
      borderWidth: ring ? 3 : (OV ? 3 : 1),
      font: { color: faded ? "#7a7a7a" : "#1d1d1d", size: FONT, face: FACE, strokeWidth: 3, strokeColor: "#ffffff",
              multi: false }
    };
    if (!physics) v.fixed = { x: true, y: true };
    return v;
  });
  var visEdges = DATA.edges.map(function (e) {
    var c = S.signs[e.sign] || S.signs["0"];
    var strength = S.levels[e.level] || 1;
    var faded = dim && !e.hl;
    var alpha = e.hl ? 1 : faded ? 0.22 : e.unstated ? 0.5 : 0.85;
    var col = alpha < 1 ? hexA(c, alpha) : c;
    var v = {
      id: e.id, from: e.from, to: e.to,
      color: { color: col, highlight: c, hover: c, inherit: false },
      width: e.hl ? 4.5 : (OV && e.ov !== undefined ? 1.5 + 8 * e.ov : 0.6 + 0.45 * strength),
      dashes: e.unstated ? [1.5, 3.5] : e.dashed ? [6, 4] : false,
      arrows: { to: { enabled: true, type: e.sign === "-" ? "bar" : "arrow",
                      scaleFactor: e.sign === "-" ? (e.hl ? 0.7 : 0.8) : (e.hl ? 0.8 : 0.6) } }
    };
    if (e.curve) v.smooth = { enabled: true, type: e.ccw ? "curvedCCW" : "curvedCW", roundness: e.curve };
    return v;
  });

  var P = DATA.physicsOptions;
  var visById = {};
  visNodes.forEach(function (v) { visById[v.id] = v; });
  var options = {
    autoResize: true,
    layout: { randomSeed: 7, improvedLayout: false },
    nodes: { font: { size: FONT, face: FACE, strokeWidth: 3, strokeColor: "#ffffff" },
             scaling: { label: { drawThreshold: 4, maxVisible: 40 } } },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 0.8 },
    interaction: { hover: true, tooltipDelay: 100000, hideEdgesOnDrag: DATA.large, hideEdgesOnZoom: DATA.large,
                   navigationButtons: false, keyboard: false, multiselect: false },
    physics: physics ? P : { enabled: false }
  };

  var container = document.getElementById("mg-network");
  var data = { nodes: new vis.DataSet(visNodes), edges: new vis.DataSet(visEdges) };
  var network = new vis.Network(container, data, options);
  window.mechgraphNetwork = network;

  // group frames under the nodes, highlighted steps' relation labels above the edges
  network.on("beforeDrawing", function (ctx) {
    (DATA.frames || []).forEach(function (f) {
      ctx.save();
      ctx.fillStyle = "rgba(120,130,150,0.07)";
      ctx.strokeStyle = "rgba(120,130,150,0.35)";
      ctx.lineWidth = 1;
      ctx.beginPath();
      if (ctx.roundRect) ctx.roundRect(f.x, f.y, f.w, f.h, 10); else ctx.rect(f.x, f.y, f.w, f.h);
      ctx.fill();
      ctx.stroke();
      ctx.fillStyle = "#4a5568";
      ctx.font = "600 13px " + FACE;
      ctx.textBaseline = "top";
      f.title.split("\n").forEach(function (line, i) { ctx.fillText(line, f.x + 10, f.y + 7 + 16 * i); });
      ctx.restore();
    });
  });
  var stepLabels = DATA.edges.filter(function (e) { return e.label && e.label_at; });
  network.on("afterDrawing", function (ctx) {
    stepLabels.forEach(function (e) {
      ctx.save();
      ctx.font = "600 " + EDGE_FONT + "px " + FACE;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.lineWidth = 4;
      ctx.strokeStyle = "#ffffff";
      ctx.strokeText(e.label, e.label_at[0], e.label_at[1]);
      ctx.fillStyle = e.sign === "+" ? "#1f6f35" : e.sign === "-" ? "#b01e1e" : "#555b61";
      ctx.fillText(e.label, e.label_at[0], e.label_at[1]);
      ctx.restore();
    });
  });

  var status = document.getElementById("mg-status");
  var settled = !physics;
  function markReady() {
    if (document.body.getAttribute("data-ready")) return;
    status.hidden = true;
    var ms = Math.round(performance.now());
    window.__mechgraph = { ready: true, drawnAt: ms, renderMs: Math.round(performance.now() - t0),
                           nodes: DATA.nodes.length, edges: DATA.edges.length };
    document.body.setAttribute("data-ready", "1");
  }
  // the drawing's extent in canvas units: node boxes (symbol and label), group frames, step labels
  function extent() {
    var pos = network.getPositions(), x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    DATA.nodes.forEach(function (n) {
      var p = pos[n.id]; if (!p) return;
      var half = n.box ? n.box[0] / 2 : 25, below = n.box ? n.box[1] : 25;
      x0 = Math.min(x0, p.x - half); x1 = Math.max(x1, p.x + half);
      y0 = Math.min(y0, p.y - n.size); y1 = Math.max(y1, p.y + below);
    });
    (DATA.frames || []).forEach(function (f) {
      x0 = Math.min(x0, f.x); x1 = Math.max(x1, f.x + f.w); y0 = Math.min(y0, f.y); y1 = Math.max(y1, f.y + f.h);
    });
    return { x0: x0, x1: x1, y0: y0, y1: y1 };
  }
  // fit the drawing into the part of the window the overlays (title, search, legend) leave free
  function fitView(animate) {
    var W = container.clientWidth, H = container.clientHeight, pad = 16;
    var left = 0;
    if (W >= 900) {
      var top = document.getElementById("mg-top"), legend = document.getElementById("mg-legend");
      left = Math.max(top.offsetWidth, legend.offsetWidth) + 16;
    }
    var b = extent();
    if (!isFinite(b.x0)) return;
    var s = Math.min((W - left - 2 * pad) / Math.max(1, b.x1 - b.x0), (H - 2 * pad) / Math.max(1, b.y1 - b.y0), 1.25);
    network.moveTo({ position: { x: (b.x0 + b.x1) / 2 - left / 2 / s, y: (b.y0 + b.y1) / 2 }, scale: s,
                     animation: animate ? { duration: 300 } : false });
  }
  window.mechgraphFit = fitView;
  // the drawn labels, in window pixels: node labels as vis-network laid them out, step labels
  // as drawn above; tests measure these for overlap
  window.mechgraphLabelBoxes = function () {
    var out = [];
    DATA.nodes.forEach(function (n) {
      var body = network.body.nodes[n.id];
      if (!body || !body.labelModule || !body.labelModule.size) return;
      var sz = body.labelModule.size;
      if (!sz.width) return;
      var a = network.canvasToDOM({ x: sz.left, y: sz.top }), b = network.canvasToDOM({ x: sz.left + sz.width, y: sz.top + sz.height });
      out.push({ kind: "node", id: n.id, text: n.label, x0: a.x, y0: a.y, x1: b.x, y1: b.y });
    });
    var probe = document.createElement("canvas").getContext("2d");
    probe.font = "600 " + EDGE_FONT + "px " + FACE;
    stepLabels.forEach(function (e) {
      var w = probe.measureText(e.label).width, h = EDGE_FONT;
      var a = network.canvasToDOM({ x: e.label_at[0] - w / 2, y: e.label_at[1] - h / 2 });
      var b = network.canvasToDOM({ x: e.label_at[0] + w / 2, y: e.label_at[1] + h / 2 });
      out.push({ kind: "step", id: e.id, text: e.label, x0: a.x, y0: a.y, x1: b.x, y1: b.y });
    });
    return out;
  };
  document.getElementById("mg-fit").addEventListener("click", function () { fitView(true); });
  network.on("stabilizationIterationsDone", function () {
    network.setOptions({ physics: false });
    settled = true;
    fitView(false);
  });
  network.on("afterDrawing", function () { if (settled) markReady(); });
  if (!physics) fitView(false);

  // ---- tooltip (own element, built with textContent) ----
  var tip = document.getElementById("mg-tooltip");
  var lastPointer = { x: 0, y: 0 };
  container.addEventListener("mousemove", function (ev) {
    var r = container.getBoundingClientRect();
    lastPointer = { x: ev.clientX - r.left, y: ev.clientY - r.top };
    if (!tip.hidden) placeTip();
  });
  function placeTip() {
    var w = container.clientWidth, h = container.clientHeight;
    var x = lastPointer.x + 14, y = lastPointer.y + 14;
    var tw = tip.offsetWidth, th = tip.offsetHeight;
    if (x + tw > w - 4) x = Math.max(4, lastPointer.x - tw - 14);
    if (y + th > h - 4) y = Math.max(4, lastPointer.y - th - 14);
    tip.style.left = x + "px"; tip.style.top = y + "px";
  }
  function showTip(content) { tip.replaceChildren(content); tip.hidden = false; placeTip(); }
  function hideTip() { tip.hidden = true; }
  network.on("hoverNode", function (p) { var n = nodeById[p.node]; if (n) showTip(nodeInfo(n, false)); });
  network.on("hoverEdge", function (p) { var e = edgeById[p.edge]; if (e) showTip(edgeInfo(e, false)); });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  // ---- details panel ----
  var panel = document.getElementById("mg-details");
  var panelBody = document.getElementById("mg-details-body");
  function showDetails(content) { panelBody.replaceChildren(content); panel.hidden = false; }
  document.getElementById("mg-close").addEventListener("click", function () {
    panel.hidden = true;
    network.unselectAll();
  });
  network.on("click", function (p) {
    hideTip();
    if (p.nodes.length) { showDetails(nodeInfo(nodeById[p.nodes[0]], true)); }
    else if (p.edges.length) { showDetails(edgeInfo(edgeById[p.edges[0]], true)); }
    else { panel.hidden = true; }
  });

  // ---- search ----
  var input = document.getElementById("mg-search");
  var results = document.getElementById("mg-results");
  var index = DATA.nodes.map(function (n) {
    var hay = [n.name, n.name_zh || "", n.id].concat(n.synonyms || []).join("\n").toLowerCase();
    return { n: n, hay: hay, name: n.name.toLowerCase() };
  });
  function search(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var hits = index.filter(function (it) { return it.hay.indexOf(q) !== -1; });
    hits.sort(function (a, b) {
      var ra = a.name === q ? 0 : a.name.indexOf(q) === 0 ? 1 : a.name.indexOf(q) !== -1 ? 2 : 3;
      var rb = b.name === q ? 0 : b.name.indexOf(q) === 0 ? 1 : b.name.indexOf(q) !== -1 ? 2 : 3;
      return ra - rb || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    });
    return hits.map(function (it) { return it.n; });
  }
  function focusNode(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 400 } });
    showDetails(nodeInfo(nodeById[id], true));
    results.replaceChildren();
  }
  window.mechgraphFocus = focusNode;
  window.mechgraphSearch = function (q) { return search(q).map(function (n) { return n.id; }); };
  var current = [];
  input.addEventListener("input", function () {
    current = search(input.value).slice(0, 15);
    var items = current.map(function (n, i) {
      var li = el("li", i === 0 ? "mg-active" : null, n.name);
      li.setAttribute("data-id", n.id);
      var extra = [n.kind.replace(/_/g, " ")];
      if (n.name_zh) extra.push(n.name_zh);
      li.appendChild(el("small", null, extra.join(" \u00b7 ")));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); focusNode(n.id); });
      return li;
    });
    if (input.value.trim() && !items.length) items = [el("li", "mg-muted", "no match")];
    results.replaceChildren.apply(results, items);
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && current.length) { ev.preventDefault(); focusNode(current[0].id); }
    if (ev.key === "Escape") { input.value = ""; results.replaceChildren(); }
  });
})();
