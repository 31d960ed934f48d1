import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import { annotatePage } from "../../../src/ocr/boxes.js";
import { createOcr, type Ocr } from "../../../src/ocr/engine.js";
import { ImageDecodeError } from "../../../src/ocr/image.js";
import { sodaError } from "../errors.js";
import { servedMode } from "../modes.js";
import { KNOWN_MODES, okStatus, responses } from "../schemas.js";

/** Options of {@link ocrRoute}. */
export interface OcrRouteOptions {
  /** Largest image accepted, in bytes (413 beyond). @default 20 MiB */
  fileSizeLimit?: number;
  /** ONNX Runtime threads per page. @default min(4, cores) */
  threads?: number;
}

const box = {
  type: "object",
  required: ["x", "y", "w", "h"],
  properties: { x: { type: "number" }, y: { type: "number" }, w: { type: "number" }, h: { type: "number" } },
} as const;

const boxes = { type: "array", items: box, description: "one box per line of the mention" } as const;

/** The response of `POST /soda/ocr.json` (also what the OpenAPI document shows). */
export const ocrResponseSchema = {
  type: "object",
  required: ["status", "width", "height", "text", "words", "annotations"],
  properties: {
    status: okStatus,
    width: { type: "integer" },
    height: { type: "integer" },
    text: { type: "string", description: 'the page text: lines in reading order, joined by "\\n"' },
    words: {
      type: "array",
      items: {
        type: "object",
        required: ["text", "box", "confidence", "begin", "end"],
        properties: {
          text: { type: "string" },
          box,
          confidence: { type: "number" },
          begin: { type: "integer", description: "UTF-16 offset into text" },
          end: { type: "integer", description: "UTF-16 offset into text, exclusive" },
        },
      },
    },
    annotations: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "lexicon", "begin", "end", "coveredText", "confidence", "boxes"],
        properties: {
          id: { type: "string" },
          lexicon: { type: "string" },
          begin: { type: "integer" },
          end: { type: "integer" },
          coveredText: { type: "string" },
          confidence: { type: "number" },
          synonym: { type: "string" },
          matching: { type: "string" },
          boxes,
        },
      },
    },
  },
} as const;

const schema = {
  summary: "OCR a page image, then annotate its text (extension)",
  description:
    "multipart/form-data: field `image` (PNG, JPEG, TIFF, WebP, GIF), optional fields `lexicon` (a name, " +
    'names separated by commas, or "*") and `matching` (default `exact`). Answers the page text, its words ' +
    "with boxes in pixels, and, given a lexicon, annotations with the boxes of each mention.",
  consumes: ["multipart/form-data"],
  response: responses(ocrResponseSchema),
};

/** `POST /soda/ocr.json`: a page image in (multipart), text, words and boxed annotations out. */
export async function ocrRoute(app: FastifyInstance, opts: OcrRouteOptions = {}): Promise<void> {
  const fileSize = opts.fileSizeLimit ?? 20 * 1024 * 1024;
  await app.register(multipart, { limits: { fileSize, files: 1, fields: 10, fieldSize: 64 * 1024 } });
  // The models load on the first request (about half a second) and stay loaded.
  let engine: Promise<Ocr> | undefined;
  app.addHook("onClose", async () => {
    if (engine) await (await engine).close();
  });

  app.post("/soda/ocr.json", { schema, config: { tagging: true } }, async (request) => {
    if (!request.isMultipart())
      throw sodaError("SODA_ERR_VALIDATION", {
        detail: 'send multipart/form-data with the page image in the field "image"',
      });
    let image: Buffer | undefined;
    const fields: Record<string, string> = {};
    try {
      for await (const part of request.parts()) {
        if (part.type === "file") {
          if (part.fieldname === "image" && image === undefined) image = await part.toBuffer();
          else await part.toBuffer();
        } else if (typeof part.value === "string") fields[part.fieldname] = part.value;
      }
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === "FST_REQ_FILE_TOO_LARGE") throw sodaError("SODA_ERR_BODY_TOO_LARGE", { limit: fileSize });
      if (code === "FST_FILES_LIMIT" || code === "FST_FIELDS_LIMIT" || code === "FST_PARTS_LIMIT")
        throw sodaError("SODA_ERR_VALIDATION", {
          detail: 'send one file (field "image") and at most 10 fields',
        });
      throw e;
    }
    if (!image || image.length === 0)
      throw sodaError("SODA_ERR_VALIDATION", { detail: 'the file field "image" is required' });
    const matching = fields.matching ?? "exact";
    if (!(KNOWN_MODES as readonly string[]).includes(matching))
      throw sodaError("SODA_ERR_UNKNOWN_MODE", {
        mode: JSON.stringify(matching),
        modes: KNOWN_MODES.join(", "),
      });
    const mode = servedMode(matching, "ocr.json");
    const selector = fields.lexicon?.trim();
    const lexicons =
      selector === undefined || selector === ""
        ? []
        : app.resolveLexicons(selector === "*" ? "*" : selector.split(",").map((s) => s.trim()));
    engine ??= createOcr(opts.threads === undefined ? {} : { threads: opts.threads });
    let page: Awaited<ReturnType<Ocr["recognize"]>>;
    try {
      page = await (await engine).recognize(image);
    } catch (e) {
      if (e instanceof ImageDecodeError) throw sodaError("SODA_ERR_IMAGE", { detail: e.reason });
      throw e;
    }
    return {
      status: "ok",
      width: page.width,
      height: page.height,
      text: page.text,
      words: page.words,
      annotations: lexicons.length > 0 ? annotatePage(app.annotator, page, lexicons, mode) : [],
    };
  });
}
