import type { FastifyInstance } from "fastify";
import { runPatterns } from "../regex-runner.js";
import { annotationList, okStatus, responses } from "../schemas.js";

interface RegexBody {
  text: string;
  patterns: Record<string, string>;
  flags: string;
}

const regexSchema = {
  summary: "SoDA v1: named regular expressions over a text, as annotations",
  description:
    "Each match is an annotation with `lexicon` and `id` set to the pattern's name and confidence 1. " +
    "JavaScript syntax; extension `flags` (i, m, s, u). The whole call has a time limit: patterns that " +
    "backtrack catastrophically answer 422 SODA_ERR_REGEX_TIMEOUT instead of hanging the server.",
  body: {
    type: "object",
    required: ["text", "patterns"],
    properties: {
      text: { type: "string" },
      patterns: {
        type: "object",
        additionalProperties: { type: "string", maxLength: 10_000 },
        maxProperties: 1000,
        description: "NAME → regular expression",
      },
      flags: { type: "string", pattern: "^[imsu]*$", default: "" },
    },
  },
  response: responses({
    type: "object",
    required: ["status", "annotations"],
    properties: {
      status: okStatus,
      annotations: annotationList,
      truncated: {
        type: "boolean",
        description: "true when matches past the limit were left out (extension)",
      },
    },
  }),
};

/** `regex.json`, run in a separate V8 context with a time limit. */
export async function regexRoute(app: FastifyInstance, opts: { timeoutMs: number }): Promise<void> {
  app.post<{ Body: RegexBody }>(
    "/soda/regex.json",
    { schema: regexSchema, config: { tagging: true } },
    async (request) => {
      const { text, patterns, flags } = request.body;
      const { matches, truncated } = runPatterns(text, patterns, flags, opts.timeoutMs);
      app.metrics.documents.inc({ route: "regex" });
      const annotations = matches.map((m) => ({
        id: m.name,
        lexicon: m.name,
        begin: m.begin,
        end: m.end,
        coveredText: text.slice(m.begin, m.end),
        confidence: 1,
      }));
      return { status: "ok", annotations, ...(truncated ? { truncated } : {}) };
    },
  );
}
