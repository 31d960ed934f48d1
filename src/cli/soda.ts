#!/usr/bin/env node
// Each command is imported when it runs: `soda annotate` need not load Fastify, ONNX Runtime or sharp
// (the eager imports cost about 0.65 CPU-second of start-up).

const USAGE = `soda: dictionary-based entity recognition

usage: soda <command> [options]

commands:
  serve       run the SoDA-compatible HTTP service on a data directory (soda serve --help)
  load        load ontology files (MeSH XML/RDF, JSON-LD, SKOS, OBO, TSV) into a data directory
  annotate    tag JSONL documents against lexicons, in-process (soda annotate --help)
  ocr         read page images (or hOCR) into text with word boxes, tag them, redact entities
  demo        compile the bundled countries list and show lookups, prefix and fuzzy search
  fst         build, inspect and query automaton files (soda fst --help)
`;

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "demo":
      return (await import("./demo.js")).demoCommand(out);
    case "fst":
      return (await import("./fst-command.js")).fstCommand(rest, out);
    case "serve":
      return (await import("../../services/soda/cli.js")).serveCommand(rest);
    case "ocr":
      return (await import("../ocr/cli.js")).ocrCommand(rest);
    case "load":
      return (await import("./load-command.js")).loadCommand(rest, (line) => console.error(line));
    case "annotate":
      return (await import("./annotate-command.js")).annotateCommand(rest, (line) => console.error(line));
    case undefined:
    case "help":
    case "--help":
    case "-h":
      out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      out(`soda: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const e = err as { code?: string; message?: string };
    console.error(`soda: ${e.code ? `${e.code}: ` : ""}${e.message ?? String(err)}`);
    process.exitCode = 1;
  },
);
