import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import type { OntologyRecord } from "../../ontologies/index.js";

export const FIXTURES = fileURLToPath(new URL("../fixtures/ontologies/", import.meta.url));
export const MESH_SAMPLES = fileURLToPath(new URL("../../ontologies/samples/mesh/", import.meta.url));

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

export function meshSample(name: string): string {
  return join(MESH_SAMPLES, name);
}

export async function collect(records: AsyncIterable<OntologyRecord>): Promise<OntologyRecord[]> {
  const out: OntologyRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}

export function byId(records: OntologyRecord[]): Map<string, OntologyRecord> {
  return new Map(records.map((r) => [r.id, r]));
}

export function nameCount(records: OntologyRecord[]): number {
  return records.reduce((n, r) => n + r.names.length, 0);
}

/** A temporary directory removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "soda-ontologies-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `records` to the end and returns what it threw (fails when it did not throw). */
export async function failure(
  records: AsyncIterable<OntologyRecord>,
): Promise<{ error: unknown; yielded: number }> {
  let yielded = 0;
  try {
    for await (const _ of records) yielded++;
  } catch (error) {
    return { error, yielded };
  }
  throw new Error(`expected an error, got ${yielded} records`);
}
