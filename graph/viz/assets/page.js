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
  // a long title (a path's verdict) gets a wider box than a map's name
  if (document.getElementById("mg-title").firstChild.textContent.length > 70) document.getElementById("mg-top").classList.add("mg-long");
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

  var nodeById = {}, edgeById = {}, linkById = {};
  DATA.nodes.forEach(function (n) { nodeById[n.id] = n; });
  DATA.edges.forEach(function (e) { edgeById[e.id] = e; });
  DATA.links.forEach(function (l) { linkById[l.id] = l; });
  DATA.links.forEach(function (l) {  // a line's overlay value (viz --data): the largest of its edges'
    l.edges.forEach(function (id) { var e = edgeById[id]; if (e.ov !== undefined && !(l.ov >= e.ov)) l.ov = e.ov; });
  });

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
  // a drawn line holds one edge, or several between the same two nodes in the same direction
  function linksInfo(ids, full) {
    var box = el("div"), edges = [];
    ids.forEach(function (id) { (linkById[id] ? linkById[id].edges : []).forEach(function (e) { edges.push(edgeById[e]); }); });
    var shown = full ? edges : edges.slice(0, 2);
    shown.forEach(function (e) { box.appendChild(edgeInfo(e, full)); });
    if (edges.length > shown.length) box.appendChild(el("div", "mg-muted", (edges.length - shown.length) + " more edges on this line; click for all"));
    return box;
  }

  // ---- vis data: positions, wrapped labels and sizes all come from Python ----
  var dim = DATA.dim;
  var physics = DATA.physics;
  var routed = DATA.routed;  // lines drawn by this page round the nodes (not by vis-network)
  var FONT = S.fontPx || 14, EDGE_FONT = S.edgeFontPx || 12;
  var FACE = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', sans-serif";
  var visNodes = DATA.nodes.map(function (n) {
    var st = kindStyle(n.kind);
    var faded = dim && !n.hl;
    var bg = faded ? hexA(st.color, 0.35) : st.color;
    if (OV) bg = n.ov !== undefined ? ovColour(n.ov) : "#d9d9d9";
    var ring = n.hl || n.centre;
    return {
      id: n.id, label: n.label, shape: st.shape, size: n.size, x: n.x, y: n.y,
      color: { background: bg, border: ring ? "#222222" : (OV ? st.color : bg),
               highlight: { background: st.color, border: "#222" }, hover: { background: st.color, border: "#444" } },
      borderWidth: ring ? 3 : (OV ? 3 : 1),
      font: { color: faded ? "#7a7a7a" : "#1d1d1d", size: FONT, face: FACE, strokeWidth: 3, strokeColor: "#ffffff",
              multi: false }
    };
  });
  function look(l) {  // colour, width, dashes and head of a drawn line
    var c = S.signs[l.sign] || S.signs["0"];
    var strength = l.strength || 1;
    var alpha = l.hl ? 1 : (dim ? 0.22 : l.unstated ? 0.5 : l.hub ? 0.4 : 0.85);
    var width = l.hl ? 4.5 : (OV && l.ov !== undefined ? 1.5 + 8 * l.ov : 0.6 + 0.45 * strength);
    if (l.hub && !l.hl) width = Math.max(0.6, width * 0.75);
    return { colour: c, alpha: alpha, width: width, dashes: l.unstated ? [1.5, 3.5] : l.dashed ? [6, 4] : [],
             head: l.sign === "-" ? "bar" : "arrow" };
  }
  var visEdges = DATA.edges.map(function (e) {
    var l = linkById[e.link], lk = look(l);
    var v = {
      id: e.id, from: e.from, to: e.to, hidden: !!routed,
      color: { color: lk.alpha < 1 ? hexA(lk.colour, lk.alpha) : lk.colour, highlight: lk.colour, hover: lk.colour, inherit: false },
      width: lk.width, dashes: lk.dashes.length ? lk.dashes : false,
      arrows: { to: { enabled: true, type: lk.head, scaleFactor: e.sign === "-" ? 0.8 : 0.6 } }
    };
    if (e.curve) v.smooth = { enabled: true, type: "curvedCW", roundness: e.curve };
    return v;
  });

  var P = DATA.physicsOptions;
  var options = {
    autoResize: true,
    layout: { randomSeed: 7, improvedLayout: false },
    nodes: { font: { size: FONT, face: FACE, strokeWidth: 3, strokeColor: "#ffffff" },
             scaling: { label: { drawThreshold: 4, maxVisible: 60 } } },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 0.8 },
    interaction: { hover: true, tooltipDelay: 100000, hideEdgesOnDrag: DATA.large, hideEdgesOnZoom: DATA.large,
                   navigationButtons: false, keyboard: false, multiselect: false, dragNodes: true },
    physics: physics ? P : { enabled: false }
  };

  var container = document.getElementById("mg-network");
  var data = { nodes: new vis.DataSet(visNodes), edges: new vis.DataSet(visEdges) };
  var network = new vis.Network(container, data, options);
  window.mechgraphNetwork = network;

  // ---- the drawing: group frames, routed lines with their heads, relation labels ----
  var ROUTES = null;       // MechgraphRoute.route's answer for the current positions
  var dragged = {};        // ids of nodes being dragged: their lines are drawn straight until they land
  var hoverIds = null;     // ids of the links under the pointer
  var probe = document.createElement("canvas").getContext("2d");
  var LABEL_FONT = "600 " + EDGE_FONT + "px " + FACE;
  function measure(text) { probe.font = LABEL_FONT; return probe.measureText(text).width + 6; }

  function roundRectPath(ctx, x, y, w, h, r) {
    ctx.beginPath();
    ctx.moveTo(x + r, y); ctx.lineTo(x + w - r, y); ctx.quadraticCurveTo(x + w, y, x + w, y + r);
    ctx.lineTo(x + w, y + h - r); ctx.quadraticCurveTo(x + w, y + h, x + w - r, y + h);
    ctx.lineTo(x + r, y + h); ctx.quadraticCurveTo(x, y + h, x, y + h - r);
    ctx.lineTo(x, y + r); ctx.quadraticCurveTo(x, y, x + r, y);
    ctx.closePath();
  }
  function drawFrames(ctx) {
    (DATA.frames || []).forEach(function (f) {
      ctx.save();
      ctx.fillStyle = "rgba(120,130,150,0.07)";
      ctx.strokeStyle = "rgba(120,130,150,0.35)";
      ctx.lineWidth = 1;
      roundRectPath(ctx, f.x, f.y, f.w, f.h, 10);
      ctx.fill();
      ctx.stroke();
      ctx.fillStyle = "#4a5568";
      ctx.font = "600 " + S.titlePx + "px " + FACE;
      ctx.textAlign = "left";
      ctx.textBaseline = "top";
      f.title.split("\n").forEach(function (line, i) { ctx.fillText(line, f.x + 10, f.y + 7 + S.titleLinePx * i); });
      ctx.restore();
    });
  }
  // a polyline with rounded corners (the path only), and its points as drawn
  var CORNER = 22;
  function corners(poly, radii) {  // radii: the router's, kept off the obstacles; else CORNER
    var out = [];  // segments: ["L", x, y] or ["Q", cx, cy, x, y]
    for (var k = 1; k < poly.length - 1; k++) {
      var p = poly[k - 1], c = poly[k], q = poly[k + 1];
      var d1 = Math.hypot(c[0] - p[0], c[1] - p[1]), d2 = Math.hypot(q[0] - c[0], q[1] - c[1]);
      var r = Math.min(radii ? radii[k - 1] : CORNER, d1 / 2, d2 / 2);
      if (r <= 0) { out.push(["L", c[0], c[1]]); continue; }
      var a = [c[0] + (p[0] - c[0]) * r / (d1 || 1), c[1] + (p[1] - c[1]) * r / (d1 || 1)];
      var b = [c[0] + (q[0] - c[0]) * r / (d2 || 1), c[1] + (q[1] - c[1]) * r / (d2 || 1)];
      out.push(["L", a[0], a[1]], ["Q", c[0], c[1], b[0], b[1]]);
    }
    out.push(["L", poly[poly.length - 1][0], poly[poly.length - 1][1]]);
    return out;
  }
  function tracePath(ctx, poly, radii) {
    ctx.moveTo(poly[0][0], poly[0][1]);
    corners(poly, radii).forEach(function (s) {
      if (s[0] === "L") ctx.lineTo(s[1], s[2]); else ctx.quadraticCurveTo(s[1], s[2], s[3], s[4]);
    });
  }
  function samples(poly, radii) {  // the drawn curve as points (for hit tests and measurements)
    var pts = [poly[0]], last = poly[0];
    corners(poly, radii).forEach(function (s) {
      if (s[0] === "L") {
        var n = Math.max(1, Math.ceil(Math.hypot(s[1] - last[0], s[2] - last[1]) / 4));
        for (var i = 1; i <= n; i++) pts.push([last[0] + (s[1] - last[0]) * i / n, last[1] + (s[2] - last[1]) * i / n]);
        last = [s[1], s[2]];
      } else {
        for (var t = 1; t <= 8; t++) {
          var u = t / 8, v = 1 - u;
          pts.push([v * v * last[0] + 2 * u * v * s[1] + u * u * s[3], v * v * last[1] + 2 * u * v * s[2] + u * u * s[4]]);
        }
        last = [s[3], s[4]];
      }
    });
    return pts;
  }
  function head(ctx, poly, lk, width) {
    var p = poly[poly.length - 1], q = poly[poly.length - 2];
    var dx = p[0] - q[0], dy = p[1] - q[1], L = Math.hypot(dx, dy) || 1;
    dx /= L; dy /= L;
    ctx.setLineDash([]);
    if (lk.head === "bar") {
      var half = 4.5 + width * 0.9;
      ctx.lineWidth = Math.max(2, width * 0.9);
      ctx.beginPath();
      ctx.moveTo(p[0] - dy * half, p[1] + dx * half);
      ctx.lineTo(p[0] + dy * half, p[1] - dx * half);
      ctx.stroke();
    } else {
      var len = 7 + width * 1.6, wide = 3.5 + width * 0.9;
      var bx = p[0] - dx * len, by = p[1] - dy * len;
      ctx.beginPath();
      ctx.moveTo(p[0], p[1]);
      ctx.lineTo(bx - dy * wide, by + dx * wide);
      ctx.lineTo(bx + dy * wide, by - dx * wide);
      ctx.closePath();
      ctx.fill();
    }
  }
  // where the line is drawn: its route, or a straight line while one of its ends is dragged
  function linePoly(l) {
    var r = ROUTES && ROUTES.lines[l.id];
    if (r && r.poly && !dragged[l.from] && !dragged[l.to] && !(r.trunk && dragged[trunkOf(r.trunk).to])) {
      return r.poly;
    }
    return null;
  }
  function trunkOf(id) { return ROUTES.trunkById[id]; }
  function straight(l) {
    var pos = network.getPositions([l.from, l.to]), a = pos[l.from], b = pos[l.to];
    var na = network.body.nodes[l.from], nb = network.body.nodes[l.to];
    var dx = b.x - a.x, dy = b.y - a.y, L = Math.hypot(dx, dy) || 1;
    var ra = (na ? na.options.size : 10) + 2, rb = (nb ? nb.options.size : 10) + 2;
    return [[a.x + dx / L * ra, a.y + dy / L * ra], [b.x - dx / L * rb, b.y - dy / L * rb]];
  }
  function stroke(ctx, poly, lk, width, alpha, radii) {
    ctx.strokeStyle = hexA(lk.colour, alpha);
    ctx.fillStyle = hexA(lk.colour, alpha);
    ctx.lineWidth = width;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.setLineDash(lk.dashes);
    ctx.beginPath();
    tracePath(ctx, poly, radii);
    ctx.stroke();
  }
  var selectedNode = null, hoveredNode = null;
  function emphasis(l) {  // lines of the hovered or selected node, or the hovered line, stand out
    if (hoverIds && hoverIds.indexOf(l.id) !== -1) return 2;
    if (selectedNode && (l.from === selectedNode || l.to === selectedNode)) return 1;
    if (hoveredNode && (l.from === hoveredNode || l.to === hoveredNode)) return 1;
    return 0;
  }
  function drawLines(ctx) {
    if (!routed || !ROUTES) return;
    var order = DATA.links.slice().sort(function (a, b) { return (a.hl ? 1 : 0) - (b.hl ? 1 : 0) || emphasis(a) - emphasis(b); });
    var trunkDone = {};
    order.forEach(function (l) {
      var lk = look(l), em = emphasis(l), r = ROUTES.lines[l.id];
      if (!r) return;
      var alpha = em ? 1 : lk.alpha, width = lk.width + (em ? 1 : 0);
      ctx.save();
      if (r.loop) {
        ctx.strokeStyle = hexA(lk.colour, alpha); ctx.lineWidth = width; ctx.setLineDash(lk.dashes);
        ctx.beginPath(); ctx.arc(r.loop[0], r.loop[1], r.loop[2], 0, 2 * Math.PI); ctx.stroke();
        ctx.restore();
        return;
      }
      var poly = linePoly(l);
      if (!poly) {
        poly = straight(l);
        stroke(ctx, poly, lk, width, alpha);
        head(ctx, poly, lk, width);
      } else {
        stroke(ctx, poly, lk, width, alpha, r.radii);
        if (r.trunk) {
          var t = trunkOf(r.trunk);
          if (!trunkDone[t.id] || em) {
            trunkDone[t.id] = 1;
            var tw = Math.max(width, lk.width * 1.35 + 0.4);
            stroke(ctx, t.poly, lk, tw, alpha, t.radii);
            head(ctx, t.poly, lk, tw);
          }
        } else {
          head(ctx, poly, lk, width);
        }
      }
      ctx.restore();
    });
  }
  function labelSpots() {  // [text, x, y, sign, width] of every placed relation label
    var out = [];
    if (!ROUTES) return out;
    DATA.links.forEach(function (l) {
      var r = ROUTES.lines[l.id];
      if (r && r.labelAt && linePoly(l)) out.push({ id: l.id, text: l.label, x: r.labelAt[0], y: r.labelAt[1], sign: l.sign, w: r.labelW,
                                                    font: LABEL_FONT, px: EDGE_FONT });
    });
    ROUTES.trunks.forEach(function (t) {
      if (t.labelAt && !dragged[t.to]) out.push({ id: t.id, text: t.label, x: t.labelAt[0], y: t.labelAt[1], sign: t.sign, w: t.labelW,
                                                 font: LABEL_FONT, px: EDGE_FONT });
    });
    return out;
  }
  function drawLabels(ctx) {
    labelSpots().forEach(function (s) {
      ctx.save();
      ctx.font = LABEL_FONT;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.lineWidth = 4;
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#ffffff";
      ctx.strokeText(s.text, s.x, s.y);
      ctx.fillStyle = s.sign === "+" ? "#1f6f35" : s.sign === "-" ? "#b01e1e" : "#555b61";
      ctx.fillText(s.text, s.x, s.y);
      ctx.restore();
    });
  }
  network.on("beforeDrawing", function (ctx) { drawFrames(ctx); drawLines(ctx); });
  network.on("afterDrawing", function (ctx) { drawLabels(ctx); });

  // ---- routing: from the nodes as vis-network placed them and the label boxes it measured ----
  function obstacles() {
    var pos = network.getPositions();
    return DATA.nodes.map(function (n) {
      var body = network.body.nodes[n.id], p = pos[n.id];
      var sz = body && body.labelModule && body.labelModule.size;
      var label = null;
      if (sz && sz.width) label = [sz.left, sz.top, sz.left + sz.width, sz.top + sz.height];
      else if (n.box) label = [p.x - n.box[0] / 2, p.y + n.size + 4, p.x + n.box[0] / 2, p.y + n.box[1]];
      return { id: n.id, x: p.x, y: p.y, r: n.size + 1.5, label: label };
    });
  }
  // the group titles' boxes, in canvas units
  function frameTitles() {
    var out = [];
    probe.font = "600 " + S.titlePx + "px " + FACE;
    (DATA.frames || []).forEach(function (f) {
      f.title.split("\n").forEach(function (line, k) {
        var y = f.y + 7 + S.titleLinePx * k;
        out.push([f.x + 10, y, f.x + 10 + probe.measureText(line).width, y + S.titlePx]);
      });
    });
    return out;
  }
  window.mechgraphFrameTitles = frameTitles;
  function reroute() {
    if (!routed) return;
    var links = DATA.links.map(function (l) {
      return { id: l.id, from: l.from, to: l.to, label: l.label || null, prio: l.prio || 0,
               bundle: l.from === l.to ? null : [l.sign, l.dashed ? 1 : 0, l.unstated ? 1 : 0, l.hl ? 1 : 0, l.hub ? 1 : 0].join("|") };
    });
    var input = obstacles();
    var r = window.MechgraphRoute.route(input, links, { measure: measure, labelH: EDGE_FONT + 4, bundleMin: S.bundleMin || 3,
                                                        blocks: frameTitles() });
    r.trunkById = {};
    r.trunks.forEach(function (t) {
      r.trunkById[t.id] = t;
      var first = linkById[t.links[0].id];
      t.sign = first.sign;
    });
    ROUTES = r;
    window.__mechgraphRouteMs = r.ms;
    window.__mechgraphRouteFailed = r.failed;
  }

  var status = document.getElementById("mg-status");
  var settled = !physics;
  function markReady() {
    if (document.body.getAttribute("data-ready")) return;
    status.hidden = true;
    var ms = Math.round(performance.now());
    window.__mechgraph = { ready: true, drawnAt: ms, renderMs: Math.round(performance.now() - t0),
                           nodes: DATA.nodes.length, edges: DATA.edges.length, routeMs: ROUTES ? Math.round(ROUTES.ms) : null };
    document.body.setAttribute("data-ready", "1");
  }
  // the drawing's extent in canvas units: node boxes (symbol and label), group frames, relation labels
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
    labelSpots().forEach(function (s) {
      x0 = Math.min(x0, s.x - s.w / 2); x1 = Math.max(x1, s.x + s.w / 2);
      y0 = Math.min(y0, s.y - EDGE_FONT); y1 = Math.max(y1, s.y + EDGE_FONT);
    });
    if (ROUTES) Object.keys(ROUTES.lines).forEach(function (id) {
      var r = ROUTES.lines[id];
      (r.poly || []).forEach(function (p) { x0 = Math.min(x0, p[0]); x1 = Math.max(x1, p[0]); y0 = Math.min(y0, p[1]); y1 = Math.max(y1, p[1]); });
    });
    return { x0: x0, x1: x1, y0: y0, y1: y1 };
  }
  // the part of the window the overlays (title, search, legend) leave free, in window pixels
  function freeArea() {
    var W = container.clientWidth, H = container.clientHeight, left = 0;
    if (W >= 900) {
      var top = document.getElementById("mg-top"), legend = document.getElementById("mg-legend");
      left = Math.max(top.offsetWidth, legend.offsetWidth) + 16;
    }
    return { x: left, y: 0, w: W - left, h: H };
  }
  // fit the drawing into the free part of the window
  function fitView(animate) {
    var pad = 16, area = freeArea(), b = extent();
    if (!isFinite(b.x0)) return;
    var s = Math.min((area.w - 2 * pad) / Math.max(1, b.x1 - b.x0), (area.h - 2 * pad) / Math.max(1, b.y1 - b.y0), S.maxZoom || 1.6);
    var cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
    var W = container.clientWidth, H = container.clientHeight;
    // vis-network centres `position` in the whole canvas: shift it so the drawing centres in the free area
    var dx = (area.x + area.w / 2 - W / 2) / s, dy = (area.y + area.h / 2 - H / 2) / s;
    network.moveTo({ position: { x: cx - dx, y: cy - dy }, scale: s, animation: animate ? { duration: 300 } : false });
  }
  window.mechgraphFit = fitView;
  // the drawn labels, in window pixels: node labels as vis-network laid them out, relation labels
  // as drawn above; tests measure these for overlap and size
  window.mechgraphLabelBoxes = function () {
    var out = [], scale = network.getScale();
    DATA.nodes.forEach(function (n) {
      var body = network.body.nodes[n.id];
      if (!body || !body.labelModule || !body.labelModule.size) return;
      var sz = body.labelModule.size;
      if (!sz.width) return;
      var a = network.canvasToDOM({ x: sz.left, y: sz.top }), b = network.canvasToDOM({ x: sz.left + sz.width, y: sz.top + sz.height });
      out.push({ kind: "node", id: n.id, text: n.label, x0: a.x, y0: a.y, x1: b.x, y1: b.y, px: FONT * scale });
    });
    probe.font = "600 " + S.titlePx + "px " + FACE;
    (DATA.frames || []).forEach(function (f, i) {  // group titles
      f.title.split("\n").forEach(function (line, k) {
        var w = probe.measureText(line).width, y = f.y + 7 + S.titleLinePx * k;
        var a = network.canvasToDOM({ x: f.x + 10, y: y }), b = network.canvasToDOM({ x: f.x + 10 + w, y: y + S.titlePx });
        out.push({ kind: "frame", id: "f" + i, text: line, x0: a.x, y0: a.y, x1: b.x, y1: b.y, px: S.titlePx * scale });
      });
    });
    probe.font = LABEL_FONT;
    labelSpots().forEach(function (s) {
      var w = probe.measureText(s.text).width, h = EDGE_FONT;
      var a = network.canvasToDOM({ x: s.x - w / 2, y: s.y - h / 2 });
      var b = network.canvasToDOM({ x: s.x + w / 2, y: s.y + h / 2 });
      out.push({ kind: "relation", id: s.id, text: s.text, x0: a.x, y0: a.y, x1: b.x, y1: b.y, px: EDGE_FONT * scale });
    });
    return out;
  };
  // every drawn line as the points it passes through (canvas units), with the nodes it joins and
  // whether it ends in a head (a line into a bundle ends at the junction; its trunk has the head)
  window.mechgraphLines = function () {
    var out = [];
    if (!ROUTES) return out;
    DATA.links.forEach(function (l) {
      var r = ROUTES.lines[l.id];
      if (!r || r.loop) return;
      var routedPoly = linePoly(l);
      out.push({ id: l.id, from: l.from, to: l.to, points: routedPoly ? samples(routedPoly, r.radii) : samples(straight(l)),
                 label: l.label || null, head: !(routedPoly && r.trunk), bends: routedPoly ? routedPoly.length - 2 : 0 });
    });
    ROUTES.trunks.forEach(function (t) {
      out.push({ id: t.id, from: null, to: t.to, points: samples(t.poly, t.radii), trunk: t.links.map(function (l) { return l.id; }),
                 head: true });
    });
    return out;
  };
  window.mechgraphRelationLabels = function () { return labelSpots(); };
  document.getElementById("mg-fit").addEventListener("click", function () { fitView(true); });
  network.on("stabilizationIterationsDone", function () {
    network.setOptions({ physics: false });
    settled = true;
    reroute();
    fitView(false);
  });
  var routedOnce = !routed;
  network.on("afterDrawing", function () {
    if (!routedOnce) {  // the first drawing measured the labels: route round them, then draw again
      routedOnce = true;
      reroute();
      fitView(false);
      network.redraw();
      return;
    }
    if (settled) markReady();
  });
  // vis-network restores its camera right after it reports a resize: refit after that
  network.on("resize", function () { setTimeout(function () { fitView(false); }, 0); });
  if (!physics) fitView(false);

  // ---- dragging: a node's lines follow it straight, and are routed again where it lands ----
  network.on("dragStart", function (p) { (p.nodes || []).forEach(function (id) { dragged[id] = 1; }); hideTip(); });
  network.on("dragEnd", function (p) {
    if (!p.nodes || !p.nodes.length) return;
    dragged = {};
    reroute();
    network.redraw();
  });

  // ---- tooltip (own element, built with textContent) ----
  var tip = document.getElementById("mg-tooltip");
  var lastPointer = { x: 0, y: 0 };
  var overNode = null;
  function linesAt(dom) {  // the links whose drawn line passes within a few pixels of a window point
    if (!ROUTES) return null;
    var c = network.DOMtoCanvas(dom), tol = 6 / network.getScale(), best = null, bestD = tol;
    window.mechgraphLines().forEach(function (g) {
      var pts = g.points;
      for (var i = 0; i + 1 < pts.length; i++) {
        var a = pts[i], b = pts[i + 1], dx = b[0] - a[0], dy = b[1] - a[1], L = dx * dx + dy * dy;
        var t = L ? Math.max(0, Math.min(1, ((c.x - a[0]) * dx + (c.y - a[1]) * dy) / L)) : 0;
        var d = Math.hypot(c.x - a[0] - t * dx, c.y - a[1] - t * dy);
        if (d < bestD) { bestD = d; best = g; }
      }
    });
    return best ? (best.trunk || [best.id]) : null;
  }
  container.addEventListener("mousemove", function (ev) {
    var r = container.getBoundingClientRect();
    lastPointer = { x: ev.clientX - r.left, y: ev.clientY - r.top };
    if (routed && !overNode && !ev.buttons) {
      var ids = linesAt(lastPointer);
      if (String(ids) !== String(hoverIds)) {
        hoverIds = ids;
        if (ids) showTip(linksInfo(ids, false)); else hideTip();
        network.redraw();
      }
    }
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
  network.on("hoverNode", function (p) {
    var n = nodeById[p.node];
    overNode = p.node;
    hoverIds = null;
    hoveredNode = p.node;
    network.redraw();
    if (n) showTip(nodeInfo(n, false));
  });
  network.on("hoverEdge", function (p) { var e = edgeById[p.edge]; if (e) showTip(edgeInfo(e, false)); });
  network.on("blurNode", function () { overNode = null; hoveredNode = null; hideTip(); network.redraw(); });
  network.on("blurEdge", hideTip);
  network.on("zoom", hideTip);

  // ---- details panel ----
  var panel = document.getElementById("mg-details");
  var panelBody = document.getElementById("mg-details-body");
  function showDetails(content) { panelBody.replaceChildren(content); panel.hidden = false; }
  document.getElementById("mg-close").addEventListener("click", function () {
    panel.hidden = true;
    selectedNode = null;
    network.unselectAll();
    network.redraw();
  });
  network.on("click", function (p) {
    hideTip();
    selectedNode = p.nodes.length ? p.nodes[0] : null;
    var ids = !p.nodes.length && routed ? linesAt(p.pointer.DOM) : null;
    if (p.nodes.length) { showDetails(nodeInfo(nodeById[p.nodes[0]], true)); }
    else if (ids) { showDetails(linksInfo(ids, true)); }
    else if (p.edges.length) { showDetails(edgeInfo(edgeById[p.edges[0]], true)); }
    else { panel.hidden = true; }
    network.redraw();
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
    selectedNode = id;
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

  // ---- export: the same drawing as SVG or PNG (mechgraph.viz.export, the page's buttons) ----
  window.mechgraphDrawAll = function (ctx) {  // everything the canvas shows, in canvas units, onto any 2D context
    drawFrames(ctx);
    drawLines(ctx);
    var body = network.body;
    if (!routed) {  // a large page: vis-network draws the edges (as _drawEdges and _drawArrows do)
      body.edgeIndices.forEach(function (id) { if (body.edges[id].connected) body.edges[id].draw(ctx); });
    }
    var later = [];
    network.body.nodeIndices.forEach(function (id) {
      var n = network.body.nodes[id];
      var d = n.draw(ctx);
      if (d && d.drawExternalLabel) later.push(d.drawExternalLabel);
    });
    later.forEach(function (f) { f(); });
    if (!routed) body.edgeIndices.forEach(function (id) { if (body.edges[id].connected) body.edges[id].drawArrows(ctx); });
    drawLabels(ctx);
  };
  window.mechgraphExtent = extent;
  if (window.MechgraphExport) {
    window.MechgraphExport.install({ title: document.getElementById("mg-title").firstChild.textContent,
                                     legend: DATA, style: S, face: FACE, extent: extent, draw: window.mechgraphDrawAll,
                                     scale: function () { return network.getScale(); } });
  }
})();
