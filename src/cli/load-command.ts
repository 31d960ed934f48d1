import { parseArgs } from "node:util";
import {
  guessOntologyFormat,
  type LoadOptions,
  loadOntology,
  type OboScope,
  ONTOLOGY_FORMATS,
  type OntologyFormat,
} from "../../ontologies/index.js";
import { LexiconStore, type StoredEntry } from "../lexicon/store.js";

const USAGE = `usage: soda load --lexicon NAME [--format FORMAT] [--data-dir DIR] [--commit-every N]
                 [--context URL=FILE]… [--language TAG]… [--scope SCOPE]… FILE…

  Loads ontology files into a lexicon of the data directory (default ./data).
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
  const commitEvery = values["commit-every"] === undefined ? 0 : Number(values["commit-every"]);
  if (!Number.isInteger(commitEvery) || commitEvery < 0)
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

  const store = LexiconStore.open(values["data-dir"]);
  const started = performance.now();
  const staged: string[] = [];
  let records = 0;
  let names = 0;
  let committed = 0;
  let batch: StoredEntry[] = [];
  const progress = new Progress();
  const flush = () => {
    if (batch.length === 0) return;
    store.add(lexicon, batch);
    for (const e of batch) staged.push(e.id);
    batch = [];
  };
  try {
    for (let i = 0; i < positionals.length; i++) {
      for await (const r of loadOntology(positionals[i], formats[i]!, options)) {
        batch.push(r);
        records++;
        names += r.names.length;
        if (batch.length >= 1000) flush();
        if (commitEvery > 0 && records % commitEvery === 0) {
          flush();
          committed += store.commit(lexicon);
          staged.length = 0;
        }
        progress.tick(records, started);
      }
    }
    flush();
    committed += store.commit(lexicon);
  } catch (e) {
    progress.done();
    store.unstage(lexicon, staged);
    store.close();
    const err = e as { code?: string; message?: string };
    log(
      `soda load: ${err.code ? `${err.code}: ` : ""}${err.message ?? String(e)}\n` +
        (commitEvery > 0
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
      "commit-every": { type: "string" },
      context: { type: "string", multiple: true, default: [] },
      language: { type: "string", multiple: true, default: [] },
      scope: { type: "string", multiple: true, default: [] },
      help: { type: "boolean", default: false },
    },
  });
}

/** A one-line progress display (records, records/s) on a terminal's stderr, at most every 200 ms. */
class Progress {
  private last = 0;
  private shown = false;

  tick(records: number, started: number): void {
    if (!process.stderr.isTTY) return;
    const now = performance.now();
    if (now - this.last < 200) return;
    this.last = now;
    this.shown = true;
    const rate = Math.round(records / ((now - started) / 1000));
    process.stderr.write(`\rsoda load: ${records} records, ${rate} records/s   `);
  }

  done(): void {
    if (this.shown) process.stderr.write("\n");
  }
}
