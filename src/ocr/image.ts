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
