import { batchLineOf, reportCardOf, type SetAside } from "./batch.js";
import { ReportCard } from "./exports/model.js";
import type { Programme } from "./programme.js";
import type { Report } from "./report.js";
import { signatureImageProblem } from "./signature-image.js";

/** Who acts on a set-aside (the batch step), recorded as the report's `decidedBy` and in the audit trail. */
export const SYSTEM_ACTOR = "karta-system";

const ROLE = { assistant: { pl: "asystenta", en: "assistant's" }, beneficiary: { pl: "uczestnika", en: "beneficiary's" } } as const;

/**
 * Why the payment files cannot print this approved version, or undefined when they can: every
 * drawn signature must decode as a whole PNG within bounds (pdfkit stops on a corrupt one), the
 * version must be priced, and its report card must satisfy the card's schema (what the PDF
 * writer reads). Checked per report before it is claimed, so one report never stops a batch.
 */
export function printProblem(report: Report, programme: Programme): SetAside["problem"] | undefined {
  for (const signature of report.signatures) {
    const problem = signature.imageDataUrl === undefined ? undefined : signatureImageProblem(signature.imageDataUrl);
    if (problem) {
      const role = ROLE[signature.role];
      return {
        pl: `Obraz podpisu ${role.pl} jest uszkodzony i nie da się go wydrukować na karcie sprawozdania (${problem}). Zbierz ponownie oba podpisy i złóż sprawozdanie jeszcze raz.`,
        en: `The ${role.en} signature image is damaged and cannot be printed on the report card (${problem}). Collect both signatures again and submit the report again.`,
      };
    }
  }
  let line: ReturnType<typeof batchLineOf>;
  try {
    line = batchLineOf(report, programme, "print-check");
  } catch (error) {
    return unreadable((error as Error).message);
  }
  const card = ReportCard.safeParse(reportCardOf(report, line, { programme, assistantName: report.assistantId, approverName: line.approvedBy }));
  if (!card.success) return unreadable(card.error.issues.map((i) => i.path.join(".")).join(", "));
  return undefined;
}

function unreadable(detail: string): SetAside["problem"] {
  return {
    pl: `Sprawozdania nie da się wydrukować w plikach płatności (${detail}). Sprawdź sprawozdanie, zbierz ponownie oba podpisy i złóż je jeszcze raz; jeśli błąd się powtórzy, zgłoś go administratorowi.`,
    en: `The report cannot be printed in the payment files (${detail}). Check the report, collect both signatures again and submit it again; if this happens again, tell the administrator.`,
  };
}

/** The reason a set-aside report is returned with, as the assistant reads it (Polish, then English). */
export function setAsideReason(problem: SetAside["problem"]): string {
  return `${problem.pl} / ${problem.en}`.slice(0, 2000);
}
