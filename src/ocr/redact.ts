import sharp, { type OverlayOptions } from "sharp";
import type { Box } from "./types.js";

/**
 * A copy of the page image with every box filled (black by default), written to `output` (format from
 * its extension) or returned as PNG bytes when `output` is undefined. Boxes are clipped to the page and
 * grown by `margin` pixels on every side.
 */
export async function redactImage(
  image: string | Buffer,
  boxes: readonly Box[],
  options: { output?: string; margin?: number; color?: string } = {},
): Promise<Buffer | undefined> {
  const { data, info } = await sharp(image).rotate().raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  const base = sharp(data, { raw: { width, height, channels } });
  const margin = options.margin ?? 2;
  const color = options.color ?? "#000000";
  const overlays: OverlayOptions[] = [];
  for (const b of boxes) {
    const x0 = Math.max(0, Math.floor(b.x - margin));
    const y0 = Math.max(0, Math.floor(b.y - margin));
    const x1 = Math.min(width, Math.ceil(b.x + b.w + margin));
    const y1 = Math.min(height, Math.ceil(b.y + b.h + margin));
    if (x1 <= x0 || y1 <= y0) continue;
    overlays.push({
      input: { create: { width: x1 - x0, height: y1 - y0, channels: 4, background: color } },
      left: x0,
      top: y0,
    });
  }
  const out = base.composite(overlays);
  if (options.output) {
    await out.toFile(options.output);
    return undefined;
  }
  return out.png().toBuffer();
}
