import { parseArgs } from "node:util";
import { SodaClient } from "../../clients/batch/client.js";
import { isSodaClientError } from "../../clients/batch/errors.js";
import { Progress } from "../../clients/batch/progress.js";
import {
  guessOntologyFormat,
  type LoadOptions,
  loadOntology,
  type OboScope,
  ONTOLOGY_FORMATS,
  type OntologyFormat,
  type OntologyRecord,
} from "../../ontologies/index.js";
import { type BulkLoad, LexiconStore, type StoredEntry } from "../lexicon/store.js";

const USAGE = `usage: soda load --lexicon NAME [--format FORMAT] [--data-dir DIR | --url URL [--api-key KEY]]
                 [--commit-every N] [--context URL=FILE]… [--language TAG]… [--scope SCOPE]… FILE…

  Loads ontology files into a lexicon of the data directory (default ./data), or of the service at
  --url URL (add.json): records go in batches, committed every --commit-every N records (default 100
  there, as SoDA's loader did; 0 commits once at the end) and once at the end. Adding is an upsert by
  id, so running the same load again is harmless. On a failure, what was committed is kept.
  FORMAT: ${ONTOLOGY_FORMATS.join(", ")} (guessed from the file name when absent).
  All or nothing by default: records are staged and committed once every file has been read; a file
  that fails to parse leaves the lexicon as it was. --commit-every N commits every N records instead
  (what came before a failure is kept).
  --context URL=FILE  a JSON-LD context served offline (nothing is fetched from the network)
  --language TAG      languages of labels to keep (default: untagged and en; * for all)
  --scope SCOPE       OBO synonym scopes to keep (default EXACT and RELATED)`;

/** `soda load`: ontology files into the store. Returns the exit code. */
export async function loadCommand(argv: string[], log: (line: string) => void): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    log(`soda load: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    log(USAGE);
    return 0;
  }
  const lexicon = values.lexicon;
  const problems: string[] = [];
  if (!lexicon) problems.push("--lexicon is required");
  if (positionals.length === 0) problems.push("give at least one FILE");
  if (values.format !== undefined && !(ONTOLOGY_FORMATS as readonly string[]).includes(values.format))
    problems.push(
      `unknown --format ${JSON.stringify(values.format)}: use one of ${ONTOLOGY_FORMATS.join(", ")}`,
    );
  const commitEvery = values["commit-every"] === undefined ? undefined : Number(values["commit-every"]);
  if (commitEvery !== undefined && (!Number.isInteger(commitEvery) || commitEvery < 0))
    problems.push("--commit-every takes a positive integer");
  const contexts: Record<string, string> = {};
  for (const c of values.context) {
    const eq = c.indexOf("=");
    if (eq <= 0) problems.push(`--context ${JSON.stringify(c)}: expected URL=FILE`);
    else contexts[c.slice(0, eq)] = c.slice(eq + 1);
  }
  const formats = positionals.map(
    (f) => (values.format as OntologyFormat | undefined) ?? guessOntologyFormat(f),
  );
  positionals.forEach((f, i) => {
    if (!formats[i]) problems.push(`cannot tell the format of ${f}: pass --format`);
  });
  if (problems.length > 0 || !lexicon) {
    log(`soda load: ${problems.join("; ")}\n\n${USAGE}`);
    return 2;
  }
  const options: LoadOptions = { contexts };
  if (values.language.length > 0) options.languages = values.language;
  if (values.scope.length > 0) options.scopes = values.scope as OboScope[];
  async function* readAll(): AsyncGenerator<OntologyRecord> {
    for (let i = 0; i < positionals.length; i++) yield* loadOntology(positionals[i], formats[i]!, options);
  }

  if (values.url !== undefined)
    return loadIntoService(values.url, values["api-key"], lexicon, readAll(), commitEvery ?? 100, log);

  const store = LexiconStore.open(values["data-dir"]);
  const started = performance.now();
  const staged: string[] = [];
  let records = 0;
  let names = 0;
  let committed = 0;
  let batch: StoredEntry[] = [];
  const progress = new Progress("soda load", "records");
  // All or nothing (the default): one bulk load, no staging. --commit-every: staged batches.
  let bulk: BulkLoad | undefined;
  const flush = () => {
    if (batch.length === 0) return;
    if (bulk) bulk.add(batch);
    else {
      store.add(lexicon, batch);
      for (const e of batch) staged.push(e.id);
    }
    batch = [];
  };
  try {
    if (!commitEvery) bulk = store.beginBulk(lexicon);
    for await (const r of readAll()) {
      batch.push(r);
      records++;
      names += r.names.length;
      if (batch.length >= 1000) flush();
      if (commitEvery && records % commitEvery === 0) {
        flush();
        committed += store.commit(lexicon);
        staged.length = 0;
      }
      progress.update({ done: records });
    }
    flush();
    committed += bulk ? bulk.finish() : store.commit(lexicon);
  } catch (e) {
    progress.done();
    if (bulk) bulk.abort();
    else store.unstage(lexicon, staged);
    store.close();
    const err = e as { code?: string; message?: string };
    log(
      `soda load: ${err.code ? `${err.code}: ` : ""}${err.message ?? String(e)}\n` +
        (commitEvery
          ? `${committed} records committed before the failure were kept; the rest were discarded`
          : "nothing was committed: the lexicon is as it was"),
    );
    return 1;
  }
  progress.done();
  const seconds = (performance.now() - started) / 1000;
  const total = store.list().find((l) => l.lexicon === lexicon)?.count ?? 0;
  store.close();
  log(
    `soda load: ${records} records, ${names} names into ${JSON.stringify(lexicon)} in ${seconds.toFixed(2)} s ` +
      `(${Math.round(records / Math.max(seconds, 1e-9))} records/s); the lexicon has ${total} entries`,
  );
  return 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      lexicon: { type: "string" },
      format: { type: "string" },
      "data-dir": { type: "string", default: "./data" },
      url: { type: "string" },
      "api-key": { type: "string" },
      "commit-every": { type: "string" },
      context: { type: "string", multiple: true, default: [] },
      language: { type: "string", multiple: true, default: [] },
      scope: { type: "string", multiple: true, default: [] },
      help: { type: "boolean", default: false },
    },
  });
}

/**
 * `soda load --url`: records into the service with add.json (the `entries` extension), a request per
 * `commitEvery` records with `commit: true` (1000 records and no commit per request when 0), then a
 * commit-only call at the end. One request at a time: the store applies them in order, so a name that
 * comes twice ends with its last version, as with --data-dir.
 */
async function loadIntoService(
  url: string,
  apiKey: string | undefined,
  lexicon: string,
  input: AsyncIterable<OntologyRecord>,
  commitEvery: number,
  log: (line: string) => void,
): Promise<number> {
  let client: SodaClient;
  try {
    client = new SodaClient({ url, connections: 1, ...(apiKey === undefined ? {} : { apiKey }) });
  } catch (e) {
    log(`soda load: --url: ${(e as Error).message}`);
    return 2;
  }
  const started = performance.now();
  const progress = new Progress("soda load", "records");
  const size = commitEvery || 1000;
  let batch: { id: string; names: string[] }[] = [];
  let records = 0;
  let names = 0;
  let committed = 0;
  const send = async (commit: boolean) => {
    const r = await client.add({ lexicon, entries: batch, commit });
    batch = [];
    if (commit) committed = records;
    return r;
  };
  try {
    for await (const r of input) {
      batch.push({ id: r.id, names: r.names });
      records++;
      names += r.names.length;
      if (batch.length >= size) await send(commitEvery > 0);
      progress.update({ done: records });
    }
    if (batch.length > 0) await send(true);
    else await client.add({ lexicon, commit: true });
    committed = records;
  } catch (e) {
    progress.done();
    await client.close();
    const err = e as { code?: string; message?: string };
    log(
      `soda load: ${err.code ? `${err.code}: ` : ""}${err.message ?? String(e)}\n` +
        `${committed} records committed before the failure were kept` +
        (isSodaClientError(e) ? "; run the same command again to load the rest (adding is an upsert)" : ""),
    );
    return 1;
  }
  progress.done();
  const seconds = (performance.now() - started) / 1000;
  const total = (await client.dicts()).lexicons.find((l) => l.lexicon === lexicon)?.count ?? 0;
  await client.close();
  log(
    `soda load: ${records} records, ${names} names into ${JSON.stringify(lexicon)} at ${url} in ${seconds.toFixed(2)} s ` +
      `(${Math.round(records / Math.max(seconds, 1e-9))} records/s); the lexicon has ${total} entries`,
  );
  return 0;
}
