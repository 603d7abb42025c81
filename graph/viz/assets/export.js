// Export of a mechgraph picture as SVG or PNG: the same drawing the page shows.
//
// The page draws onto a 2D canvas context (vis-network the nodes and their labels, the page the
// frames, the routed lines and the relation labels). To export, the same drawing calls are made
// onto a Recorder, a stand-in for a CanvasRenderingContext2D that keeps every call; the record
// is then written out as SVG elements (paths and text), or replayed onto a real canvas of the
// export's size for PNG. A title line above and a legend below come with it, so a picture can go
// on a slide as it is. No library: the record covers the calls the drawing makes (paths, arcs,
// rectangles, quadratic curves, text, transforms, dashes, alpha).
(function (root) {
  "use strict";

  var PROPS = ["fillStyle", "strokeStyle", "lineWidth", "font", "textAlign", "textBaseline", "globalAlpha", "lineCap",
               "lineJoin", "miterLimit", "shadowColor", "shadowBlur", "shadowOffsetX", "shadowOffsetY",
               "imageSmoothingEnabled", "lineDashOffset", "filter", "direction", "globalCompositeOperation"];
  var METHODS = ["save", "restore", "translate", "scale", "setTransform", "resetTransform", "transform", "beginPath",
                 "closePath", "moveTo", "lineTo", "arc", "rect", "quadraticCurveTo", "bezierCurveTo", "fill", "stroke",
                 "fillText", "strokeText", "setLineDash", "clearRect", "fillRect", "strokeRect", "ellipse", "clip"];

  // a 2D context that records; measureText is answered by a real canvas with the same font
  function Recorder() {
    this.ops = [];
    this._probe = document.createElement("canvas").getContext("2d");
    this._state = {};
    var self = this;
    PROPS.forEach(function (p) {
      self._state[p] = self._probe[p];
      Object.defineProperty(self, p, {
        get: function () { return self._state[p]; },
        set: function (v) { self._state[p] = v; self.ops.push(["=", p, v]); }
      });
    });
    this._dash = [];
  }
  METHODS.forEach(function (m) {
    Recorder.prototype[m] = function () {
      var args = Array.prototype.slice.call(arguments);
      if (m === "setLineDash") { this._dash = (args[0] || []).slice(); args = [this._dash.slice()]; }
      this.ops.push([m].concat(args));
    };
  });
  Recorder.prototype.getLineDash = function () { return this._dash.slice(); };
  Recorder.prototype.measureText = function (t) { this._probe.font = this._state.font; return this._probe.measureText(t); };
  Recorder.prototype.isPointInPath = function () { return false; };
  Recorder.prototype.createLinearGradient = function () { return { addColorStop: function () {} }; };
  Recorder.prototype.roundRect = function (x, y, w, h) { this.rect(x, y, w, h); };

  // replay a record onto a real context
  function replay(ops, ctx) {
    ops.forEach(function (op) {
      if (op[0] === "=") { ctx[op[1]] = op[2]; return; }
      if (typeof ctx[op[0]] === "function") ctx[op[0]].apply(ctx, op.slice(1));
    });
  }

  // ---- SVG ----
  function esc(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function num(v) { return String(Math.round(v * 100) / 100); }
  function colour(c) {  // an SVG paint and its opacity from a canvas colour
    if (typeof c !== "string") return ["none", 1];
    var m = /^rgba\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*\)$/.exec(c);
    if (m) return ["rgb(" + m[1] + "," + m[2] + "," + m[3] + ")", parseFloat(m[4])];
    return [c, 1];
  }
  function parseFont(f) {  // "600 12px Family, ..." -> {weight, style, size, family}
    var m = /^\s*((?:(?:italic|oblique|normal|bold|bolder|lighter|\d{3})\s+)*)([\d.]+)px\s+(.*)$/.exec(f || "");
    if (!m) return { weight: "normal", style: "normal", size: 14, family: "sans-serif" };
    var words = m[1].trim().split(/\s+/), weight = "normal", style = "normal";
    words.forEach(function (w) { if (/^(bold|bolder|lighter|\d{3})$/.test(w)) weight = w; else if (/italic|oblique/.test(w)) style = w; });
    return { weight: weight, style: style, size: parseFloat(m[2]), family: m[3] };
  }
  var BASELINE = { top: "text-before-edge", hanging: "hanging", middle: "central", alphabetic: "alphabetic",
                   ideographic: "ideographic", bottom: "text-after-edge" };
  var ANCHOR = { left: "start", start: "start", center: "middle", right: "end", end: "end" };

  function toSVG(ops, x0, y0, w, h, scale) {
    var out = [], st = { m: [1, 0, 0, 1, 0, 0], dash: [] }, stack = [], props = {}, path = [];
    var d = document.createElement("canvas").getContext("2d");
    PROPS.forEach(function (p) { props[p] = d[p]; });
    function mul(a, b) { return [a[0] * b[0] + a[2] * b[1], a[1] * b[0] + a[3] * b[1], a[0] * b[2] + a[2] * b[3],
                                 a[1] * b[2] + a[3] * b[3], a[0] * b[4] + a[2] * b[5] + a[4], a[1] * b[4] + a[3] * b[5] + a[5]]; }
    function pt(x, y) { var m = st.m; return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]]; }
    function sc() { return Math.sqrt(Math.abs(st.m[0] * st.m[3] - st.m[1] * st.m[2])); }
    var cur = null, start = null;
    function P(x, y) { var p = pt(x, y); return num(p[0]) + " " + num(p[1]); }
    ops.forEach(function (op) {
      var k = op[0], a = op.slice(1);
      if (k === "=") { props[op[1]] = op[2]; return; }
      switch (k) {
        case "save": stack.push({ m: st.m.slice(), dash: st.dash.slice(), props: Object.assign({}, props) }); break;
        case "restore": if (stack.length) { var s = stack.pop(); st.m = s.m; st.dash = s.dash; props = s.props; } break;
        case "translate": st.m = mul(st.m, [1, 0, 0, 1, a[0], a[1]]); break;
        case "scale": st.m = mul(st.m, [a[0], 0, 0, a[1], 0, 0]); break;
        case "transform": st.m = mul(st.m, a); break;
        case "setTransform": st.m = a.length === 6 ? a.slice() : [1, 0, 0, 1, 0, 0]; break;
        case "resetTransform": st.m = [1, 0, 0, 1, 0, 0]; break;
        case "setLineDash": st.dash = (a[0] || []).slice(); break;
        case "beginPath": path = []; cur = null; break;
        case "moveTo": path.push("M" + P(a[0], a[1])); cur = start = [a[0], a[1]]; break;
        case "lineTo": path.push((cur ? "L" : "M") + P(a[0], a[1])); cur = [a[0], a[1]]; if (!start) start = cur; break;
        case "quadraticCurveTo": path.push("Q" + P(a[0], a[1]) + " " + P(a[2], a[3])); cur = [a[2], a[3]]; break;
        case "bezierCurveTo": path.push("C" + P(a[0], a[1]) + " " + P(a[2], a[3]) + " " + P(a[4], a[5])); cur = [a[4], a[5]]; break;
        case "closePath": if (path.length) path.push("Z"); cur = start; break;
        case "rect": path.push("M" + P(a[0], a[1]) + "L" + P(a[0] + a[2], a[1]) + "L" + P(a[0] + a[2], a[1] + a[3]) +
                               "L" + P(a[0], a[1] + a[3]) + "Z"); cur = start = [a[0], a[1]]; break;
        case "arc": {
          var cx = a[0], cy = a[1], r = a[2], s0 = a[3], s1 = a[4], ccw = !!a[5];
          var sweep = ccw ? s0 - s1 : s1 - s0;
          var full = Math.abs(sweep) >= 2 * Math.PI - 1e-6;
          var p0 = [cx + r * Math.cos(s0), cy + r * Math.sin(s0)];
          path.push((cur ? "L" : "M") + P(p0[0], p0[1]));
          var R = num(r * sc());
          if (full) {
            var pm = [cx - r * Math.cos(s0), cy - r * Math.sin(s0)];
            path.push("A" + R + " " + R + " 0 1 1 " + P(pm[0], pm[1]) + "A" + R + " " + R + " 0 1 1 " + P(p0[0], p0[1]));
            cur = p0;
          } else {
            if (sweep < 0) sweep += 2 * Math.PI;
            var p1 = [cx + r * Math.cos(s1), cy + r * Math.sin(s1)];
            path.push("A" + R + " " + R + " 0 " + (sweep > Math.PI ? 1 : 0) + " " + (ccw ? 0 : 1) + " " + P(p1[0], p1[1]));
            cur = p1;
          }
          if (!start) start = p0;
          break;
        }
        case "ellipse": path.push("M" + P(a[0] + a[2], a[1]) + "A" + num(a[2] * sc()) + " " + num(a[3] * sc()) + " 0 1 1 " +
                                  P(a[0] - a[2], a[1]) + "A" + num(a[2] * sc()) + " " + num(a[3] * sc()) + " 0 1 1 " + P(a[0] + a[2], a[1])); break;
        case "fill": case "stroke": {
          if (!path.length) break;
          var ga = props.globalAlpha === undefined ? 1 : props.globalAlpha;
          if (k === "fill") {
            var f = colour(props.fillStyle);
            out.push('<path d="' + path.join("") + '" fill="' + esc(f[0]) + '"' + (f[1] * ga < 1 ? ' fill-opacity="' + num(f[1] * ga) + '"' : "") + "/>");
          } else {
            var c = colour(props.strokeStyle);
            var attrs = ' fill="none" stroke="' + esc(c[0]) + '" stroke-width="' + num(props.lineWidth * sc()) + '"';
            if (c[1] * ga < 1) attrs += ' stroke-opacity="' + num(c[1] * ga) + '"';
            if (props.lineCap && props.lineCap !== "butt") attrs += ' stroke-linecap="' + props.lineCap + '"';
            if (props.lineJoin && props.lineJoin !== "miter") attrs += ' stroke-linejoin="' + props.lineJoin + '"';
            if (st.dash.length) attrs += ' stroke-dasharray="' + st.dash.map(function (v) { return num(v * sc()); }).join(" ") + '"';
            out.push('<path d="' + path.join("") + '"' + attrs + "/>");
          }
          break;
        }
        case "fillRect": case "strokeRect": break;  // (only clearing; nothing the drawing needs)
        case "fillText": case "strokeText": {
          var font = parseFont(props.font), p = pt(a[1], a[2]), size = font.size * sc();
          var ga2 = props.globalAlpha === undefined ? 1 : props.globalAlpha;
          var t = '<text x="' + num(p[0]) + '" y="' + num(p[1]) + '" font-family="' + esc(font.family) + '" font-size="' + num(size) + '"';
          if (font.weight !== "normal") t += ' font-weight="' + font.weight + '"';
          if (font.style !== "normal") t += ' font-style="' + font.style + '"';
          t += ' text-anchor="' + (ANCHOR[props.textAlign] || "start") + '" dominant-baseline="' + (BASELINE[props.textBaseline] || "alphabetic") + '"';
          if (k === "fillText") {
            var fc = colour(props.fillStyle);
            t += ' fill="' + esc(fc[0]) + '"' + (fc[1] * ga2 < 1 ? ' fill-opacity="' + num(fc[1] * ga2) + '"' : "");
          } else {
            var sc2 = colour(props.strokeStyle);
            t += ' fill="none" stroke="' + esc(sc2[0]) + '" stroke-width="' + num(props.lineWidth * sc()) + '" stroke-linejoin="round"';
            if (sc2[1] * ga2 < 1) t += ' stroke-opacity="' + num(sc2[1] * ga2) + '"';
          }
          out.push(t + ' xml:space="preserve">' + esc(a[0]) + "</text>");
          break;
        }
        default: break;
      }
    });
    return out.join("\n");
  }

  // ---- the whole picture: title, drawing, legend ----
  var SHAPES = {
    dot: function (c, x, y, r) { c.beginPath(); c.arc(x, y, r, 0, 2 * Math.PI); c.closePath(); },
    square: function (c, x, y, r) { c.beginPath(); c.rect(x - r, y - r, 2 * r, 2 * r); c.closePath(); },
    diamond: function (c, x, y, r) { c.beginPath(); c.moveTo(x, y - r); c.lineTo(x + r, y); c.lineTo(x, y + r); c.lineTo(x - r, y); c.closePath(); },
    triangle: function (c, x, y, r) { c.beginPath(); c.moveTo(x, y - r); c.lineTo(x + r, y + r * 0.75); c.lineTo(x - r, y + r * 0.75); c.closePath(); },
    triangleDown: function (c, x, y, r) { c.beginPath(); c.moveTo(x, y + r); c.lineTo(x + r, y - r * 0.75); c.lineTo(x - r, y - r * 0.75); c.closePath(); },
    hexagon: function (c, x, y, r) { c.beginPath(); for (var i = 0; i < 6; i++) { var a = Math.PI / 3 * i; c[i ? "lineTo" : "moveTo"](x + r * Math.cos(a), y + r * Math.sin(a)); } c.closePath(); },
    star: function (c, x, y, r) { c.beginPath(); for (var i = 0; i < 10; i++) { var rr = i % 2 ? r * 0.42 : r, a = -Math.PI / 2 + Math.PI / 5 * i; c[i ? "lineTo" : "moveTo"](x + rr * Math.cos(a), y + rr * Math.sin(a)); } c.closePath(); }
  };
  var KIND_NAMES = { mirna: "miRNA" };
  // the legend as drawing calls below the picture: kinds present, then the signs; returns its height
  function drawLegend(ctx, data, style, face, x, y, width) {
    var kinds = [], seen = {};
    data.nodes.forEach(function (n) { var k = n.kind || "other"; if (!seen[k]) { seen[k] = 1; kinds.push(k); } });
    var order = Object.keys(style.kinds);
    kinds.sort(function (a, b) { return (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || (a < b ? -1 : 1); });
    var items = kinds.map(function (k) { return { kind: k, text: KIND_NAMES[k] || k.replace(/_/g, " ") }; });
    items.push({ sign: "+", text: "promotes / activates (+)" }, { sign: "-", text: "inhibits / kills (\u2212)" },
               { sign: "0", text: "binds, targets, structural" });
    if (data.links.some(function (l) { return l.dashed; })) items.push({ sign: "0", dash: [6, 4], text: "dashed: association or structural link" });
    if (data.links.some(function (l) { return l.unstated; })) items.push({ sign: "+", dash: [1.5, 3.5], text: "dotted: the review itself does not say so" });
    if (data.dim) items.push({ sign: "-", width: 4.5, text: "bold, labelled: a step of the paths" });
    ctx.save();
    ctx.font = "13px " + face;
    ctx.textBaseline = "middle";
    ctx.textAlign = "left";
    var cx = x, cy = y + 14, rowH = 24;
    items.forEach(function (it) {
      var w = 34 + ctx.measureText(it.text).width + 22;
      if (cx + w > x + width && cx > x) { cx = x; cy += rowH; }
      if (it.kind) {
        var st = style.kinds[it.kind] || style["default"];
        ctx.fillStyle = st.color;
        (SHAPES[st.shape] || SHAPES.dot)(ctx, cx + 10, cy, 7);
        ctx.fill();
      } else {
        var c = style.signs[it.sign];
        ctx.strokeStyle = c; ctx.fillStyle = c; ctx.lineWidth = it.width || 2; ctx.setLineDash(it.dash || []);
        ctx.beginPath(); ctx.moveTo(cx, cy); ctx.lineTo(cx + 24, cy); ctx.stroke();
        ctx.setLineDash([]);
        ctx.beginPath();
        if (it.sign === "-") { ctx.moveTo(cx + 25, cy - 6); ctx.lineTo(cx + 25, cy + 6); ctx.lineWidth = 2.5; ctx.stroke(); }
        else { ctx.moveTo(cx + 28, cy); ctx.lineTo(cx + 20, cy - 4.5); ctx.lineTo(cx + 20, cy + 4.5); ctx.closePath(); ctx.fill(); }
      }
      ctx.fillStyle = "#333333";
      ctx.fillText(it.text, cx + 34, cy);
      cx += w;
    });
    ctx.restore();
    return cy - y + 16;
  }

  function install(page) {
    var MARGIN = 24, TITLE_PX = 22;
    // record the picture in canvas units; returns the record and its box
    function wrap(text, font, width) {  // the title on lines no wider than `width`
      var probe = document.createElement("canvas").getContext("2d"), lines = [], cur = "";
      probe.font = font;
      String(text).split(/\s+/).forEach(function (word) {
        var next = cur ? cur + " " + word : word;
        if (cur && probe.measureText(next).width > width) { lines.push(cur); cur = word; } else cur = next;
      });
      if (cur) lines.push(cur);
      return lines;
    }
    function record() {
      var b = page.extent(), rec = new Recorder();
      var w = Math.max(b.x1 - b.x0 + 2 * MARGIN, 640);
      var font = "600 " + TITLE_PX + "px " + page.face;
      var lines = wrap(page.title, font, w - 2 * MARGIN), titleH = TITLE_PX * 1.3 * lines.length + TITLE_PX * 0.8;
      var legendRec = new Recorder();
      var legendH = drawLegend(legendRec, page.legend, page.style, page.face, 0, 0, w - 2 * MARGIN);
      rec.save();
      rec.translate(MARGIN - b.x0 + (w - 2 * MARGIN - (b.x1 - b.x0)) / 2, MARGIN + titleH - b.y0);
      page.draw(rec);
      rec.restore();
      rec.save();
      rec.fillStyle = "#1d1d1d";
      rec.font = font;
      rec.textAlign = "left";
      rec.textBaseline = "top";
      lines.forEach(function (line, i) { rec.fillText(line, MARGIN, MARGIN + i * TITLE_PX * 1.3); });
      rec.restore();
      var h = MARGIN + titleH + (b.y1 - b.y0) + 16;
      rec.save();
      rec.translate(MARGIN, h);
      rec.ops = rec.ops.concat(legendRec.ops);
      rec.restore();
      h += legendH + MARGIN;
      return { ops: rec.ops, w: w, h: h };
    }
    function svg() {
      var r = record();
      return '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="' + num(r.w) + '" height="' + num(r.h) +
        '" viewBox="0 0 ' + num(r.w) + " " + num(r.h) + '">\n<title>' + esc(page.title) + "</title>\n" +
        '<rect width="100%" height="100%" fill="#ffffff"/>\n' + toSVG(r.ops, 0, 0, r.w, r.h, 1) + "\n</svg>\n";
    }
    // PNG at `scale` pixels per canvas unit (2 by default: sharp on a slide), at most 8000 px a side
    function png(scale) {
      var r = record(), s = Math.min(scale || 2, 8000 / r.w, 8000 / r.h);
      var c = document.createElement("canvas");
      c.width = Math.round(r.w * s); c.height = Math.round(r.h * s);
      var ctx = c.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, c.width, c.height);
      ctx.scale(s, s);
      replay(r.ops, ctx);
      return c.toDataURL("image/png");
    }
    function fileName(ext) {
      var base = (page.title || "mechgraph").replace(/[^A-Za-z0-9_.+-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 80) || "mechgraph";
      return base + "." + ext;
    }
    function download(href, name) {
      var a = document.createElement("a");
      a.href = href; a.download = name;
      document.body.appendChild(a); a.click(); a.remove();
    }
    root.mechgraphExport = function (fmt, scale) {
      if (fmt === "svg") return svg();
      if (fmt === "png") return png(scale);
      throw new Error("unknown export format " + fmt);
    };
    var bsvg = document.getElementById("mg-svg"), bpng = document.getElementById("mg-png");
    if (bsvg) bsvg.addEventListener("click", function () {
      var url = URL.createObjectURL(new Blob([svg()], { type: "image/svg+xml" }));
      download(url, fileName("svg"));
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    });
    if (bpng) bpng.addEventListener("click", function () { download(png(2), fileName("png")); });
  }

  root.MechgraphExport = { install: install, Recorder: Recorder, toSVG: toSVG, replay: replay };
})(window);
