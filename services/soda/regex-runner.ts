import { createContext, Script } from "node:vm";
import { sodaError } from "./errors.js";

/** One match of a named pattern. Offsets are UTF-16 indices, `end` exclusive. */
export interface RegexMatch {
  name: string;
  begin: number;
  end: number;
}

/** Matches beyond this many are not returned (the response says `truncated`). */
export const MAX_REGEX_MATCHES = 100_000;

// Runs inside the sandbox context; the result crosses back as one JSON string (no cross-realm objects).
const MATCH_ALL = new Script(`(() => {
  const out = [];
  let truncated = false;
  for (const [name, source, flags] of patterns) {
    const re = new RegExp(source, flags + "g");
    let m;
    while ((m = re.exec(text)) !== null) {
      if (m[0].length === 0) { re.lastIndex++; continue; }
      if (out.length === limit) { truncated = true; break; }
      out.push([name, m.index, m.index + m[0].length]);
    }
  }
  return JSON.stringify({ out, truncated });
})()`);

/**
 * Runs every pattern over `text` in a separate V8 context with a time limit, so a pattern with
 * catastrophic backtracking (`(a+)+$`) costs at most `timeoutMs` of the event loop and then fails with
 * SODA_ERR_REGEX_TIMEOUT (422) instead of hanging the server. Patterns are compiled first in this realm,
 * so a syntax error is reported as SODA_ERR_REGEX_INVALID (400) naming the pattern.
 * Results are sorted by begin, then end, then name.
 */
export function runPatterns(
  text: string,
  patterns: Readonly<Record<string, string>>,
  flags: string,
  timeoutMs: number,
): { matches: RegexMatch[]; truncated: boolean } {
  const list: [string, string, string][] = [];
  for (const [name, source] of Object.entries(patterns)) {
    try {
      new RegExp(source, `${flags}g`);
    } catch (e) {
      throw sodaError("SODA_ERR_REGEX_INVALID", { name: JSON.stringify(name), detail: (e as Error).message });
    }
    list.push([name, source, flags]);
  }
  const context = createContext({ text, patterns: list, limit: MAX_REGEX_MATCHES });
  let json: string;
  try {
    json = MATCH_ALL.runInContext(context, { timeout: timeoutMs }) as string;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_SCRIPT_EXECUTION_TIMEOUT")
      throw sodaError("SODA_ERR_REGEX_TIMEOUT", { ms: timeoutMs });
    throw e;
  }
  const { out, truncated } = JSON.parse(json) as { out: [string, number, number][]; truncated: boolean };
  const matches = out.map(([name, begin, end]) => ({ name, begin, end }));
  matches.sort(
    (a, b) => a.begin - b.begin || a.end - b.end || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return { matches, truncated };
}
