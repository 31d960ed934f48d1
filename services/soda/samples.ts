import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FastifyBaseLogger } from "fastify";
import { loadOntology, type OntologyFormat } from "../../ontologies/index.js";
import type { LexiconStore, StoredEntry } from "../../src/lexicon/store.js";

/** A sample lexicon shipped in `ontologies/samples`. */
interface Sample {
  lexicon: string;
  file: string;
  format: OntologyFormat;
}

const SAMPLES: readonly Sample[] = [
  { lexicon: "countries", file: "countries.tsv", format: "tsv" },
  { lexicon: "mesh", file: "mesh/desc2014-head.xml", format: "mesh-xml" },
  { lexicon: "mesh", file: "mesh/supp2014-head.xml", format: "mesh-xml" },
  { lexicon: "mesh", file: "mesh/qual2014.xml", format: "mesh-xml" },
];

/**
 * The directory of the sample ontologies: `ontologies/samples` at the package root, found from this
 * file whether it runs from the sources or from `dist/`.
 */
function samplesDir(): string | undefined {
  for (const up of ["../../ontologies/samples/", "../../../ontologies/samples/"]) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  return undefined;
}

/**
 * The embedded default: when the store has no lexicon at all, loads the sample lexicons (countries, and
 * MeSH descriptors, supplementary concepts and qualifiers) and commits them, so a new user sees
 * annotations at once. A store with any lexicon is left alone. Returns the lexicons loaded.
 */
export async function loadSamplesIfEmpty(store: LexiconStore, log: FastifyBaseLogger): Promise<string[]> {
  if (store.names().length > 0) return [];
  const dir = samplesDir();
  if (!dir) {
    log.warn("sample ontologies not found: starting with no lexicons");
    return [];
  }
  const loaded = new Set<string>();
  for (const s of SAMPLES) {
    const batch: StoredEntry[] = [];
    for await (const r of loadOntology(dir + s.file, s.format))
      batch.push({ id: r.id, names: r.names, ...(r.attributes ? { attributes: r.attributes } : {}) });
    store.add(s.lexicon, batch);
    loaded.add(s.lexicon);
  }
  for (const l of loaded) store.commit(l);
  log.info({ lexicons: store.list() }, "loaded the sample lexicons into an empty data directory");
  return [...loaded];
}
