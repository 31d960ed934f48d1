import { describe, expect, it } from "vitest";
import { OrderedWindow, orderedMap } from "../../../clients/batch/ordered-window.js";
import { backoffDelay, parseRetryAfter, resolveRetryOptions } from "../../../clients/batch/retry.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("orderedMap", () => {
  it("keeps input order with random latencies and never exceeds the concurrency or the window", async () => {
    let inFlight = 0;
    let peak = 0;
    let read = 0;
    let maxAhead = 0;
    let yielded = 0;
    async function* inputs() {
      for (let i = 0; i < 200; i++) {
        read++;
        maxAhead = Math.max(maxAhead, read - yielded);
        yield i;
      }
    }
    const out: number[] = [];
    for await (const x of orderedMap(
      inputs(),
      async (i) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await sleep(Math.random() * 5);
        inFlight--;
        return i * 2;
      },
      { concurrency: 8, window: 16 },
    )) {
      out.push(x);
      yielded++;
    }
    expect(out).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
    expect(peak).toBe(8);
    expect(maxAhead).toBeLessThanOrEqual(17);
  });

  it("fails at the first failure, even behind a slow head, and reads no further", async () => {
    let read = 0;
    const inputs = (function* () {
      for (let i = 0; i < 1000; i++) {
        read++;
        yield i;
      }
    })();
    const seen: number[] = [];
    const run = async () => {
      for await (const x of orderedMap(
        inputs,
        async (i) => {
          if (i === 0) await sleep(500);
          if (i === 3) throw new Error("boom 3");
          return i;
        },
        { concurrency: 4 },
      ))
        seen.push(x);
    };
    const t = performance.now();
    await expect(run()).rejects.toThrow("boom 3");
    expect(performance.now() - t).toBeLessThan(400);
    expect(seen).toEqual([]);
    expect(read).toBeLessThanOrEqual(8);
  });

  it("handles empty input and rejects bad options", async () => {
    const out = [];
    for await (const x of orderedMap([], async (i: number) => i, { concurrency: 2 })) out.push(x);
    expect(out).toEqual([]);
    await expect(orderedMap([1], async (i) => i, { concurrency: 0 }).next()).rejects.toThrow(/concurrency/);
  });
});

describe("retry policy", () => {
  it("backs off exponentially with equal jitter, capped", () => {
    const o = resolveRetryOptions({ minDelayMs: 100, maxDelayMs: 1000 });
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, o, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect([1, 2, 3].map((n) => backoffDelay(n, o, () => 0))).toEqual([50, 100, 200]);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    const now = Date.parse("2024-01-01T00:00:00Z");
    expect(parseRetryAfter("Mon, 01 Jan 2024 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter(["2"])).toBe(2000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe("OrderedWindow", () => {
  /** Pushes `n` inputs the way the runner does, awaiting room when the window is full. */
  async function pushAll(w: OrderedWindow<number, number>, n: number, onPush = (_i: number) => {}) {
    for (let i = 0; i < n; i++) {
      if (w.full) await w.room();
      onPush(i);
      w.push(i);
    }
    await w.finish();
  }

  it("hands results over in input order, within the concurrency and the window", async () => {
    let inFlight = 0;
    let peak = 0;
    let pushed = 0;
    let maxHeld = 0;
    const out: number[] = [];
    const w = new OrderedWindow<number, number>(
      async (i) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await sleep(Math.random() * 3);
        inFlight--;
        return i * 2;
      },
      (r) => {
        out.push(r);
        return undefined;
      },
      { concurrency: 8, window: 16 },
    );
    await pushAll(w, 300, () => {
      pushed++;
      maxHeld = Math.max(maxHeld, pushed - out.length);
    });
    expect(out).toEqual(Array.from({ length: 300 }, (_, i) => i * 2));
    expect(peak).toBe(8);
    expect(maxHeld).toBeLessThanOrEqual(16);
  });

  it("hands each result its input, and finishes at once on no input", async () => {
    const seen: [number, string][] = [];
    const w = new OrderedWindow<string, number>(
      async (s) => s.length,
      (r, s) => {
        seen.push([r, s]);
        return undefined;
      },
      { concurrency: 2 },
    );
    await w.finish();
    for (const s of ["a", "bb", "ccc"]) w.push(s);
    await w.finish();
    expect(seen).toEqual([
      [1, "a"],
      [2, "bb"],
      [3, "ccc"],
    ]);
  });

  it("starts no call while a promise from each is pending (backpressure), and still finishes", async () => {
    let held: (() => void) | undefined;
    let startedWhileHeld = 0;
    const out: number[] = [];
    const w = new OrderedWindow<number, number>(
      async (i) => {
        if (held) startedWhileHeld++;
        await sleep(1);
        return i;
      },
      (r) => {
        out.push(r);
        if (r % 10 !== 9) return undefined;
        return new Promise<void>((resolve) => {
          held = () => {
            held = undefined;
            resolve();
          };
          setTimeout(() => held?.(), 5);
        });
      },
      { concurrency: 4 },
    );
    await pushAll(w, 100);
    expect(out).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(startedWhileHeld).toBe(0);
  });

  it("fails at the first failure, even behind a slow head, and starts nothing after it", async () => {
    let started = 0;
    const out: number[] = [];
    let releaseHead: () => void = () => {};
    const head = new Promise<void>((r) => {
      releaseHead = r;
    });
    const w = new OrderedWindow<number, number>(
      async (i) => {
        started++;
        if (i === 0) await head;
        if (i === 3) throw new Error("boom 3");
        return i;
      },
      (r) => {
        out.push(r);
        return undefined;
      },
      { concurrency: 4 },
    );
    await expect(pushAll(w, 1000)).rejects.toThrow("boom 3");
    expect(w.failure).toBeDefined();
    expect(started).toBeLessThanOrEqual(8);
    releaseHead();
    await sleep(1);
    expect(out).toEqual([]);
    expect(() => w.push(5)).toThrow("boom 3");
  });

  it("fails when each throws or its promise rejects", async () => {
    const throwing = new OrderedWindow<number, number>(
      async (i) => i,
      (r) => {
        if (r === 2) throw new Error("each 2");
        return undefined;
      },
      { concurrency: 2 },
    );
    await expect(pushAll(throwing, 10)).rejects.toThrow("each 2");
    const rejecting = new OrderedWindow<number, number>(
      async (i) => i,
      (r) => (r === 1 ? Promise.reject(new Error("write 1")) : undefined),
      { concurrency: 2 },
    );
    await expect(pushAll(rejecting, 10)).rejects.toThrow("write 1");
  });

  it("rejects bad options", () => {
    const none = () => undefined;
    expect(() => new OrderedWindow(async (i: number) => i, none, { concurrency: 0 })).toThrow(/concurrency/);
    expect(() => new OrderedWindow(async (i: number) => i, none, { concurrency: 4, window: 2 })).toThrow(
      /window/,
    );
  });
});
