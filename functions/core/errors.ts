import type { ZodError } from "zod";
import { displayDateTime, displaySpan } from "./calendar.js";
import { fieldMessages, type FieldIssue } from "./field-messages.js";

export type Lang = "pl" | "en";
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 422;
export type Messages = { pl: string; en: string };

/** A broken business rule: a stable code, the HTTP answer and a pl/en message that says what to fix. */
export class DomainError extends Error {
  readonly code: string;
  readonly status: ErrorStatus;
  readonly messages: Messages;
  readonly details?: unknown;

  constructor(code: string, status: ErrorStatus, messages: Messages, options: { details?: unknown; cause?: unknown } = {}) {
    super(messages.en, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.messages = messages;
    if (options.details !== undefined) this.details = options.details;
  }
}

/** The message of a domain error in the reader's language; other errors get a generic text. */
export function messageFor(error: unknown, lang: Lang): string {
  if (error instanceof DomainError) return error.messages[lang];
  return lang === "pl"
    ? "Wystąpił nieoczekiwany błąd. Spróbuj ponownie; jeśli się powtarza, zgłoś go administratorowi."
    : "An unexpected error occurred. Try again; if it persists, report it to the administrator.";
}

const path = (p: PropertyKey[]) => (p.length ? p.map(String).join(".") : "(root)");

// ---- generic -------------------------------------------------------------------------------

/** What was refused, in both languages (the `what` of ValidationError). */
const WHAT: Record<string, Messages> = {
  input: { pl: "dane", en: "input" },
  body: { pl: "treść żądania", en: "request body" },
  query: { pl: "parametry adresu", en: "query parameters" },
  path: { pl: "adres", en: "path" },
  programme: { pl: "ustawienia programu", en: "programme settings" },
};

export class ValidationError extends DomainError {
  constructor(zodError: ZodError, what = "input") {
    // Each field's text in Polish and English (core/field-messages.ts): zod's own English never reaches a person.
    const issues = zodError.issues.map((i) => ({ path: path(i.path as PropertyKey[]), code: i.code, ...fieldMessages(i as FieldIssue) }));
    const listIn = (lang: Lang) => issues.map((i) => `${i.path}: ${i[lang]}`).join("; ");
    const named = WHAT[what] ?? { pl: what, en: what };
    super(
      "VALIDATION_FAILED",
      400,
      {
        pl: `Popraw pola (${named.pl}): ${listIn("pl")}.`,
        en: `Invalid ${named.en}. Fix these fields: ${listIn("en")}.`,
      },
      { details: { issues: issues.map((i) => ({ path: i.path, code: i.code, message: i.en, messagePl: i.pl })) }, cause: zodError },
    );
  }
}

export class PathParameterTooLongError extends DomainError {
  constructor(name: string, length: number, max: number) {
    super("PATH_PARAMETER_TOO_LONG", 400, {
      pl: `Parametr ścieżki „${name}” ma ${length} znaków, dopuszczalne ${max}. Sprawdź adres — żaden identyfikator w Karcie nie jest tak długi.`,
      en: `The path parameter "${name}" has ${length} characters, at most ${max} are allowed. Check the address: no identifier in Karta is that long.`,
    }, { details: { parameter: name, length, max } });
  }
}

export class NotFoundError extends DomainError {
  constructor(entity: string, id: string) {
    super(
      "NOT_FOUND",
      404,
      {
        pl: `Nie znaleziono: ${entity} „${id}”. Sprawdź identyfikator lub odśwież listę.`,
        en: `${entity} "${id}" was not found. Check the identifier or refresh the list.`,
      },
      { details: { entity, id } },
    );
  }
}

export class AlreadyExistsError extends DomainError {
  constructor(entity: string, id: string) {
    super(
      "ALREADY_EXISTS",
      409,
      {
        pl: `${entity} „${id}” już istnieje. Otwórz istniejący zapis zamiast tworzyć nowy.`,
        en: `${entity} "${id}" already exists. Open the existing record instead of creating a new one.`,
      },
      { details: { entity, id } },
    );
  }
}

export class VersionConflictError extends DomainError {
  constructor(entity: string, id: string, expected?: number) {
    super(
      "VERSION_CONFLICT",
      409,
      {
        pl: `${entity} „${id}” został w międzyczasie zmieniony przez kogoś innego. Odśwież i wprowadź zmianę ponownie.`,
        en: `${entity} "${id}" was changed by someone else in the meantime. Reload it and make your change again.`,
      },
      { details: { entity, id, expected } },
    );
  }
}

// ---- calendar / money / programme ------------------------------------------------------------

export class InvalidMonthError extends DomainError {
  constructor(value: string) {
    super("INVALID_MONTH", 400, {
      pl: `„${value}” nie jest miesiącem. Podaj miesiąc w formacie RRRR-MM, np. 2026-11.`,
      en: `"${value}" is not a month. Give the month as YYYY-MM, e.g. 2026-11.`,
    }, { details: { value } });
  }
}

export class InvalidDateError extends DomainError {
  constructor(value: string) {
    super("INVALID_DATE", 400, {
      pl: `„${value}” nie jest datą. Podaj datę w formacie RRRR-MM-DD, np. 2026-11-03.`,
      en: `"${value}" is not a date. Give the date as YYYY-MM-DD, e.g. 2026-11-03.`,
    }, { details: { value } });
  }
}

export class NoWorkingDayError extends DomainError {
  constructor(month: string, n: number) {
    super("NO_SUCH_WORKING_DAY", 422, {
      pl: `Miesiąc ${month} nie ma ${n}. dnia roboczego. Ustaw mniejszy numer dnia roboczego w konfiguracji programu.`,
      en: `Month ${month} has no working day number ${n}. Configure a smaller working-day number for the programme.`,
    }, { details: { month, n } });
  }
}

export class RateBelowMinimumError extends DomainError {
  constructor(rateGrosze: number, minimumGrosze: number, date: string) {
    const zl = (g: number) => (g / 100).toFixed(2).replace(".", ",");
    super("RATE_BELOW_MINIMUM", 422, {
      pl: `Stawka ${zl(rateGrosze)} zł/h na dzień ${date} jest niższa od minimalnej stawki godzinowej ${zl(minimumGrosze)} zł. Ustaw stawkę co najmniej ${zl(minimumGrosze)} zł/h.`,
      en: `The rate of ${zl(rateGrosze)} PLN/h on ${date} is below the legal minimum hourly rate of ${zl(minimumGrosze)} PLN. Set a rate of at least ${zl(minimumGrosze)} PLN/h.`,
    }, { details: { rateGrosze, minimumGrosze, date } });
  }
}

export class NoRateError extends DomainError {
  constructor(programmeId: string, date: string) {
    super("NO_RATE_FOR_DATE", 422, {
      pl: `Program ${programmeId} nie ma stawki godzinowej obowiązującej w dniu ${date}. Administrator musi dodać stawkę dla tego okresu.`,
      en: `Programme ${programmeId} has no hourly rate valid on ${date}. An administrator must add a rate for that period.`,
    }, { details: { programmeId, date } });
  }
}

// ---- service orders ---------------------------------------------------------------------------

export class CaseloadExceededError extends DomainError {
  constructor(assistantId: string, month: string, max: number, beneficiaryCode: string) {
    super("CASELOAD_EXCEEDED", 422, {
      pl: `Asystent ${assistantId} miałby w miesiącu ${month} więcej niż ${max} uczestników (nowy: ${beneficiaryCode}). Przydziel uczestnika innemu asystentowi.`,
      en: `Assistant ${assistantId} would have more than ${max} beneficiaries in ${month} (new: ${beneficiaryCode}). Assign the beneficiary to another assistant.`,
    }, { details: { assistantId, month, max, beneficiaryCode } });
  }
}

/** The message of a refused import file: every bad row (the first 50), in both languages. */
function refusedFile(file: Messages, rows: { row: number; pl: string; en: string }[]): Messages {
  const shown = rows.slice(0, 50);
  const more = rows.length - shown.length;
  return {
    pl: `${file.pl} odrzucono w całości (nic nie zapisano). Popraw wiersze i wczytaj plik ponownie:\n${shown.map((r) => `wiersz ${r.row}: ${r.pl}`).join("\n")}${more > 0 ? `\n… i ${more} innych błędów` : ""}`,
    en: `${file.en} was refused as a whole (nothing was written). Fix these rows and import it again:\n${shown.map((r) => `row ${r.row}: ${r.en}`).join("\n")}${more > 0 ? `\n… and ${more} more errors` : ""}`,
  };
}

export class OrdersImportError extends DomainError {
  constructor(rows: { row: number; pl: string; en: string }[]) {
    super("ORDERS_IMPORT_FAILED", 400, refusedFile({ pl: "Plik zleceń", en: "The orders file" }, rows), { details: { rows } });
  }
}

// ---- batches ----------------------------------------------------------------------------------

export class BatchFileNotStoredError extends DomainError {
  /** `unsent`: the batch is not e-mailed yet; `legacy`: it was sent before files were stored in S3. */
  constructor(batchId: string, name: string, reason: "unsent" | "legacy") {
    super("BATCH_FILE_NOT_STORED", 409, reason === "unsent"
      ? {
          pl: `Pliki paczki ${batchId} nie są jeszcze gotowe: powstają przy wysyłce paczki do księgowości. Spróbuj ponownie po otrzymaniu e-maila z paczką.`,
          en: `The files of batch ${batchId} are not ready yet: they are made when the batch is e-mailed to finance. Try again once the batch e-mail has arrived.`,
        }
      : {
          pl: `Plik ${name} paczki ${batchId} został wysłany e-mailem przed zapisywaniem plików w archiwum i nie ma go do pobrania. Użyj kopii z e-maila do księgowości albo poproś administratora o zapisanie plików tej paczki.`,
          en: `The file ${name} of batch ${batchId} was e-mailed before files were kept in the archive and cannot be downloaded. Use the copy from the finance e-mail or ask the administrator to store this batch's files.`,
        }, { details: { batchId, name, reason } });
  }
}

// ---- reports --------------------------------------------------------------------------------

type VisitRef = { visitId: string };

export class VisitOutsideMonthError extends DomainError {
  constructor(visitId: string, date: string, month: string) {
    super("VISIT_OUTSIDE_MONTH", 422, {
      pl: `Wizyta z dnia ${date} nie należy do miesiąca ${month}. Przenieś ją do sprawozdania za właściwy miesiąc.`,
      en: `The visit on ${date} is not in ${month}. Move it to the report for its own month.`,
    }, { details: { visitId, date, month } });
  }
}

export class VisitDateMismatchError extends DomainError {
  constructor(visitId: string, date: string, startDate: string) {
    super("VISIT_DATE_MISMATCH", 422, {
      pl: `Data wizyty ${date} nie zgadza się z godziną rozpoczęcia (dzień ${startDate} czasu polskiego). Popraw datę lub godzinę rozpoczęcia.`,
      en: `The visit date ${date} does not match its start (${startDate}, Polish time). Correct the date or the start time.`,
    }, { details: { visitId, date, startDate } });
  }
}

export class VisitEndBeforeStartError extends DomainError {
  constructor(visitId: string) {
    super("VISIT_END_NOT_AFTER_START", 422, {
      pl: "Godzina zakończenia wizyty musi być późniejsza niż godzina rozpoczęcia. Popraw godziny wizyty.",
      en: "A visit must end after it starts. Correct the visit's times.",
    }, { details: { visitId } satisfies VisitRef });
  }
}

export class VisitTooLongError extends DomainError {
  constructor(visitId: string, minutes: number, maxMinutes: number) {
    super("VISIT_TOO_LONG", 422, {
      pl: `Wizyta trwa ${minutes} min, a program dopuszcza najwyżej ${maxMinutes} min. Skróć wizytę lub podziel ją na dwie.`,
      en: `The visit lasts ${minutes} min but the programme allows at most ${maxMinutes} min. Shorten it or split it in two.`,
    }, { details: { visitId, minutes, maxMinutes } });
  }
}

export class VisitCrossesMidnightError extends DomainError {
  constructor(visitId: string) {
    super("VISIT_CROSSES_MIDNIGHT", 422, {
      pl: "Ten program nie dopuszcza wizyt przechodzących przez północ. Zakończ wizytę przed północą i zapisz dalszą część jako osobną wizytę.",
      en: "This programme does not allow visits that cross midnight. End the visit before midnight and log the rest as a separate visit.",
    }, { details: { visitId } });
  }
}

export class NightVisitNotAllowedError extends DomainError {
  constructor(visitId: string, from: string, to: string) {
    super("NIGHT_VISIT_NOT_ALLOWED", 422, {
      pl: `Ten program nie dopuszcza wizyt w porze nocnej (${from}–${to}). Zmień godziny wizyty.`,
      en: `This programme does not allow visits at night (${from}–${to}). Change the visit's times.`,
    }, { details: { visitId, from, to } });
  }
}

export class VisitOverlapError extends DomainError {
  constructor(visitId: string, other: { reportId: string; visitId: string; start: string; end: string }) {
    super("VISIT_OVERLAP", 409, {
      pl: `Wizyta nakłada się na inną wizytę tego samego asystenta (${displaySpan(other.start, other.end)}, czas polski). Asystent nie może być w dwóch miejscach naraz: popraw godziny jednej z wizyt.`,
      en: `The visit overlaps another visit of the same assistant (${displaySpan(other.start, other.end)}, Polish time). An assistant cannot be in two places at once: correct the times of one of them.`,
    }, { details: { visitId, other } });
  }
}

export class VisitInFutureError extends DomainError {
  constructor(visitId: string, end: string, now: string) {
    super("VISIT_IN_FUTURE", 422, {
      pl: `Wizyta kończy się ${displayDateTime(end)}, czyli w przyszłości (teraz jest ${displayDateTime(now)}, czas polski). Wpisz wizytę po jej zakończeniu albo popraw datę lub godziny.`,
      en: `The visit ends on ${displayDateTime(end)}, in the future (it is now ${displayDateTime(now)}, Polish time). Log the visit once it has ended, or correct its date or times.`,
    }, { details: { visitId, end } });
  }
}

export class ServiceModeNotAllowedError extends DomainError {
  constructor(visitId: string, mode: string) {
    super("SERVICE_MODE_NOT_ALLOWED", 422, {
      pl: `Forma realizacji „${mode}” nie jest dopuszczona w tym programie. Wybierz jedną z dopuszczonych form.`,
      en: `Service mode "${mode}" is not allowed in this programme. Choose one of the allowed modes.`,
    }, { details: { visitId, mode } });
  }
}

export class JustificationRequiredError extends DomainError {
  constructor(visitId: string, mode: string) {
    super("JUSTIFICATION_REQUIRED", 422, {
      pl: `Forma „${mode}” jest dopuszczalna tylko wyjątkowo i wymaga uzasadnienia. Wpisz, dlaczego wizyta nie odbyła się osobiście.`,
      en: `Mode "${mode}" is allowed only exceptionally and needs a justification. Explain why the visit was not in person.`,
    }, { details: { visitId, mode } });
  }
}

export class UnknownScopeError extends DomainError {
  constructor(visitId: string, scopeIds: string[]) {
    super("UNKNOWN_SCOPE", 422, {
      pl: `Nieznany zakres usługi: ${scopeIds.join(", ")}. Wybierz zakres z listy programu.`,
      en: `Unknown scope of service: ${scopeIds.join(", ")}. Choose a scope from the programme's list.`,
    }, { details: { visitId, scopeIds } });
  }
}

export class ReportEmptyError extends DomainError {
  constructor(reportId: string) {
    super("REPORT_EMPTY", 422, {
      pl: "Sprawozdanie nie zawiera żadnej wizyty. Dodaj co najmniej jedną wizytę przed złożeniem.",
      en: "The report has no visits. Add at least one visit before submitting.",
    }, { details: { reportId } });
  }
}

export class NoServiceOrderError extends DomainError {
  constructor(reportId: string) {
    super("NO_SERVICE_ORDER", 422, {
      pl: "Brak zlecenia usługi dla tego uczestnika w tym miesiącu. Poproś koordynatora o wystawienie zlecenia.",
      en: "There is no service order for this beneficiary in this month. Ask the coordinator to issue one.",
    }, { details: { reportId } });
  }
}

export class OrderExceededError extends DomainError {
  constructor(reportId: string, minutes: number, orderedMinutes: number) {
    super("ORDER_EXCEEDED", 422, {
      pl: `Wykazano ${minutes} min, a zlecono ${orderedMinutes} min. Ten program nie pozwala przekroczyć zlecenia: usuń lub skróć wizyty albo poproś koordynatora o zwiększenie zlecenia.`,
      en: `${minutes} min were logged but ${orderedMinutes} min were ordered. This programme does not allow exceeding the order: remove or shorten visits, or ask the coordinator to increase the order.`,
    }, { details: { reportId, minutes, orderedMinutes } });
  }
}

export class OverOrderExplanationRequiredError extends DomainError {
  constructor(reportId: string, minutes: number, orderedMinutes: number) {
    super("OVER_ORDER_EXPLANATION_REQUIRED", 422, {
      pl: `Wykazano ${minutes} min, więcej niż zlecone ${orderedMinutes} min. Wpisz wyjaśnienie przekroczenia — zobaczy je osoba zatwierdzająca.`,
      en: `${minutes} min were logged, more than the ${orderedMinutes} min ordered. Write an explanation of the excess — the approver will see it.`,
    }, { details: { reportId, minutes, orderedMinutes } });
  }
}

export class SignatureMissingError extends DomainError {
  constructor(reportId: string, role: "beneficiary" | "assistant") {
    const who = role === "beneficiary" ? { pl: "uczestnika", en: "beneficiary's" } : { pl: "asystenta", en: "assistant's" };
    super("SIGNATURE_MISSING", 422, {
      pl: `Brak podpisu ${who.pl}. Zbierz podpis na tej wersji sprawozdania przed złożeniem.`,
      en: `The ${who.en} signature is missing. Collect it on this version of the report before submitting.`,
    }, { details: { reportId, role } });
  }
}

export class SignatureStaleError extends DomainError {
  constructor(reportId: string, role: "beneficiary" | "assistant") {
    super("SIGNATURE_STALE", 422, {
      pl: `Podpis (${role === "beneficiary" ? "uczestnika" : "asystenta"}) złożono na innej treści sprawozdania. Po każdej zmianie zbierz podpis ponownie.`,
      en: `The ${role} signature was made on different report content. Collect the signature again after every change.`,
    }, { details: { reportId, role } });
  }
}

export class PricingChangedError extends DomainError {
  constructor(reportId: string) {
    super("PRICING_CHANGED", 409, {
      pl: "Stawka godzinowa programu zmieniła się po podpisaniu sprawozdania, więc kwota do wypłaty jest inna niż podpisana. Sprawozdanie przeliczono według aktualnych stawek: sprawdź kwotę, zbierz podpisy ponownie i wyślij je jeszcze raz.",
      en: "The programme's hourly rate changed after the report was signed, so the amount to pay differs from the signed one. The report has been re-priced at the current rates: check the amount, collect the signatures again and submit it again.",
    }, { details: { reportId } });
  }
}

export class SignatureEvidenceNotAcceptedError extends DomainError {
  constructor(evidence: string) {
    super("SIGNATURE_EVIDENCE_NOT_ACCEPTED", 422, {
      pl: `Ten program nie przyjmuje podpisu w formie „${evidence}”. Użyj dopuszczonej formy podpisu.`,
      en: `This programme does not accept "${evidence}" signatures. Use an accepted form of signature.`,
    }, { details: { evidence } });
  }
}

export class SignatureTooLargeError extends DomainError {
  constructor(size: number, max: number) {
    super("SIGNATURE_TOO_LARGE", 413, {
      pl: `Obraz podpisu ma ${size} znaków, dopuszczalne ${max}. Wyczyść pole i podpisz się ponownie (mniejszym obrazem).`,
      en: `The signature image has ${size} characters, at most ${max} are allowed. Clear the pad and sign again (a smaller image).`,
    }, { details: { size, max } });
  }
}

export class TooManyVisitsError extends DomainError {
  constructor(reportId: string, max: number) {
    super("TOO_MANY_VISITS", 422, {
      pl: `Sprawozdanie ma już ${max} wizyt — tyle, ile mieści jedno sprawozdanie (4 dziennie przez 31 dni). Połącz krótkie wizyty tego samego dnia albo usuń zbędne.`,
      en: `The report already has ${max} visits, as many as one report holds (4 a day for 31 days). Merge short visits of the same day or remove unneeded ones.`,
    }, { details: { reportId, max } });
  }
}

export class ReportTooLargeError extends DomainError {
  constructor(reportId: string, size: number, max: number) {
    super("REPORT_TOO_LARGE", 413, {
      pl: `Sprawozdanie zajęłoby ${size} bajtów, dopuszczalne ${max}. Skróć notatki i uzasadnienia wizyt albo podpisz się mniejszym obrazem podpisu.`,
      en: `The report would take ${size} bytes, at most ${max} are allowed. Shorten the visits' notes and justifications or sign with a smaller signature image.`,
    }, { details: { reportId, size, max } });
  }
}

export class SignatureImageInvalidError extends DomainError {
  constructor(problem: string) {
    super("SIGNATURE_IMAGE_INVALID", 400, {
      pl: `Obraz podpisu jest uszkodzony lub nie jest obrazem PNG (${problem}). Wyczyść pole i podpisz się ponownie.`,
      en: `The signature image is damaged or not a PNG image (${problem}). Clear the pad and sign again.`,
    }, { details: { problem } });
  }
}

export class ReportLockedError extends DomainError {
  constructor(reportId: string, status: string) {
    super("REPORT_LOCKED", 409, {
      pl: `Sprawozdanie ma status „${status}” i nie można go zmieniać. Zmiany są możliwe tylko w wersji roboczej lub po zwróceniu do poprawy.`,
      en: `The report is "${status}" and cannot be changed. Changes are possible only in a draft or after it is returned for correction.`,
    }, { details: { reportId, status } });
  }
}

export class InvalidTransitionError extends DomainError {
  constructor(reportId: string, from: string, to: string) {
    super("INVALID_TRANSITION", 409, {
      pl: `Sprawozdania o statusie „${from}” nie można przenieść do statusu „${to}”. Odśwież widok — ktoś mógł je już rozpatrzyć.`,
      en: `A "${from}" report cannot become "${to}". Reload — someone may have dealt with it already.`,
    }, { details: { reportId, from, to } });
  }
}

export class StaleVersionError extends DomainError {
  constructor(reportId: string, version: number, currentVersion: number) {
    super("STALE_VERSION", 409, {
      pl: `Decyzja dotyczy wersji ${version}, a aktualna wersja sprawozdania to ${currentVersion}. Otwórz aktualną wersję i rozpatrz ją.`,
      en: `The decision is about version ${version} but the report is now at version ${currentVersion}. Open the current version and decide on it.`,
    }, { details: { reportId, version, currentVersion } });
  }
}

export class ReturnReasonRequiredError extends DomainError {
  constructor(reportId: string) {
    super("RETURN_REASON_REQUIRED", 422, {
      pl: "Podaj powód zwrotu sprawozdania — asystent zobaczy go i wie, co poprawić.",
      en: "Give the reason for returning the report — the assistant will see it and know what to correct.",
    }, { details: { reportId } });
  }
}

// ---- administration (issue 14) -----------------------------------------------------------------

export class EmailTakenError extends DomainError {
  constructor(email: string, personId: string, name: string) {
    super("EMAIL_TAKEN", 409, {
      pl: `Adres ${email} ma już osoba „${name}”. Jeden adres e-mail to jedna osoba: dodaj jej rolę w tym programie (POST /api/people/${personId}/roles) zamiast tworzyć nową.`,
      en: `${email} already belongs to "${name}". One e-mail address is one person: add a role in this programme to that person (POST /api/people/${personId}/roles) instead of creating a new one.`,
    }, { details: { email, personId } });
  }
}

export class PersonInactiveError extends DomainError {
  constructor(personId: string, name: string) {
    super("PERSON_INACTIVE", 422, {
      pl: `Osoba „${name}” jest nieaktywna. Najpierw ją aktywuj (active: true) albo wskaż kogoś innego.`,
      en: `"${name}" is deactivated. Activate the person first (active: true) or name someone else.`,
    }, { details: { personId } });
  }
}

export class BeneficiaryInactiveError extends DomainError {
  constructor(code: string) {
    super("BENEFICIARY_INACTIVE", 422, {
      pl: `Uczestnik ${code} jest nieaktywny i nie przyjmuje nowych zleceń. Aktywuj go na jego stronie albo wybierz innego uczestnika.`,
      en: `Beneficiary ${code} is deactivated and takes no new orders. Activate it on its page or choose another beneficiary.`,
    }, { details: { code } });
  }
}

/** A programme change that would leave a running month without someone it needs. */
export class ProgrammeChangeRefusedError extends DomainError {
  constructor(field: string, messages: Messages) {
    super("PROGRAMME_CHANGE_REFUSED", 422, messages, { details: { field } });
  }
}

export class BeneficiariesImportError extends DomainError {
  constructor(rows: { row: number; pl: string; en: string }[]) {
    super("BENEFICIARIES_IMPORT_FAILED", 400, refusedFile({ pl: "Plik uczestników", en: "The beneficiaries file" }, rows), { details: { rows } });
  }
}
