// Edge routing for mechgraph pictures: every drawn line goes round the nodes and the labels.
//
// MechgraphRoute.route(nodes, links, opts) takes the nodes (centre, symbol radius, label box,
// all in canvas units) and the lines to draw, and returns for each line a polyline that passes
// over no symbol and no label but those of its own two ends' symbols, and a spot for its relation
// label where it covers no node, no other line and no other label.
//
// How: the drawing is cut into a grid of small cells; symbols and labels (with a margin) block
// cells; each line is an A* search from its source to its target over the free cells, paying for
// length, for turning and for running close to an obstacle (so lines keep to the middle of the
// gaps between rows and groups); the cell path is then pulled straight wherever a straight
// segment keeps as clear. Many lines of one look (sign, dash) into one node are bundled
// (Lambert et al., "Winding Roads: routing edges into bundles", 2010, in its simplest form): each
// runs to a junction in front of the node, and one trunk with one head carries them in, so a hub
// does not collect a pile of heads. A line's relation label is placed on its line right after
// the line is routed, where no earlier line runs, and then blocks the cells it covers for the
// lines routed after it. Pure functions of their input: the same input gives the same routes.
(function (root) {
  "use strict";

  var DIRS = [[1, 0], [1, 1], [0, 1], [-1, 1], [-1, 0], [-1, -1], [0, -1], [1, -1]];
  var SQRT2 = Math.SQRT2;

  function Grid(x0, y0, x1, y1, cell) {
    this.cell = cell;
    this.x0 = x0; this.y0 = y0;
    this.w = Math.max(1, Math.ceil((x1 - x0) / cell));
    this.h = Math.max(1, Math.ceil((y1 - y0) / cell));
    var n = this.w * this.h;
    this.label = new Uint8Array(n);     // 1: a label (of a node or a placed relation label) covers it
    this.owner = new Int32Array(n).fill(-1);  // the node whose symbol covers it (-2: several)
    this.used = new Uint16Array(n);     // how many routed lines pass through it
    this.clear = new Float32Array(n);   // distance to the nearest obstacle, in cells
  }
  Grid.prototype.ix = function (x) { return Math.min(this.w - 1, Math.max(0, Math.floor((x - this.x0) / this.cell))); };
  Grid.prototype.iy = function (y) { return Math.min(this.h - 1, Math.max(0, Math.floor((y - this.y0) / this.cell))); };
  Grid.prototype.idx = function (x, y) { return this.iy(y) * this.w + this.ix(x); };
  Grid.prototype.centre = function (i) {
    return [this.x0 + (i % this.w + 0.5) * this.cell, this.y0 + (Math.floor(i / this.w) + 0.5) * this.cell];
  };
  Grid.prototype.markRect = function (r, fn) {
    var cx0 = this.ix(r[0]), cx1 = this.ix(r[2]), cy0 = this.iy(r[1]), cy1 = this.iy(r[3]);
    for (var cy = cy0; cy <= cy1; cy++) for (var cx = cx0; cx <= cx1; cx++) fn(cy * this.w + cx);
  };
  // chamfer distance transform: clearance of every cell from the nearest symbol or label
  Grid.prototype.distances = function () {
    var w = this.w, h = this.h, d = this.clear, BIG = 1e6, i, x, y;
    for (i = 0; i < d.length; i++) d[i] = (this.label[i] || this.owner[i] !== -1) ? 0 : BIG;
    for (y = 0; y < h; y++) for (x = 0; x < w; x++) {
      i = y * w + x; if (!d[i]) continue;
      var v = d[i];
      if (x > 0) v = Math.min(v, d[i - 1] + 1);
      if (y > 0) { v = Math.min(v, d[i - w] + 1); if (x > 0) v = Math.min(v, d[i - w - 1] + SQRT2); if (x < w - 1) v = Math.min(v, d[i - w + 1] + SQRT2); }
      d[i] = v;
    }
    for (y = h - 1; y >= 0; y--) for (x = w - 1; x >= 0; x--) {
      i = y * w + x; if (!d[i]) continue;
      var u = d[i];
      if (x < w - 1) u = Math.min(u, d[i + 1] + 1);
      if (y < h - 1) { u = Math.min(u, d[i + w] + 1); if (x < w - 1) u = Math.min(u, d[i + w + 1] + SQRT2); if (x > 0) u = Math.min(u, d[i + w - 1] + SQRT2); }
      d[i] = u;
    }
  };

  // a binary heap of cell indices keyed by f
  function Heap(n) { this.items = new Int32Array(n); this.keys = new Float64Array(n); this.size = 0; }
  Heap.prototype.push = function (item, key) {
    var i = this.size++, items = this.items, keys = this.keys;
    if (i >= items.length) { var ni = new Int32Array(items.length * 2); ni.set(items); var nk = new Float64Array(items.length * 2); nk.set(keys); this.items = items = ni; this.keys = keys = nk; }
    while (i > 0) { var p = (i - 1) >> 1; if (keys[p] <= key) break; items[i] = items[p]; keys[i] = keys[p]; i = p; }
    items[i] = item; keys[i] = key;
  };
  Heap.prototype.pop = function () {
    var items = this.items, keys = this.keys, top = items[0], n = --this.size;
    if (n > 0) {
      var item = items[n], key = keys[n], i = 0;
      while (true) {
        var l = 2 * i + 1, r = l + 1, m = i, mk = key;
        if (l < n && keys[l] < mk) { m = l; mk = keys[l]; }
        if (r < n && keys[r] < mk) { m = r; mk = keys[r]; }
        if (m === i) break;
        items[i] = items[m]; keys[i] = keys[m]; i = m;
      }
      items[i] = item; keys[i] = key;
    }
    return top;
  };

  function dist(a, b) { return Math.hypot(a[0] - b[0], a[1] - b[1]); }

  function Router(nodes, opts) {
    this.opts = opts;
    this.nodes = nodes;
    this.byId = {};
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity, self = this;
    nodes.forEach(function (n, i) {
      self.byId[n.id] = i;
      var l = n.label || [n.x, n.y, n.x, n.y];
      x0 = Math.min(x0, n.x - n.r, l[0]); x1 = Math.max(x1, n.x + n.r, l[2]);
      y0 = Math.min(y0, n.y - n.r, l[1]); y1 = Math.max(y1, n.y + n.r, l[3]);
    });
    var pad = opts.pad || 16;
    x0 -= pad; y0 -= pad; x1 += pad; y1 += pad;
    var cell = opts.cell || Math.max(3, Math.min(6, Math.sqrt((x1 - x0) * (y1 - y0) / 150000)));
    var g = this.grid = new Grid(x0, y0, x1, y1, cell);
    var m = opts.margin === undefined ? 1.5 : opts.margin;  // hard margin; the clearance cost keeps lines further off
    (opts.blocks || []).forEach(function (b) {  // other text on the drawing (group titles)
      g.markRect([b[0] - m, b[1] - m, b[2] + m, b[3] + m], function (c) { g.label[c] = 1; });
    });
    nodes.forEach(function (n, i) {
      g.markRect([n.x - n.r - m, n.y - n.r - m, n.x + n.r + m, n.y + n.r + m], function (c) {
        g.owner[c] = g.owner[c] === -1 || g.owner[c] === i ? i : -2;
      });
      if (n.label) g.markRect([n.label[0] - m, n.label[1] - m / 2, n.label[2] + m, n.label[3] + m], function (c) { g.label[c] = 1; });
    });
    g.distances();
    this.dirty = false;
  }

  // may a line from node a to node b pass through cell i?
  Router.prototype.free = function (i, a, b) {
    var g = this.grid;
    if (g.label[i]) return false;
    var o = g.owner[i];
    return o === -1 || o === a || o === b;
  };

  Router.prototype.search = function (from, to, a, b) {
    var g = this.grid, W = g.w, N = W * g.h;
    var start = g.idx(from[0], from[1]), goal = g.idx(to[0], to[1]);
    if (start === goal) return [start];
    // the search's arrays are kept between searches; a cell counts as touched only when its stamp is this search's
    if (!this.work || this.work.n !== N) {
      this.work = { n: N, cost: new Float32Array(N), prev: new Int32Array(N), pdir: new Int8Array(N), stamp: new Uint32Array(N),
                    closed: new Uint32Array(N), run: 0, heap: new Heap(4096) };
    }
    var wk = this.work, run = ++wk.run, cost = wk.cost, prev = wk.prev, pdir = wk.pdir, stamp = wk.stamp, closed = wk.closed;
    var heap = wk.heap;
    heap.size = 0;
    function touch(i) { if (stamp[i] !== run) { stamp[i] = run; cost[i] = Infinity; prev[i] = -1; pdir[i] = -1; } }
    var gx = goal % W, gy = (goal / W) | 0;
    function h(i) { var dx = Math.abs(i % W - gx), dy = Math.abs(((i / W) | 0) - gy); return (dx + dy) + (SQRT2 - 2) * Math.min(dx, dy); }
    touch(start); cost[start] = 0; heap.push(start, h(start));
    var CL = this.opts.clearance || 4, used = this.opts.usedCost === undefined ? 0.25 : this.opts.usedCost;
    var found = false, budget = this.opts.budget || 400000;
    while (heap.size) {
      var c = heap.pop();
      if (closed[c] === run) continue;
      closed[c] = run;
      if (c === goal) { found = true; break; }
      if (--budget < 0) break;
      var cx = c % W, cy = (c / W) | 0;
      for (var d = 0; d < 8; d++) {
        var nx = cx + DIRS[d][0], ny = cy + DIRS[d][1];
        if (nx < 0 || ny < 0 || nx >= W || ny >= g.h) continue;
        var n = ny * W + nx;
        if (closed[n] === run || !(n === goal || this.free(n, a, b))) continue;
        if (d & 1) {  // no corner cutting past a blocked cell
          if (!this.free(cy * W + nx, a, b) || !this.free(ny * W + cx, a, b)) continue;
        }
        var step = (d & 1) ? SQRT2 : 1;
        var clr = g.owner[n] === a || g.owner[n] === b ? CL : Math.min(CL, g.clear[n]);
        var k = step * (1 + 0.6 * (CL - clr) / CL) + (g.used[n] ? used : 0);
        var pd = pdir[c];
        if (pd >= 0 && pd !== d) { var turn = Math.abs(pd - d); turn = Math.min(turn, 8 - turn); k += 0.35 * turn; }
        var nc = cost[c] + k;
        touch(n);
        // (the heuristic weighed 1.5: a little less than the shortest route, several times faster)
        if (nc < cost[n]) { cost[n] = nc; prev[n] = c; pdir[n] = d; heap.push(n, nc + h(n) * 1.5); }
      }
    }
    if (!found) return null;
    var out = [];
    for (var i = goal; i !== -1 && i !== start; i = prev[i]) out.push(i);
    out.push(start);
    return out.reverse();
  };

  // is the straight segment p-q clear for a line between nodes a and b, keeping `need` cells of clearance?
  Router.prototype.visible = function (p, q, a, b, need) {
    var g = this.grid, len = dist(p, q), steps = Math.max(1, Math.ceil(len / (g.cell * 0.5)));
    for (var s = 0; s <= steps; s++) {
      var t = s / steps, i = g.idx(p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t);
      if (!this.free(i, a, b)) return false;
      var own = g.owner[i] === a || g.owner[i] === b;
      if (!own && g.clear[i] < need) return false;
    }
    return true;
  };

  // the cell path pulled straight: keep a corner only where a straight segment would lose clearance
  Router.prototype.pull = function (cells, from, to, a, b) {
    var g = this.grid, pts = cells.map(function (c) { return g.centre(c); });
    pts[0] = from; pts[pts.length - 1] = to;
    var out = [pts[0]], i = 0, CL = this.opts.clearance || 4;
    while (i < pts.length - 1) {
      var best = i + 1, need = CL;
      for (var j = i + 1; j < pts.length; j++) {
        var cj = cells[j];
        if (!(g.owner[cj] === a || g.owner[cj] === b)) need = Math.min(need, g.clear[cj]);
        if (this.visible(pts[i], pts[j], a, b, Math.min(need, CL) - 0.01)) best = j;
        else if (j - best > 12) break;
      }
      out.push(pts[best]);
      i = best;
    }
    return out;
  };

  Router.prototype.mark = function (poly) {
    var g = this.grid, seen = {};
    for (var k = 0; k + 1 < poly.length; k++) {
      var p = poly[k], q = poly[k + 1], steps = Math.max(1, Math.ceil(dist(p, q) / (g.cell * 0.5)));
      for (var s = 0; s <= steps; s++) {
        var i = g.idx(p[0] + (q[0] - p[0]) * s / steps, p[1] + (q[1] - p[1]) * s / steps);
        if (!seen[i]) { seen[i] = 1; if (g.used[i] < 65535) g.used[i]++; }
      }
    }
    return seen;
  };

  // one line from point `from` (at node a) to point `to` (at node b): a polyline, or the straight segment
  Router.prototype.line = function (from, to, a, b) {
    if (this.dirty) { this.grid.distances(); this.dirty = false; }
    if (this.visible(from, to, a, b, 0)) {
      var straight = this.straightClear(from, to, a, b);
      if (straight) return [from, to];
    }
    var cells = this.search(from, to, a, b);
    if (!cells) {  // shut in by labels: let it pass over labels rather than over everything
      this.failed = (this.failed || 0) + 1;
      var saved = this.grid.label;
      this.grid.label = new Uint8Array(saved.length);
      cells = this.search(from, to, a, b);
      var poly = cells ? this.pull(cells, from, to, a, b) : [from, to];
      this.grid.label = saved;
      return poly;
    }
    return this.pull(cells, from, to, a, b);
  };
  // a straight segment is kept when it passes every obstacle at a distance
  Router.prototype.straightClear = function (p, q, a, b) {
    return this.visible(p, q, a, b, Math.min(2, this.opts.clearance || 4));
  };

  // does every segment of a polyline keep off the obstacles (but its ends' symbols)?
  Router.prototype.clearPoly = function (poly, a, b) {
    for (var k = 0; k + 1 < poly.length; k++) if (!this.visible(poly[k], poly[k + 1], a, b, 0)) return false;
    return true;
  };

  // a label box centred at c: free of every symbol, label and line (but its own line's cells)
  Router.prototype.labelFits = function (c, w, h, own) {
    var g = this.grid, ok = true, self = this;
    g.markRect([c[0] - w / 2, c[1] - h / 2, c[0] + w / 2, c[1] + h / 2], function (i) {
      if (!ok) return;
      if (g.label[i] || g.owner[i] !== -1) ok = false;
      else if (g.used[i] > (own[i] ? 1 : 0)) ok = false;
    });
    void self;
    return ok;
  };

  // where on the polyline its label goes: the free spot nearest the middle, on the line or beside it
  Router.prototype.placeLabel = function (poly, w, h, own, skipStart, skipEnd) {
    var total = 0, lens = [];
    for (var k = 0; k + 1 < poly.length; k++) { lens.push(dist(poly[k], poly[k + 1])); total += lens[k]; }
    if (total <= 0) return null;
    var cands = [], step = Math.max(4, this.grid.cell);
    for (var s = skipStart; s <= total - skipEnd; s += step) cands.push(s);
    if (!cands.length) cands.push(total / 2);
    var mid = (skipStart + total - skipEnd) / 2;
    cands.sort(function (x, y) { return Math.abs(x - mid) - Math.abs(y - mid); });
    var shifts = [0, 1, -1, 1.8, -1.8, 2.6, -2.6];
    for (var pass = 0; pass < shifts.length; pass++) {
      for (var ci = 0; ci < cands.length; ci++) {
        var s2 = cands[ci], acc = 0, seg = 0;
        while (seg < lens.length - 1 && acc + lens[seg] < s2) { acc += lens[seg]; seg++; }
        var t = lens[seg] ? (s2 - acc) / lens[seg] : 0, p = poly[seg], q = poly[seg + 1];
        var c = [p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t];
        if (shifts[pass]) {  // beside the line: just above or below it (left or right of a steep one)
          var dx = q[0] - p[0], dy = q[1] - p[1], L = Math.hypot(dx, dy) || 1;
          if (Math.abs(dx) >= Math.abs(dy)) c[1] += shifts[pass] * (h / 2 + 3);
          else c[0] += shifts[pass] * (w / 2 + 3);
          void L;
        }
        if (this.labelFits(c, w, h, own)) return c;
      }
    }
    return null;
  };

  Router.prototype.blockLabel = function (c, w, h) {
    var g = this.grid;
    g.markRect([c[0] - w / 2 - 2, c[1] - h / 2 - 1, c[0] + w / 2 + 2, c[1] + h / 2 + 1], function (i) { g.label[i] = 1; });
    this.dirty = true;
  };

  // the point on node n's symbol border toward point p
  function border(n, p, extra) {
    var d = dist([n.x, n.y], p) || 1, r = n.r + (extra || 0);
    return [n.x + (p[0] - n.x) * r / d, n.y + (p[1] - n.y) * r / d];
  }
  // the corner radius at each bend of a polyline: as round as CORNER allows while the curve
  // keeps off every symbol and label the straight bend keeps off
  var CORNER = 22;
  Router.prototype.radii = function (poly, a, b) {
    var out = [], g = this.grid, self = this;
    for (var k = 1; k < poly.length - 1; k++) {
      var p = poly[k - 1], c = poly[k], q = poly[k + 1];
      var d1 = dist(p, c), d2 = dist(c, q), r = Math.min(CORNER, d1 / 2, d2 / 2);
      for (; r > 1; r *= 0.6) {
        var s = [c[0] + (p[0] - c[0]) * r / (d1 || 1), c[1] + (p[1] - c[1]) * r / (d1 || 1)];
        var e = [c[0] + (q[0] - c[0]) * r / (d2 || 1), c[1] + (q[1] - c[1]) * r / (d2 || 1)];
        var ok = true;
        for (var t = 1; t < 8 && ok; t++) {
          var u = t / 8, v = 1 - u;
          var x = v * v * s[0] + 2 * u * v * c[0] + u * u * e[0], y = v * v * s[1] + 2 * u * v * c[1] + u * u * e[1];
          if (!self.free(g.idx(x, y), a, b)) ok = false;
        }
        if (ok) break;
      }
      out.push(r > 1 ? Math.round(r * 10) / 10 : 0);
    }
    return out;
  };

  // where the segment p-q (p outside, q inside) enters the circle (c, r)
  function enter(p, q, c, r) {
    var dx = q[0] - p[0], dy = q[1] - p[1], fx = p[0] - c[0], fy = p[1] - c[1];
    var A = dx * dx + dy * dy, B = 2 * (fx * dx + fy * dy), C = fx * fx + fy * fy - r * r;
    var disc = Math.max(0, B * B - 4 * A * C), t = A ? (-B - Math.sqrt(disc)) / (2 * A) : 0;
    t = Math.max(0, Math.min(1, t));
    return [p[0] + dx * t, p[1] + dy * t];
  }
  // cut a polyline where it enters its end symbols (the route is kept as it is up to there)
  function clipEnds(poly, a, b, gapA, gapB) {
    var out = poly.slice();
    if (b) {
      var cb = [b.x, b.y], rb = b.r + gapB, k = out.length - 1;
      while (k > 0 && dist(out[k - 1], cb) <= rb) k--;
      if (k > 0) { out = out.slice(0, k); out.push(enter(out[k - 1], poly[k], cb, rb)); }
    }
    if (a) {
      var ca = [a.x, a.y], ra = a.r + gapA, j = 0;
      while (j < out.length - 1 && dist(out[j + 1], ca) <= ra) j++;
      if (j < out.length - 1) { var first = enter(out[j + 1], out[j], ca, ra); out = [first].concat(out.slice(j + 1)); }
    }
    return out;
  }
  // shift a polyline sideways by d (to its left, walking from its start)
  function offset(poly, d) {
    return poly.map(function (p, k) {
      var a = poly[Math.max(0, k - 1)], b = poly[Math.min(poly.length - 1, k + 1)];
      var dx = b[0] - a[0], dy = b[1] - a[1], L = Math.hypot(dx, dy) || 1;
      return [p[0] + dy / L * d, p[1] - dx / L * d];
    });
  }

  function angleOf(n, p) { return Math.atan2(p[1] - n.y, p[0] - n.x); }

  // groups of incoming lines to bundle: same target and look, coming from one side (within 100 degrees)
  function bundles(nodes, byId, links, min) {
    var groups = {};
    links.forEach(function (l) {
      if (l.from === l.to || !l.bundle) return;
      var key = l.to + "\u0000" + l.bundle;
      (groups[key] = groups[key] || []).push(l);
    });
    var out = [];
    Object.keys(groups).sort().forEach(function (key) {
      var ls = groups[key];
      if (ls.length < min) return;
      var t = nodes[byId[ls[0].to]];
      var withAngle = ls.map(function (l) { var s = nodes[byId[l.from]]; return { l: l, a: angleOf(t, [s.x, s.y]) }; });
      withAngle.sort(function (x, y) { return x.a - y.a || (x.l.id < y.l.id ? -1 : 1); });
      // start the sweep after the widest empty gap between neighbouring angles
      var gapAt = 0, gap = -1;
      for (var i = 0; i < withAngle.length; i++) {
        var nxt = withAngle[(i + 1) % withAngle.length].a + (i + 1 === withAngle.length ? 2 * Math.PI : 0);
        if (nxt - withAngle[i].a > gap) { gap = nxt - withAngle[i].a; gapAt = (i + 1) % withAngle.length; }
      }
      var seq = withAngle.slice(gapAt).concat(withAngle.slice(0, gapAt));
      var cur = [], first = null;
      function flush() { if (cur.length >= min) out.push({ to: ls[0].to, links: cur.map(function (x) { return x.l; }) }); cur = []; }
      seq.forEach(function (x) {
        var a = x.a;
        if (cur.length) { var span = a - first; while (span < 0) span += 2 * Math.PI; if (span > 100 * Math.PI / 180) flush(); }
        if (!cur.length) first = a;
        cur.push(x);
      });
      flush();
    });
    return out;
  }

  // the junction in front of node t for lines coming from `sources`: a free point, or null
  Router.prototype.junction = function (t, ti, sources, extra) {
    var sx = 0, sy = 0;
    sources.forEach(function (s) { var d = dist([t.x, t.y], [s.x, s.y]) || 1; sx += (s.x - t.x) / d; sy += (s.y - t.y) / d; });
    var base = Math.atan2(sy, sx), g = this.grid;
    var tries = [0, 0.3, -0.3, 0.6, -0.6, 0.9, -0.9];
    for (var reach = 0; reach < 3; reach++) {
      for (var k = 0; k < tries.length; k++) {
        var a = base + tries[k], D = t.r + 34 + (extra || 0) + 16 * reach;
        var p = [t.x + Math.cos(a) * D, t.y + Math.sin(a) * D], i = g.idx(p[0], p[1]);
        if (g.label[i] || g.owner[i] !== -1 || g.clear[i] < 2.5) continue;
        if (!this.visible(p, [t.x, t.y], ti, ti, 0)) continue;
        return p;
      }
    }
    return null;
  };

  // route every link; returns {lines: {id: {poly, head, tail, label}}, trunks: [...], ms}
  function route(nodes, links, opts) {
    opts = opts || {};
    var t0 = (typeof performance !== "undefined" ? performance : Date).now();
    var R = new Router(nodes, opts), byId = R.byId;
    var GAP = opts.gap === undefined ? 2 : opts.gap;
    var result = { lines: {}, trunks: [], unlabelled: [] };
    var bundled = {}, bundleList = bundles(nodes, byId, links, opts.bundleMin || 3);
    bundleList.forEach(function (b, k) { b.id = "t" + k; b.links.forEach(function (l) { bundled[l.id] = b; }); });
    // routing order: labelled and highlighted lines first, then the shorter ones
    function len(l) { var a = nodes[byId[l.from]], b = nodes[byId[l.to]]; return dist([a.x, a.y], [b.x, b.y]); }
    var order = links.slice().sort(function (x, y) {
      return (y.prio || 0) - (x.prio || 0) || len(x) - len(y) || (x.id < y.id ? -1 : 1);
    });
    var pairDone = {};
    function labelOf(ls) {  // a bundle's label: the relations of its lines, each once
      var rels = [];
      ls.forEach(function (l) { if (l.label) l.label.split(" / ").forEach(function (r) { if (rels.indexOf(r) === -1) rels.push(r); }); });
      return rels.join(" / ");
    }
    var LH = opts.labelH || 16;
    function width(text) { return opts.measure ? opts.measure(text) : text.length * 7; }
    // trunks first: each bundle's junction and its one line into the node
    bundleList.forEach(function (b) {
      var ti = byId[b.to], t = nodes[ti], text = labelOf(b.links), w = text ? width(text) : 0;
      var J = R.junction(t, ti, b.links.map(function (l) { return nodes[byId[l.from]]; }), text ? w + 10 : 0);
      if (!J) { b.links.forEach(function (l) { delete bundled[l.id]; }); return; }
      var poly = R.line(J, [t.x, t.y], -1, ti);
      var own = R.mark(poly);
      b.poly = clipEnds(poly, null, t, 0, GAP);
      b.radii = R.radii(b.poly, -1, ti);
      b.junction = J;
      result.trunks.push(b);
      if (text) {
        var at = R.placeLabel(b.poly, w, LH, own, w / 2 + 6, 6);
        if (at) { b.label = text; b.labelAt = at; b.labelW = w; R.blockLabel(at, w, LH); }
        else result.unlabelled.push(b.id);
      }
    });
    // both-way pairs (a -> b and b -> a, neither bundled) are drawn side by side along one route
    var ways = {};
    links.forEach(function (l) { if (!bundled[l.id] && l.from !== l.to) ways[l.from + "\u0000" + l.to] = 1; });
    function twoWay(l) { return ways[l.to + "\u0000" + l.from] && !bundled[l.id]; }
    var SIDE = 3.5;
    order.forEach(function (l) {
      var ai = byId[l.from], bi = byId[l.to], a = nodes[ai], b = nodes[bi];
      if (ai === undefined || bi === undefined) return;
      if (ai === bi) {  // a loop: a small circle above the node's right shoulder
        result.lines[l.id] = { loop: [a.x + a.r * 0.7, a.y - a.r * 0.7, Math.max(8, a.r * 0.7)] };
        return;
      }
      var trunk = bundled[l.id], poly, own, pair = ai < bi ? ai + ":" + bi : bi + ":" + ai;
      if (trunk) {
        poly = R.line([a.x, a.y], trunk.junction, ai, -1);
        own = R.mark(poly);
        poly = clipEnds(poly, a, null, GAP, 0);
      } else if (twoWay(l)) {
        if (!pairDone[pair]) {
          var raw0 = R.line([a.x, a.y], [b.x, b.y], ai, bi), side = SIDE;
          // side by side where both shifted lines stay clear, else closer together
          while (side > 0.5 && !(R.clearPoly(clipEnds(offset(raw0, side), a, b, GAP, GAP), ai, bi) &&
                                 R.clearPoly(clipEnds(offset(raw0.slice().reverse(), side), b, a, GAP, GAP), ai, bi))) side -= 1;
          side = Math.max(0, side);
          // both lines are marked now, so that the first one's label keeps off the second line
          var there = offset(raw0, side), back = offset(raw0.slice().reverse(), side);
          pairDone[pair] = { from: l.from, raw: raw0, side: side, own: [R.mark(there), R.mark(back)] };
        }
        var forward = pairDone[pair].from === l.from;
        var raw = forward ? pairDone[pair].raw : pairDone[pair].raw.slice().reverse();
        own = pairDone[pair].own[forward ? 0 : 1];
        poly = clipEnds(offset(raw, pairDone[pair].side), a, b, GAP, GAP);
      } else {
        var straightRaw = R.line([a.x, a.y], [b.x, b.y], ai, bi);
        own = R.mark(straightRaw);
        poly = clipEnds(straightRaw, a, b, GAP, GAP);
      }
      var line = { poly: poly, trunk: trunk ? trunk.id : null, radii: R.radii(poly, ai, trunk ? -1 : bi) };
      result.lines[l.id] = line;
      if (l.label && !trunk) {
        var w = width(l.label);
        var at = R.placeLabel(poly, w, LH, own, 6, 10);
        if (at) { line.labelAt = at; line.labelW = w; R.blockLabel(at, w, LH); }
        else result.unlabelled.push(l.id);
      }
    });
    result.failed = R.failed || 0;
    result.ms = (typeof performance !== "undefined" ? performance : Date).now() - t0;
    result.cell = R.grid.cell;
    return result;
  }

  root.MechgraphRoute = { route: route, bundles: bundles };
})(typeof window !== "undefined" ? window : globalThis);
