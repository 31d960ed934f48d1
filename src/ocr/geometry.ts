/**
 * Plane geometry for text detection: connected components of a bitmap, convex hulls, minimum-area
 * rectangles (rotating calipers) and oriented quadrilaterals for text lines.
 */

export interface Point {
  x: number;
  y: number;
}

/**
 * A text line's oriented rectangle: `origin` is its top-left corner, `u` the unit vector along the
 * text (left to right), `v` the unit vector across it (top to bottom), `w` and `h` its extent along each.
 */
export interface Quad {
  origin: Point;
  u: Point;
  v: Point;
  w: number;
  h: number;
}

/** A connected component of a bitmap: its pixel count and, per row, the leftmost and rightmost pixel. */
export interface Component {
  pixels: number;
  /** Sum of the probability map over the component's pixels. */
  score: number;
  /** Hull candidates: the corners of the leftmost and rightmost pixel of every row. */
  points: Point[];
}

/**
 * The 8-connected components of `bitmap` (non-zero = set), width `w`, height `h`. `values` (same
 * layout) is summed per component. Iterative flood fill; O(w·h).
 */
export function components(bitmap: Uint8Array, values: Float32Array, w: number, h: number): Component[] {
  const seen = new Uint8Array(w * h);
  const stack = new Int32Array(w * h);
  const out: Component[] = [];
  const rowMin = new Int32Array(h);
  const rowMax = new Int32Array(h);
  for (let start = 0; start < w * h; start++) {
    if (!bitmap[start] || seen[start]) continue;
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    let pixels = 0;
    let score = 0;
    let yMin = h;
    let yMax = -1;
    while (top > 0) {
      const p = stack[--top];
      const y = (p / w) | 0;
      const x = p - y * w;
      pixels++;
      score += values[p];
      if (y < yMin) {
        for (let r = y; r < (yMin === h ? y + 1 : yMin); r++) {
          rowMin[r] = w;
          rowMax[r] = -1;
        }
        yMin = y;
      }
      if (y > yMax) {
        for (let r = Math.max(yMax + 1, yMin); r <= y; r++) {
          rowMin[r] = w;
          rowMax[r] = -1;
        }
        yMax = y;
      }
      if (x < rowMin[y]) rowMin[y] = x;
      if (x > rowMax[y]) rowMax[y] = x;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const q = yy * w + xx;
          if (bitmap[q] && !seen[q]) {
            seen[q] = 1;
            stack[top++] = q;
          }
        }
      }
    }
    const points: Point[] = [];
    for (let r = yMin; r <= yMax; r++) {
      if (rowMax[r] < 0) continue;
      points.push({ x: rowMin[r], y: r }, { x: rowMin[r], y: r + 1 });
      points.push({ x: rowMax[r] + 1, y: r }, { x: rowMax[r] + 1, y: r + 1 });
    }
    out.push({ pixels, score, points });
  }
  return out;
}

const cross = (o: Point, a: Point, b: Point) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);

/** The convex hull of `points` (Andrew's monotone chain), counter-clockwise in a y-up frame. */
export function convexHull(points: readonly Point[]): Point[] {
  const p = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (p.length <= 2) return p;
  const lower: Point[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: Point[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], q) <= 0) upper.pop();
    upper.push(q);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

/**
 * The minimum-area rectangle around `points` as a {@link Quad} whose `u` axis is the one nearer to
 * horizontal (pointing right) and `v` points down. Rotating calipers over the hull's edges.
 */
export function minAreaRect(points: readonly Point[]): Quad {
  const hull = convexHull(points);
  let best: Quad | undefined;
  let bestArea = Number.POSITIVE_INFINITY;
  const n = hull.length;
  for (let i = 0; i < Math.max(n, 1); i++) {
    const a = hull[i];
    const b = hull[(i + 1) % n];
    let ux = b.x - a.x;
    let uy = b.y - a.y;
    const len = Math.hypot(ux, uy);
    if (len === 0) {
      ux = 1;
      uy = 0;
    } else {
      ux /= len;
      uy /= len;
    }
    let minU = Number.POSITIVE_INFINITY;
    let maxU = Number.NEGATIVE_INFINITY;
    let minV = Number.POSITIVE_INFINITY;
    let maxV = Number.NEGATIVE_INFINITY;
    for (const q of hull) {
      const pu = q.x * ux + q.y * uy;
      const pv = -q.x * uy + q.y * ux;
      if (pu < minU) minU = pu;
      if (pu > maxU) maxU = pu;
      if (pv < minV) minV = pv;
      if (pv > maxV) maxV = pv;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < bestArea - 1e-9) {
      bestArea = area;
      best = orient(ux, uy, minU, maxU, minV, maxV);
    }
  }
  return best ?? { origin: { x: 0, y: 0 }, u: { x: 1, y: 0 }, v: { x: 0, y: 1 }, w: 0, h: 0 };
}

/** The rectangle spanned by [minU, maxU] along (ux, uy) and [minV, maxV] along (−uy, ux), as a Quad. */
function orient(ux: number, uy: number, minU: number, maxU: number, minV: number, maxV: number): Quad {
  // Axes of the rectangle: a = (ux, uy), b = (−uy, ux). Pick the one nearer to horizontal as u.
  let u: Point;
  let v: Point;
  let uRange: [number, number];
  let vRange: [number, number];
  if (Math.abs(ux) >= Math.abs(uy)) {
    u = { x: ux, y: uy };
    v = { x: -uy, y: ux };
    uRange = [minU, maxU];
    vRange = [minV, maxV];
  } else {
    u = { x: -uy, y: ux };
    v = { x: ux, y: uy };
    uRange = [minV, maxV];
    vRange = [minU, maxU];
  }
  if (u.x < 0) {
    u = { x: -u.x, y: -u.y };
    uRange = [-uRange[1], -uRange[0]];
  }
  if (v.y < 0) {
    v = { x: -v.x, y: -v.y };
    vRange = [-vRange[1], -vRange[0]];
  }
  const origin = {
    x: u.x * uRange[0] + v.x * vRange[0],
    y: u.y * uRange[0] + v.y * vRange[0],
  };
  return { origin, u, v, w: uRange[1] - uRange[0], h: vRange[1] - vRange[0] };
}

/** A point of the quad at `s` along u and `t` along v (in pixels from its origin). */
export function quadPoint(q: Quad, s: number, t: number): Point {
  return { x: q.origin.x + q.u.x * s + q.v.x * t, y: q.origin.y + q.u.y * s + q.v.y * t };
}

/**
 * DB's unclip: the detected (shrunk) text kernel grown by `ratio · area / perimeter` on every side
 * (the offset PaddleOCR computes with pyclipper, for a rectangle).
 */
export function unclip(q: Quad, ratio: number): Quad {
  const perimeter = 2 * (q.w + q.h);
  if (perimeter === 0) return q;
  const d = (q.w * q.h * ratio) / perimeter;
  return { origin: quadPoint(q, -d, -d), u: q.u, v: q.v, w: q.w + 2 * d, h: q.h + 2 * d };
}

/** The same rectangle turned half a turn (text read upside down). */
export function rotate180(q: Quad): Quad {
  return {
    origin: quadPoint(q, q.w, q.h),
    u: { x: -q.u.x, y: -q.u.y },
    v: { x: -q.v.x, y: -q.v.y },
    w: q.w,
    h: q.h,
  };
}

/** The same rectangle read bottom to top (text turned a quarter turn counter-clockwise). */
export function rotate90(q: Quad): Quad {
  return { origin: quadPoint(q, 0, q.h), u: { x: -q.v.x, y: -q.v.y }, v: q.u, w: q.h, h: q.w };
}

/** Scales a quad's coordinates by (sx, sy) (a detection map back to the page). */
export function scaleQuad(q: Quad, sx: number, sy: number): Quad {
  const ux = q.u.x * q.w * sx;
  const uy = q.u.y * q.w * sy;
  const vx = q.v.x * q.h * sx;
  const vy = q.v.y * q.h * sy;
  const w = Math.hypot(ux, uy);
  const h = Math.hypot(vx, vy);
  return {
    origin: { x: q.origin.x * sx, y: q.origin.y * sy },
    u: w > 0 ? { x: ux / w, y: uy / w } : q.u,
    v: h > 0 ? { x: vx / h, y: vy / h } : q.v,
    w,
    h,
  };
}

/** The axis-aligned bounds of the part of `q` from `s0` to `s1` along u, clipped to the page. */
export function quadBounds(
  q: Quad,
  s0: number,
  s1: number,
  width: number,
  height: number,
): { x: number; y: number; w: number; h: number } {
  const pts = [quadPoint(q, s0, 0), quadPoint(q, s1, 0), quadPoint(q, s1, q.h), quadPoint(q, s0, q.h)];
  const x0 = Math.max(0, Math.min(...pts.map((p) => p.x)));
  const y0 = Math.max(0, Math.min(...pts.map((p) => p.y)));
  const x1 = Math.min(width, Math.max(...pts.map((p) => p.x)));
  const y1 = Math.min(height, Math.max(...pts.map((p) => p.y)));
  const r = (n: number) => Math.round(n);
  return { x: r(x0), y: r(y0), w: Math.max(0, r(x1) - r(x0)), h: Math.max(0, r(y1) - r(y0)) };
}
