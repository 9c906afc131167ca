import { useEffect, useRef, useState } from "react";
import SignaturePad from "signature_pad";
import { useT } from "../i18n/i18n";

/**
 * A drawing surface for a signature (finger, stylus or mouse). Drawing a signature depends on
 * the path of the movement, which WCAG 2.1.1 exempts from keyboard operation; the buttons
 * around it are keyboard operable.
 */
export function SignatureCanvas({ id, label, onChange }: { id: string; label: string; onChange(dataUrl: string | undefined): void }) {
  const t = useT();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const padRef = useRef<SignaturePad>();
  const [empty, setEmpty] = useState(true);

  useEffect(() => {
    const canvas = canvasRef.current!;
    const ratio = Math.min(window.devicePixelRatio || 1, 2);
    const fit = () => {
      const width = canvas.offsetWidth;
      const height = canvas.offsetHeight;
      canvas.width = width * ratio;
      canvas.height = height * ratio;
      canvas.getContext("2d")!.scale(ratio, ratio);
      padRef.current?.clear();
      setEmpty(true);
      onChange(undefined);
    };
    const pad = new SignaturePad(canvas, { penColor: "#111", minWidth: 0.8, maxWidth: 2.4 });
    padRef.current = pad;
    fit();
    const ended = () => {
      const isEmpty = pad.isEmpty();
      setEmpty(isEmpty);
      onChange(isEmpty ? undefined : pad.toDataURL("image/png"));
    };
    pad.addEventListener("endStroke", ended);
    let lastWidth = canvas.offsetWidth;
    const resize = () => {
      // Phones fire resize when the address bar hides; only a real width change clears the pad.
      if (canvas.offsetWidth !== lastWidth) {
        lastWidth = canvas.offsetWidth;
        fit();
      }
    };
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      pad.removeEventListener("endStroke", ended);
      pad.off();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div className="signature">
      <canvas ref={canvasRef} id={id} className="signature-canvas" role="img" aria-label={label} data-empty={empty} />
      <button
        type="button"
        className="button secondary small"
        disabled={empty}
        onClick={() => {
          padRef.current?.clear();
          setEmpty(true);
          onChange(undefined);
        }}
      >
        {t("sign.clear")}
      </button>
    </div>
  );
}

/** The server's bound on a signature image (core MAX_SIGNATURE_IMAGE_CHARS); it refuses a larger one with its own message. */
const MAX_IMAGE_CHARS = 100_000;

/**
 * A photo of the signed paper as a black-and-white PNG small enough for the report: scaled to at
 * most 1200 px wide, then halved in area until it fits. Made on the device (no upload of the
 * original photo, which may show more than the signature).
 */
export async function paperScanPng(file: Blob): Promise<string> {
  const bitmap = await createImageBitmap(file);
  let width = Math.min(1200, bitmap.width);
  for (;;) {
    const height = Math.max(1, Math.round((bitmap.height * width) / bitmap.width));
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext("2d")!;
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(bitmap, 0, 0, width, height);
    const pixels = ctx.getImageData(0, 0, width, height);
    const d = pixels.data;
    for (let i = 0; i < d.length; i += 4) {
      const ink = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2] < 140 ? 0 : 255;
      d[i] = d[i + 1] = d[i + 2] = ink;
      d[i + 3] = 255;
    }
    ctx.putImageData(pixels, 0, 0);
    const url = canvas.toDataURL("image/png");
    if (url.length <= MAX_IMAGE_CHARS || width <= 200) return url;
    width = Math.round(width * 0.7);
  }
}

/**
 * The alternative to drawing, for someone who cannot sign on the screen: the paper signed by hand
 * and photographed (the programme's `paper_scan` evidence). A file input: keyboard operable, and
 * on a phone it offers the camera.
 */
export function PaperScanInput({ id, label, onChange }: { id: string; label: string; onChange(dataUrl: string | undefined): void }) {
  const t = useT();
  const [preview, setPreview] = useState<string>();
  const [failed, setFailed] = useState(false);
  return (
    <div className="field paper-scan">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="file"
        accept="image/*"
        capture="environment"
        aria-describedby={`${id}-hint`}
        onChange={async (e) => {
          const file = e.target.files?.[0];
          setFailed(false);
          if (!file) return;
          try {
            const url = await paperScanPng(file);
            setPreview(url);
            onChange(url);
          } catch {
            setFailed(true);
            setPreview(undefined);
            onChange(undefined);
          }
        }}
      />
      <p id={`${id}-hint`} className="hint">
        {t("sign.scanHint")}
      </p>
      {failed && <p className="field-error">{t("sign.scanUnreadable")}</p>}
      {preview && <img src={preview} alt={t("sign.scanPreview")} className="signature-image" />}
    </div>
  );
}
