(function () {
  "use strict";
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

  // ---- vis data ----
  var dim = DATA.dim;
  var LABEL_MAX = 30;
  var physics = DATA.physics;
  var visNodes = DATA.nodes.map(function (n) {
    var st = kindStyle(n.kind);
    var pub = n.kind === "publication";
    var root = Math.sqrt(n.deg || 0);
    var size = pub ? 7 : Math.min(30, 11 + 2.2 * root);
    // hubs get bigger labels, so zoomed out only they are labelled (drawThreshold), zoomed in all are
    var fsize = n.hl ? 18 : pub ? 10 : Math.min(20, 12 + 1.8 * root);
    var label = n.name.length > LABEL_MAX && !n.hl ? n.name.slice(0, LABEL_MAX - 1).trim() + "\u2026" : n.name;
    var faded = dim && !n.hl;
    var bg = faded ? hexA(st.color, 0.35) : st.color;
    if (OV) bg = n.ov !== undefined ? ovColour(n.ov) : "#d9d9d9";
    var v = {
      id: n.id, label: label, shape: st.shape, size: size,
      color: { background: bg, border: n.hl ? S.highlight : (OV ? st.color : bg),
               highlight: { background: st.color, border: "#222" }, hover: { background: st.color, border: "#444" } },
      borderWidth: n.hl ? 4 : (OV ? 3 : 1),
      widthConstraint: { maximum: n.hl ? 230 : 170 },
      font: { color: faded ? "#8f8f8f" : "#1d1d1d", size: fsize }
    };
    if (n.x !== undefined) { v.x = n.x; v.y = n.y; }
    if (physics && !n.deg) v.physics = false;  // unlinked nodes go in a column beside the graph
    return v;
  });
  var visEdges = DATA.edges.map(function (e) {
    var c = S.signs[e.sign] || S.signs["0"];
    var strength = S.levels[e.level] || 1;
    var faded = dim && !e.hl;
    var col = e.hl ? S.highlight : (faded ? hexA(c, 0.28) : c);
    var v = {
      id: e.id, from: e.from, to: e.to,
      color: { color: col, highlight: e.hl ? S.highlight : c, hover: e.hl ? S.highlight : c, inherit: false },
      width: e.hl ? 5 : (OV && e.ov !== undefined ? 1.5 + 8 * e.ov : 0.6 + 0.45 * strength),
      dashes: e.dashed ? [5, 4] : false,
      arrows: { to: { enabled: true, type: e.sign === "-" ? "bar" : "arrow", scaleFactor: e.sign === "-" ? 0.8 : 0.6 } }
    };
    if (e.curve) v.smooth = { enabled: true, type: "curvedCW", roundness: e.curve };
    if (DATA.edgeLabels || e.hl) {
      v.label = e.relation;
      v.font = { size: e.hl ? 13 : 10, color: e.hl ? "#8a3a00" : "#666", strokeWidth: 3, strokeColor: "#fff",
                 align: "middle" };
    }
    return v;
  });

  var P = DATA.physicsOptions;
  var visById = {};
  visNodes.forEach(function (v) { visById[v.id] = v; });
  var options = {
    autoResize: true,
    layout: { randomSeed: 7, improvedLayout: physics && !DATA.large && DATA.nodes.length <= 250 },
    nodes: { font: { size: 14, face: "system-ui, sans-serif", strokeWidth: 4, strokeColor: "#ffffff" },
             widthConstraint: { maximum: 170 }, scaling: { label: { drawThreshold: 10 } } },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 0.8 },
    interaction: { hover: true, tooltipDelay: 100000, hideEdgesOnDrag: DATA.large, hideEdgesOnZoom: DATA.large,
                   navigationButtons: false, keyboard: false, multiselect: false },
    physics: physics ? P : { enabled: false }
  };

  var container = document.getElementById("mg-network");
  var data = { nodes: new vis.DataSet(visNodes), edges: new vis.DataSet(visEdges) };
  var network = new vis.Network(container, data, options);
  window.mechgraphNetwork = network;

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
  function placeUnlinked() {
    var lone = DATA.nodes.filter(function (n) { return !n.deg; }).map(function (n) { return n.id; });
    if (!lone.length || lone.length === DATA.nodes.length) return;
    var pos = network.getPositions();
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    DATA.nodes.forEach(function (n) {
      if (!n.deg) return;
      var p = pos[n.id];
      x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y);
    });
    var dy = 46, dx = 150;
    var perCol = Math.max(1, Math.floor((y1 - y0) / dy) + 1);
    lone.forEach(function (id, i) {
      network.moveNode(id, x1 + 170 + dx * Math.floor(i / perCol), y0 + dy * (i % perCol));
    });
  }
  // fit the drawing into the part of the window the overlays (title, search, legend) leave free
  function fitView(animate) {
    var W = container.clientWidth, H = container.clientHeight, pad = 24;
    var left = 0;
    if (W >= 900) {
      var top = document.getElementById("mg-top"), legend = document.getElementById("mg-legend");
      left = Math.max(top.offsetWidth, legend.offsetWidth) + 20;
    }
    var pos = network.getPositions(), ids = Object.keys(pos);
    if (!ids.length) return;
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    ids.forEach(function (id) {
      var p = pos[id], v = visById[id];
      var half = v ? Math.max(v.size, Math.min(85, 0.3 * v.font.size * v.label.length)) : 25;
      x0 = Math.min(x0, p.x - half); x1 = Math.max(x1, p.x + half);
      y0 = Math.min(y0, p.y - (v ? v.size : 25)); y1 = Math.max(y1, p.y + (v ? v.size + 1.3 * v.font.size : 25));
    });
    var s = Math.min((W - left - 2 * pad) / Math.max(1, x1 - x0), (H - 2 * pad) / Math.max(1, y1 - y0), 1.2);
    network.moveTo({ position: { x: (x0 + x1) / 2 - left / 2 / s, y: (y0 + y1) / 2 }, scale: s,
                     animation: animate ? { duration: 300 } : false });
  }
  window.mechgraphFit = fitView;
  // in the overview, labels of the best-connected nodes (and of highlighted ones) are enlarged so
  // they read at >= 11.5 px; the rest appear as one zooms in (nodes.scaling.label.drawThreshold)
  function labelHubs() {
    var want = 11.5 / network.getScale();
    if (want > 32) return;
    var ranked = DATA.nodes.filter(function (n) { return n.kind !== "publication" && n.deg > 0; });
    ranked.sort(function (a, b) { return (b.deg - a.deg) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0); });
    var pick = ranked.slice(0, DATA.hubLabels).concat(DATA.nodes.filter(function (n) { return n.hl; }));
    var upd = [];
    pick.forEach(function (n) {
      var v = visById[n.id], f = Math.min(32, Math.max(v.font.size, want));
      if (f > v.font.size + 0.1) {
        v.font = { color: v.font.color, size: f };
        upd.push({ id: n.id, font: v.font });
      }
    });
    if (upd.length) { data.nodes.update(upd); fitView(false); }
  }
  document.getElementById("mg-fit").addEventListener("click", function () { fitView(true); });
  network.on("stabilizationIterationsDone", function () {
    network.setOptions({ physics: false });
    placeUnlinked();
    settled = true;
    fitView(false);
    labelHubs();
  });
  network.on("afterDrawing", function () { if (settled) markReady(); });
  if (!physics) { fitView(false); labelHubs(); }

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
