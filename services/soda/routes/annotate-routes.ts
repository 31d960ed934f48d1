import type { FastifyInstance } from "fastify";
import type { Annotation, MatchingMode } from "../../../src/annotate/annotator.js";
import type { OverlapPolicy } from "../../../src/annotate/overlaps.js";
import type { TextFormat } from "../../../src/text/clean.js";
import { sodaError } from "../errors.js";
import { servedAnnotationMode } from "../modes.js";
import {
  annotationList,
  format,
  lexiconName,
  matching,
  okStatus,
  overlaps,
  responses,
  threshold,
} from "../schemas.js";

interface AnnotBody {
  lexicon: string | string[];
  text?: string;
  docs?: { id: string; text: string }[];
  matching: string;
  overlaps: OverlapPolicy;
  format: TextFormat;
  threshold?: number;
}

interface CoverageBody {
  text: string;
  matching: string;
  lexicon: string | string[];
  overlaps: OverlapPolicy;
  format: TextFormat;
  threshold?: number;
}

const lexiconSelector = {
  anyOf: [lexiconName, { type: "array", items: lexiconName, minItems: 1 }],
  description: 'a lexicon, a list of lexicons (extension), or "*" for all (extension)',
} as const;

const annotSchema = {
  summary: "Annotate a text (or a batch of documents) against lexicons",
  description:
    "`text` gives `{status, annotations}`; the extension `docs: [{id, text}]` gives `{status, docs: [{id, annotations}]}`. " +
    "Offsets are UTF-16 indices into the text as sent, `end` exclusive.",
  body: {
    type: "object",
    required: ["lexicon"],
    properties: {
      lexicon: lexiconSelector,
      text: { type: "string" },
      docs: {
        type: "array",
        maxItems: 10_000,
        items: {
          type: "object",
          required: ["id", "text"],
          properties: { id: { type: "string" }, text: { type: "string" } },
        },
      },
      matching,
      overlaps,
      format,
      threshold,
    },
  },
  response: responses({
    type: "object",
    required: ["status"],
    properties: {
      status: okStatus,
      annotations: annotationList,
      docs: {
        type: "array",
        items: {
          type: "object",
          required: ["id", "annotations"],
          properties: { id: { type: "string" }, annotations: annotationList },
        },
      },
    },
  }),
};

const coverageSchema = {
  summary: "How many distinct entries of each lexicon a text mentions",
  description:
    "Lexicons with at least one match, most matched first. Extensions: `mentions` (annotations counted), " +
    "`lexicon` to restrict the lexicons, `overlaps`, `format`, `threshold`.",
  body: {
    type: "object",
    required: ["text"],
    properties: {
      text: { type: "string" },
      matching,
      lexicon: { ...lexiconSelector, default: "*" },
      overlaps,
      format,
      threshold,
    },
  },
  response: responses({
    type: "object",
    required: ["status", "lexicons"],
    properties: {
      status: okStatus,
      lexicons: {
        type: "array",
        items: {
          type: "object",
          required: ["lexicon", "count"],
          properties: {
            lexicon: { type: "string" },
            count: { type: "integer", description: "distinct entries matched" },
            mentions: { type: "integer", description: "annotations, counting repeats (extension)" },
          },
        },
      },
    },
  }),
};

/** hOCR is HTML: its words are element text. */

/** `annot.json` and `coverage.json`: tagging on the main thread, bounded by the admission plugin. */
export async function annotateRoutes(app: FastifyInstance): Promise<void> {
  const optionsOf = (mode: MatchingMode, body: AnnotBody | CoverageBody) => ({
    matching: mode,
    overlaps: body.overlaps,
    format: body.format,
    threshold: body.threshold,
  });

  app.post<{ Body: AnnotBody }>(
    "/soda/annot.json",
    { schema: annotSchema, config: { tagging: true } },
    async (request, reply) => {
      const body = request.body;
      if (body.text === undefined && body.docs === undefined)
        throw sodaError("SODA_ERR_VALIDATION", {
          detail: 'the field "text" is required (or "docs": [{id, text}] for a batch)',
        });
      const mode = servedAnnotationMode(body.matching, "annot.json");
      // The annotations arrive serialized (JSON.stringify writes the schema's fields in its order):
      // the answer is spliced from them, not built as objects and serialized again.
      reply.type("application/json; charset=utf-8");
      if (body.docs !== undefined) {
        const docs = body.docs;
        app.metrics.documents.inc({ route: "annot" }, docs.length);
        const found = await app.tagTextsJson(
          docs.map((d) => d.text),
          body.lexicon,
          optionsOf(mode, body),
        );
        let out = '{"status":"ok","docs":[';
        for (let i = 0; i < docs.length; i++)
          out += `${i === 0 ? "" : ","}{"id":${JSON.stringify(docs[i].id)},"annotations":${found[i]}}`;
        return reply.send(`${out}]}`);
      }
      app.metrics.documents.inc({ route: "annot" });
      const [annotations] = await app.tagTextsJson([body.text!], body.lexicon, optionsOf(mode, body));
      return reply.send(`{"status":"ok","annotations":${annotations}}`);
    },
  );

  app.post<{ Body: CoverageBody }>(
    "/soda/coverage.json",
    { schema: coverageSchema, config: { tagging: true } },
    async (request) => {
      const body = request.body;
      const mode = servedAnnotationMode(body.matching, "coverage.json");
      app.metrics.documents.inc({ route: "coverage" });
      const lexicons = [];
      for (const lex of app.resolveLexicons(body.lexicon)) {
        const [found]: Annotation[][] = await app.tagTexts([body.text], lex.name, optionsOf(mode, body));
        if (found.length === 0) continue;
        lexicons.push({
          lexicon: lex.name,
          count: new Set(found.map((a) => a.id)).size,
          mentions: found.length,
        });
      }
      lexicons.sort((a, b) => b.count - a.count || (a.lexicon < b.lexicon ? -1 : 1));
      return { status: "ok", lexicons };
    },
  );
}
