import { describe, expect, it } from "vitest";
import { PNG } from "pngjs";
import { signatureImageProblem } from "../../functions/core/signature-image.js";
import { SignatureImageInvalidError } from "../../functions/core/errors.js";
import { signaturePng } from "../fixtures/exports/batch.js";

const dataUrl = (bytes: Buffer) => `data:image/png;base64,${bytes.toString("base64")}`;
const blank = (width: number, height: number) => PNG.sync.write(new PNG({ width, height }));

describe("signature image check at intake", () => {
  it.each([
    ["a pad-sized signature (120×40)", signaturePng()],
    ["a 1×1 PNG", blank(1, 1)],
    ["a phone canvas at 3× density (1200×600)", blank(1200, 600)],
  ])("accepts %s", (_, bytes) => {
    expect(signatureImageProblem(dataUrl(bytes))).toBeUndefined();
  });

  it.each([
    ["text that is not a PNG", Buffer.from("not a png")],
    ["a PNG cut in half (valid magic bytes)", signaturePng().subarray(0, Math.floor(signaturePng().length / 2))],
    ["only the PNG magic bytes", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ["an image wider than any signature pad", blank(4001, 10)],
  ])("refuses %s and says why", (_, bytes) => {
    expect(signatureImageProblem(dataUrl(bytes))).toMatch(/PNG|px/);
  });

  it("names the problem in Polish and English", () => {
    const error = new SignatureImageInvalidError("not a valid PNG image");
    expect(error.code).toBe("SIGNATURE_IMAGE_INVALID");
    expect(error.status).toBe(400);
    expect(error.messages.pl).toMatch(/podpisz się ponownie/);
    expect(error.messages.en).toMatch(/sign again/);
  });
});
