import type { FastifyInstance } from "fastify";
import { sodaError } from "../errors.js";
import { servedLookupMode } from "../modes.js";
import { lookupPhrase } from "../phrase-lookup.js";
import { annotationList, lexiconName, matching, okStatus, responses } from "../schemas.js";

interface LookupBody {
  lexicon: string;
  id: string;
  limit: number;
  after?: string;
}

interface PhraseBody {
  lexicon: string | string[];
  phrase?: string;
  text?: string;
  matching: string;
}

const lexiconSelector = {
  anyOf: [lexiconName, { type: "array", items: lexiconName, minItems: 1 }],
  description: 'a lexicon, a list of lexicons, or "*" for all',
} as const;

const lookupSchema = {
  summary: 'Entries of a lexicon by id; id "*" lists them a page at a time',
  body: {
    type: "object",
    required: ["lexicon", "id"],
    properties: {
      lexicon: lexiconName,
      id: { type: "string", minLength: 1 },
      limit: {
        type: "integer",
        minimum: 1,
        maximum: 10_000,
        default: 100,
        description: 'page size for id "*"',
      },
      after: { type: "string", description: 'id "*": list ids after this one (the previous page\'s `next`)' },
    },
  },
  response: responses({
    type: "object",
    required: ["status", "entries"],
    properties: {
      status: okStatus,
      entries: {
        type: "array",
        items: {
          type: "object",
          required: ["lexicon", "id", "names"],
          properties: {
            lexicon: { type: "string" },
            id: { type: "string" },
            names: { type: "array", items: { type: "string" } },
            attributes: { type: "object", additionalProperties: true },
          },
        },
      },
      next: { type: "string", description: 'id "*": pass as `after` for the next page; absent on the last' },
    },
  }),
};

const phraseBody = (field: "phrase" | "text") => ({
  type: "object",
  required: ["lexicon", field],
  properties: { lexicon: lexiconSelector, [field]: { type: "string" }, matching },
});

const rlookupSchema = {
  summary: "Reverse lookup: entries with a name that normalizes like the phrase",
  description: "Served modes: the streaming ones; lsort and s3sort answer 400 SODA_ERR_MODE_UNSUPPORTED.",
  body: phraseBody("phrase"),
  response: responses({
    type: "object",
    required: ["status", "entries"],
    properties: {
      status: okStatus,
      entries: {
        type: "array",
        items: {
          type: "object",
          required: ["id", "lexicon", "text", "confidence"],
          properties: {
            id: { type: "string" },
            lexicon: { type: "string" },
            text: { type: "string" },
            confidence: { type: "number" },
          },
        },
      },
    },
  }),
};

const matchphraseSchema = {
  summary: "SoDA v1: entries whose name matches the whole phrase, as annotations over it",
  description: "`text` (SoDA v1) or `phrase`. Each annotation covers the whole phrase.",
  body: {
    ...phraseBody("text"),
    required: ["lexicon"],
    properties: { ...phraseBody("text").properties, phrase: { type: "string" } },
  },
  response: responses({
    type: "object",
    required: ["status", "annotations"],
    properties: { status: okStatus, annotations: annotationList },
  }),
};

/** `lookup.json`, `rlookup.json` and SoDA v1's `matchphrase.json`. */
export async function lookupRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: LookupBody }>("/soda/lookup.json", { schema: lookupSchema }, async (request) => {
    const { lexicon, id, limit, after } = request.body;
    app.resolveLexicons(lexicon); // 404 for an unknown lexicon, with the catalogue message
    const entries = app.store.lookup(lexicon, id, { limit, after }).map((e) => ({ lexicon, ...e }));
    const next = id === "*" && entries.length === limit ? entries[entries.length - 1].id : undefined;
    return { status: "ok", entries, next };
  });

  app.post<{ Body: PhraseBody }>("/soda/rlookup.json", { schema: rlookupSchema }, async (request) => {
    const { lexicon, phrase, matching } = request.body;
    const mode = servedLookupMode(matching, "rlookup.json");
    return { status: "ok", entries: lookupPhrase(app.resolveLexicons(lexicon), phrase!, mode) };
  });

  app.post<{ Body: PhraseBody }>(
    "/soda/matchphrase.json",
    { schema: matchphraseSchema, config: { tagging: true } },
    async (request) => {
      const { lexicon, matching } = request.body;
      const phrase = request.body.text ?? request.body.phrase;
      if (phrase === undefined)
        throw sodaError("SODA_ERR_VALIDATION", { detail: 'the field "text" is required' });
      const mode = servedLookupMode(matching, "matchphrase.json");
      const annotations = lookupPhrase(app.resolveLexicons(lexicon), phrase, mode).map((m) => ({
        id: m.id,
        lexicon: m.lexicon,
        begin: 0,
        end: phrase.length,
        coveredText: phrase,
        confidence: m.confidence,
        synonym: m.text,
        matching: mode,
      }));
      return { status: "ok", annotations };
    },
  );
}
