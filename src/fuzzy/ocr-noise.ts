/**
 * A synthetic OCR-noise generator for tests: confusable glyphs (m→rn, d→cl, w→vv, h→li, l→1/I/|, o→0,
 * s→5, b→8, e→c…), dropped or doubled letters, words split by a space, words run together, words broken
 * by a hyphen across lines, and case noise. Deterministic for a seed.
 */
export interface OcrNoiseOptions {
  /** Seed of the pseudo-random generator. @default 1 */
  seed?: number;
  /** Chance per letter of a glyph confusion. @default 0.04 */
  glyph?: number;
  /** Chance per letter of a dropped or doubled letter. @default 0.005 */
  indel?: number;
  /** Chance per word of a split by a space. @default 0.02 */
  split?: number;
  /** Chance per space of words run together. @default 0.02 */
  join?: number;
  /** Chance per word of a hyphenated line break inside it. @default 0.02 */
  hyphen?: number;
  /** Chance per letter of a case flip. @default 0.01 */
  caseFlip?: number;
}

const CONFUSIONS: Record<string, string[]> = {
  m: ["rn", "in"],
  d: ["cl"],
  w: ["vv"],
  h: ["li", "b"],
  l: ["1", "I", "|", "i"],
  i: ["l", "1", "j"],
  o: ["0", "c"],
  s: ["5"],
  b: ["8", "h"],
  e: ["c", "o"],
  c: ["e"],
  g: ["9", "q"],
  n: ["ri", "u"],
  u: ["v", "n"],
  t: ["f", "l"],
  a: ["o", "u"],
  f: ["t"],
  z: ["2"],
};

/** A small deterministic generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `text` with OCR-like noise. */
export function ocrNoise(text: string, options: OcrNoiseOptions = {}): string {
  const rnd = random(options.seed ?? 1);
  const glyph = options.glyph ?? 0.04;
  const indel = options.indel ?? 0.005;
  const split = options.split ?? 0.02;
  const join = options.join ?? 0.02;
  const hyphen = options.hyphen ?? 0.02;
  const caseFlip = options.caseFlip ?? 0.01;
  return text.replace(/(\p{L}+)|( )/gu, (m, word: string | undefined) => {
    if (word === undefined) return rnd() < join ? "" : m;
    let out = "";
    for (const ch of word) {
      const r = rnd();
      const lower = ch.toLowerCase();
      if (r < glyph && CONFUSIONS[lower]) {
        const opts = CONFUSIONS[lower];
        out += opts[Math.floor(rnd() * opts.length)];
      } else if (r < glyph + indel / 2) {
        // dropped
      } else if (r < glyph + indel) out += ch + ch;
      else if (rnd() < caseFlip) out += ch === lower ? ch.toUpperCase() : lower;
      else out += ch;
    }
    if (out.length >= 6) {
      const cut = 2 + Math.floor(rnd() * (out.length - 4));
      const r = rnd();
      if (r < split) out = `${out.slice(0, cut)} ${out.slice(cut)}`;
      else if (r < split + hyphen) out = `${out.slice(0, cut)}-\n${out.slice(cut)}`;
    }
    return out;
  });
}
