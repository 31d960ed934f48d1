import { describe, expect, it } from "vitest";
import { orderedMap } from "../../../clients/batch/ordered-window.js";
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
