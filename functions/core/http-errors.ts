import { DomainError } from "./errors.js";

/**
 * The longest path parameter a route reads. Karta's ids are far shorter (report ids 25 characters,
 * batch ids like krakow-aou-2026-11-p01, contract numbers, beneficiary codes); a longer one is a
 * client's junk and must not reach DynamoDB, whose keys are capped at 2,048 / 1,024 bytes.
 */
export const MAX_PATH_PARAMETER_CHARS = 200;

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

export class FormExpectedError extends DomainError {
  constructor(contentType: string | undefined) {
    super("FORM_EXPECTED", 415, {
      pl: `Oczekiwano formularza typu application/x-www-form-urlencoded (otrzymano: ${contentType ?? "brak"}). Użyj przycisku na stronie otwartej z linku.`,
      en: `Expected an application/x-www-form-urlencoded form (got: ${contentType ?? "none"}). Use the button on the page the link opens.`,
    }, { details: { contentType } });
  }
}

/** A parameter given more than once: API Gateway joins the values with commas, so none of them is read. */
export class RepeatedParameterError extends DomainError {
  constructor(name: string, times: number) {
    super("REPEATED_PARAMETER", 400, {
      pl: `Parametr „${name}” podano ${times} razy. Podaj go raz — otwórz link dokładnie tak, jak przyszedł w wiadomości.`,
      en: `The parameter "${name}" was given ${times} times. Give it once: open the link exactly as it came in the message.`,
    }, { details: { parameter: name, times } });
  }
}

/**
 * A form posted from another site (Origin, Referer or Sec-Fetch-Site not the app's): it would
 * decide or sign in on someone's behalf (CSRF, login CSRF).
 */
export class CrossSiteFormError extends DomainError {
  constructor(from: string) {
    super("CROSS_SITE_FORM", 403, {
      pl: `Ten formularz wysłano z innej strony (${from}), więc nic nie zostało zmienione. Otwórz link z wiadomości e-mail i naciśnij przycisk na jego stronie.`,
      en: `This form was sent from another site (${from}), so nothing was changed. Open the link from the e-mail and press the button on its page.`,
    }, { details: { from } });
  }
}

export class MethodNotAllowedError extends DomainError {
  constructor(method: string, readonly allow: string[]) {
    super("METHOD_NOT_ALLOWED", 405, {
      pl: `Ten adres nie obsługuje metody ${method}. Dozwolone metody: ${allow.join(", ")}.`,
      en: `This address does not take the method ${method}. Allowed methods: ${allow.join(", ")}.`,
    }, { details: { method, allow } });
  }
}

export class NoRouteError extends DomainError {
  constructor(path: string) {
    super("NOT_FOUND", 404, {
      pl: `Nie ma takiego adresu w API Karty (${path}). Sprawdź adres w dokumentacji (/api/openapi.json).`,
      en: `No route of the Karta API has this address (${path}). Check the address in the documentation (/api/openapi.json).`,
    }, { details: { path } });
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

/**
 * A request that reached the API without CloudFront's origin-verify header: it went to the API's
 * own domain directly, past the WAF (core/origin-verify.ts, docs/deploy.md section 4).
 */
export class DirectApiAccessError extends DomainError {
  constructor(appUrl: string) {
    super("DIRECT_API_ACCESS", 403, {
      pl: `Do API Karty nie łączy się bezpośrednio. Użyj adresu aplikacji ${appUrl} (np. ${appUrl}/api/…).`,
      en: `The Karta API is not reached directly. Use the app's address ${appUrl} (e.g. ${appUrl}/api/…).`,
    }, { details: { appUrl } });
  }
}
