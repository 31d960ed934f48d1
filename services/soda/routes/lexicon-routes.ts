import type { FastifyInstance } from "fastify";
import type { StoredEntry } from "../../../src/lexicon/store.js";
import { requireApiKey } from "../auth.js";
import { sodaError } from "../errors.js";
import { lexiconName, okStatus, responses } from "../schemas.js";

interface AddBody {
  lexicon: string;
  id?: string;
  names?: string[];
  commit: boolean;
  entries?: { id: string; names: string[] }[];
}

interface DeleteBody {
  lexicon: string;
  id: string;
}

const names = { type: "array", items: { type: "string" }, maxItems: 10_000 } as const;
const entryId = { type: "string", minLength: 1 } as const;

const addSchema = {
  summary: "Add (upsert) entries to a lexicon, and/or commit",
  description:
    "Upsert by (lexicon, id). `commit` defaults to true; no `id` with `commit: true` commits only. " +
    "Extension: `entries` adds many at once. `null` fields count as absent.",
  body: {
    type: "object",
    required: ["lexicon"],
    properties: {
      lexicon: { ...lexiconName, pattern: "^[\\w.-]{1,128}$" },
      id: entryId,
      names,
      commit: { type: "boolean", default: true },
      entries: {
        type: "array",
        maxItems: 100_000,
        items: { type: "object", required: ["id", "names"], properties: { id: entryId, names } },
      },
    },
  },
  response: responses({
    type: "object",
    required: ["status", "message", "payload"],
    properties: {
      status: okStatus,
      message: { type: "string" },
      payload: {
        type: "object",
        properties: {
          lexicon: { type: "string" },
          id: { type: "string" },
          names,
          commit: { type: "boolean" },
          added: { type: "integer", description: "entries staged by this request (extension)" },
          committed: {
            type: "integer",
            description: "entries made visible by this request's commit (extension)",
          },
        },
      },
    },
  }),
};

const deleteSchema = {
  summary: 'Delete one entry of a lexicon, or the whole lexicon with id "*"',
  body: {
    type: "object",
    required: ["lexicon", "id"],
    properties: { lexicon: lexiconName, id: entryId },
  },
  response: responses({
    type: "object",
    required: ["status", "message", "payload"],
    properties: {
      status: okStatus,
      message: { type: "string" },
      payload: {
        type: "object",
        properties: {
          lexicon: { type: "string" },
          id: { type: "string" },
          deleted: { type: "boolean", description: "whether it existed (extension)" },
        },
      },
    },
  }),
};

const dictsSchema = {
  summary: "List lexicons with their entry counts",
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
            count: { type: "integer", description: "committed entries" },
            staged: { type: "integer", description: "entries added but not yet committed (extension)" },
          },
        },
      },
    },
  }),
};

/** `add.json`, `delete.json` (both behind the API key when one is set) and `dicts.json`. */
export async function lexiconRoutes(
  app: FastifyInstance,
  opts: { apiKey: string | undefined },
): Promise<void> {
  const auth = requireApiKey(opts.apiKey);

  app.post<{ Body: AddBody }>("/soda/add.json", { schema: addSchema, onRequest: auth }, async (request) => {
    const { lexicon, id, commit } = request.body;
    if ((id === undefined) !== (request.body.names === undefined))
      throw sodaError("SODA_ERR_ENTRY", {
        detail: "send both id and names to add an entry, or neither (with commit: true) to commit only",
      });
    const entries: StoredEntry[] = [...(request.body.entries ?? [])];
    if (id !== undefined) entries.push({ id, names: request.body.names! });
    const exists = app.store.lexicon(lexicon) !== undefined;
    if (entries.length > 0) app.store.add(lexicon, entries);
    // A commit-only call on a lexicon that does not exist has nothing to commit: it must not create it.
    const committed = commit && (exists || entries.length > 0) ? app.store.commit(lexicon) : 0;
    const message =
      `${entries.length} entries added to ${lexicon}` +
      (commit ? `, ${committed} committed` : ", not committed yet");
    return {
      status: "ok",
      message,
      payload: { ...request.body, added: entries.length, committed },
    };
  });

  app.post<{ Body: DeleteBody }>(
    "/soda/delete.json",
    { schema: deleteSchema, onRequest: auth },
    async (request) => {
      const { lexicon, id } = request.body;
      if (!app.store.lexicon(lexicon))
        throw sodaError("SODA_ERR_UNKNOWN_LEXICON", { name: JSON.stringify(lexicon) });
      if (id === "*") {
        app.store.deleteLexicon(lexicon);
        return {
          status: "ok",
          message: `lexicon ${lexicon} deleted`,
          payload: { lexicon, id, deleted: true },
        };
      }
      const deleted = app.store.delete(lexicon, id);
      const message = deleted
        ? `entry ${id} deleted from ${lexicon}`
        : `no entry ${id} in ${lexicon}: nothing deleted`;
      return { status: "ok", message, payload: { lexicon, id, deleted } };
    },
  );

  app.get("/soda/dicts.json", { schema: dictsSchema }, async () => ({
    status: "ok",
    lexicons: app.store.list(),
  }));
}
