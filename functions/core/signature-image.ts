import { PNG } from "pngjs";
import { SignatureImageInvalidError } from "./errors.js";
import { MAX_SIGNATURE_IMAGE_CHARS } from "./report.js";

/** A signature pad canvas is a few hundred pixels wide; larger images are not drawn signatures. */
export const MAX_SIGNATURE_WIDTH = 4000;
export const MAX_SIGNATURE_HEIGHT = 2000;

/**
 * Why a signature image cannot be printed on a report card, or undefined when it decodes as a
 * whole PNG within the bounds. The prefix alone is not enough: pdfkit refuses a corrupt PNG at
 * the payment cut-off, and one such image used to stop the whole programme's payment (issue 13).
 */
export function signatureImageProblem(dataUrl: string): string | undefined {
  const comma = dataUrl.indexOf(",");
  if (!dataUrl.startsWith("data:image/png;base64,") || comma < 0) return "not a PNG data URL";
  let image: { width: number; height: number };
  try {
    image = PNG.sync.read(Buffer.from(dataUrl.slice(comma + 1), "base64"));
  } catch (error) {
    return `not a valid PNG image (${(error as Error).message})`;
  }
  if (image.width < 1 || image.height < 1 || image.width > MAX_SIGNATURE_WIDTH || image.height > MAX_SIGNATURE_HEIGHT) {
    return `${image.width}×${image.height} px is outside 1×1…${MAX_SIGNATURE_WIDTH}×${MAX_SIGNATURE_HEIGHT} px`;
  }
  return undefined;
}

/**
 * Refuses a drawn signature whose image would not print. Called by the signature route rather
 * than inside `addSignature`, so the PNG decoder is bundled only where a signature is taken.
 */
export function assertSignatureImage(signature: { imageDataUrl?: unknown }): void {
  const image = signature.imageDataUrl;
  // a missing, malformed or oversized value is refused by the schema and `addSignature`, with their own messages
  if (typeof image !== "string" || !image.startsWith("data:image/png;base64,") || image.length > MAX_SIGNATURE_IMAGE_CHARS) return;
  const problem = signatureImageProblem(image);
  if (problem) throw new SignatureImageInvalidError(problem);
}

/**
 * The signature as pdfkit embeds it in one go: flattened onto white paper, without an alpha
 * channel. pdfkit splits a PNG's alpha channel in an asynchronous zlib callback, so with two
 * signatures on a card the object numbers followed whichever inflate finished first and the
 * same card came out in different bytes; an opaque PNG is embedded synchronously, every time
 * the same. Only images `signatureImageProblem` accepted reach the card.
 */
export function opaqueSignaturePng(png: Uint8Array): Buffer {
  let image: PNG;
  try {
    image = PNG.sync.read(Buffer.from(png));
  } catch (error) {
    throw new Error(`The signature image is not a valid PNG (${(error as Error).message})`);
  }
  const { width, height, data } = image;
  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0, o = 0; i < data.length; i += 4, o += 3) {
    const alpha = data[i + 3];
    // the pixel over white: c·a + 255·(1 − a), rounded as integers
    for (let c = 0; c < 3; c++) rgb[o + c] = Math.round((data[i + c] * alpha + 255 * (255 - alpha)) / 255);
  }
  return PNG.sync.write({ width, height, data: rgb } as unknown as PNG, { colorType: 2, inputColorType: 2, inputHasAlpha: false });
}
