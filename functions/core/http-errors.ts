import { DomainError } from "./errors.js";

/** Request bodies above this are refused before parsing (a whole report of core MAX_REPORT_BYTES fits). */
export const MAX_BODY_BYTES = 512 * 1024;

export class MalformedJsonError extends DomainError {
  constructor() {
    super("MALFORMED_JSON", 400, {
      pl: "Treść żądania nie jest poprawnym JSON-em. Wyślij obiekt JSON z nagłówkiem Content-Type: application/json.",
      en: "The request body is not valid JSON. Send a JSON object with Content-Type: application/json.",
    });
  }
}

export class JsonExpectedError extends DomainError {
  constructor(contentType: string | undefined) {
    super("JSON_EXPECTED", 400, {
      pl: `Oczekiwano treści typu application/json (otrzymano: ${contentType ?? "brak"}).`,
      en: `Expected an application/json body (got: ${contentType ?? "none"}).`,
    }, { details: { contentType } });
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(size: number, max: number) {
    super("PAYLOAD_TOO_LARGE", 413, {
      pl: `Treść żądania ma ${size} bajtów, dopuszczalne ${max}. Wyślij mniej danych naraz (np. mniejszy obraz podpisu).`,
      en: `The request body has ${size} bytes, at most ${max} are allowed. Send less at once (e.g. a smaller signature image).`,
    }, { details: { size, max } });
  }
}

export class PreconditionFailedError extends DomainError {
  constructor(expected: string, actual: number) {
    super("VERSION_CONFLICT", 409, {
      pl: `Dane zmieniły się od czasu ich pobrania (If-Match ${expected}, aktualnie ${actual}). Odśwież i wprowadź zmianę ponownie.`,
      en: `The data changed since you loaded it (If-Match ${expected}, now ${actual}). Reload and make your change again.`,
    }, { details: { expected, actual } });
  }
}

export class FileTypeExpectedError extends DomainError {
  constructor(contentType: string | undefined, expected: string[]) {
    super("FILE_TYPE_EXPECTED", 400, {
      pl: `Oczekiwano pliku typu ${expected.join(" lub ")} (otrzymano: ${contentType ?? "brak"}). Wyślij plik CSV lub XLSX z właściwym nagłówkiem Content-Type.`,
      en: `Expected a file of type ${expected.join(" or ")} (got: ${contentType ?? "none"}). Send the CSV or XLSX file with the matching Content-Type header.`,
    }, { details: { contentType, expected } });
  }
}
