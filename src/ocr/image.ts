import sharp from "sharp";

/** A decoded page: 8-bit RGB pixels, row by row. */
export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
}

/** The image could not be decoded (not an image, or a format sharp does not read). */
export class ImageDecodeError extends Error {
  readonly code = "SODA_ERR_IMAGE";

  /** What the decoder said. */
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = "ImageDecodeError";
  }
}

/**
 * Decodes a file path or encoded bytes (PNG, JPEG, TIFF, WebP, GIF, AVIF…) to RGB: EXIF orientation
 * applied, transparency laid over white (a transparent page background must not turn black), grey
 * expanded to three channels. Only the first page of a multi-page file is read.
 */
export async function decodeImage(input: string | Buffer): Promise<RgbImage> {
  try {
    const { data, info } = await sharp(input, { limitInputPixels: 20_000 * 20_000 })
      .rotate()
      .flatten({ background: "#ffffff" })
      .toColourspace("srgb")
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels === 3) return { data, width: info.width, height: info.height };
    const rgb = Buffer.alloc(info.width * info.height * 3);
    for (let i = 0, j = 0; i < data.length; i += info.channels, j += 3) {
      rgb[j] = data[i];
      rgb[j + 1] = data[i + (info.channels > 1 ? 1 : 0)];
      rgb[j + 2] = data[i + (info.channels > 2 ? 2 : 0)];
    }
    return { data: rgb, width: info.width, height: info.height };
  } catch (e) {
    const what = typeof input === "string" ? input : `${input.length} bytes`;
    const reason = (e as Error).message;
    throw new ImageDecodeError(`cannot decode the image (${what}): ${reason}`, reason);
  }
}

/** A pixel rectangle: left and top inclusive, `width × height` pixels. */
export interface PixelRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * The smallest rectangle holding every pixel that stands out from the page's background, grown by
 * `margin` pixels on each side and clipped to the image; undefined for a blank page. The background is
 * the most common luma (sampled on a grid); a pixel stands out when its luma differs from it by more
 * than 48. Lets detection skip a page's empty margins. O(width × height), one pass.
 */
export function inkBounds(img: RgbImage, margin: number): PixelRect | undefined {
  const { data, width, height } = img;
  const luma = (p: number) => (data[p] * 77 + data[p + 1] * 150 + data[p + 2] * 29) >> 8;
  const hist = new Uint32Array(256);
  for (let y = 0; y < height; y += 4) for (let x = 0; x < width; x += 4) hist[luma((y * width + x) * 3)]++;
  let bg = 0;
  for (let v = 1; v < 256; v++) if (hist[v] > hist[bg]) bg = v;
  const ink = new Uint8Array(256);
  for (let v = 0; v < 256; v++) ink[v] = Math.abs(v - bg) > 48 ? 1 : 0;
  let x0 = width;
  let x1 = -1;
  let y0 = height;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    let first = -1;
    for (let x = 0; x < width; x++)
      if (ink[luma(row + x * 3)]) {
        first = x;
        break;
      }
    if (first < 0) continue;
    let last = first;
    for (let x = width - 1; x > first; x--)
      if (ink[luma(row + x * 3)]) {
        last = x;
        break;
      }
    if (y0 === height) y0 = y;
    y1 = y;
    if (first < x0) x0 = first;
    if (last > x1) x1 = last;
  }
  if (x1 < 0) return undefined;
  const left = Math.max(0, x0 - margin);
  const top = Math.max(0, y0 - margin);
  return {
    left,
    top,
    width: Math.min(width, x1 + 1 + margin) - left,
    height: Math.min(height, y1 + 1 + margin) - top,
  };
}
