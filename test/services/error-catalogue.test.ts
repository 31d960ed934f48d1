import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ERRORS, formatMessage, isSodaError, sodaError } from "../../services/soda/errors.js";

const root = new URL("../../services/soda/", import.meta.url).pathname;
const sources = readdirSync(root, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".ts"))
  .map((f) => readFileSync(join(root, f), "utf8"));
// The store's codes reach clients too (through the error handler).
sources.push(readFileSync(new URL("../../src/lexicon/store.ts", import.meta.url), "utf8"));
const doc = readFileSync(join(root, "ERRORS.md"), "utf8");

describe("the error catalogue", () => {
  const used = new Set(sources.flatMap((s) => s.match(/SODA_ERR_[A-Z_]+/g) ?? []));

  it("has every code the service and the store use (start-up codes in ERRORS.md's own section)", () => {
    expect(used.size).toBeGreaterThan(10);
    const startup = doc.slice(doc.indexOf("## Start-up errors"));
    for (const code of used) {
      if (code in ERRORS) continue;
      expect(startup, code).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*2\\s*\\|`));
    }
  });

  it("is documented in ERRORS.md, each code with its HTTP status", () => {
    for (const [code, { status }] of Object.entries(ERRORS))
      expect(doc, code).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${status}\\s*\\|`));
  });

  it("uses only 4xx for client mistakes and 5xx for the server's state or bugs", () => {
    for (const [code, { status }] of Object.entries(ERRORS))
      expect(status >= 400 && status < 600, code).toBe(true);
  });

  it("fills templates and recognizes its errors", () => {
    expect(formatMessage("a {x} b {y}", { x: 1 })).toBe("a 1 b {y}");
    const e = sodaError("SODA_ERR_UNKNOWN_LEXICON", { name: '"x"' });
    expect(e.statusCode).toBe(404);
    expect(e.message).toBe('unknown lexicon "x": list lexicons with GET /soda/dicts.json');
    expect(isSodaError(e)).toBe(true);
    expect(isSodaError(new Error("x"))).toBe(false);
  });
});
