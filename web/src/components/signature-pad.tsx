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
