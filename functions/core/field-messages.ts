import type { Messages } from "./errors.js";

/**
 * The texts a person reads when a field is refused: Polish and English, never zod's own English
 * inside a Polish sentence. A schema's own message is written with `bilingual(pl, en)` (zod keeps
 * the English, for logs and developers); every other issue gets its text from its code here.
 */
const registry = new Map<string, Messages>();

/** A schema message in both languages; returns the English text, which zod stores as the issue's message. */
export function bilingual(pl: string, en: string): string {
  registry.set(en, { pl, en });
  return en;
}

/** The subset of a zod issue the texts need (zod 4's finalised issue). */
export interface FieldIssue {
  code: string;
  message: string;
  expected?: string;
  origin?: string;
  format?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  values?: readonly unknown[];
  keys?: readonly string[];
  divisor?: number;
}

const TYPE_PL: Record<string, string> = {
  string: "tekst", number: "liczbę", int: "liczbę całkowitą", boolean: "wartość tak/nie (true/false)", object: "obiekt", array: "listę",
  date: "datę", bigint: "liczbę całkowitą", null: "null", undefined: "brak wartości",
};
const TYPE_EN: Record<string, string> = { int: "integer", boolean: "true or false", array: "list" };
const FORMAT: Record<string, Messages> = {
  email: { pl: "adres e-mail, np. anna.nowak@example.pl", en: "an e-mail address, e.g. anna.nowak@example.pl" },
  datetime: { pl: "datę i godzinę ISO 8601, np. 2026-11-05T16:00:00Z", en: "an ISO 8601 date and time, e.g. 2026-11-05T16:00:00Z" },
  date: { pl: "datę RRRR-MM-DD, np. 2026-11-05", en: "a date YYYY-MM-DD, e.g. 2026-11-05" },
  time: { pl: "godzinę GG:MM", en: "a time HH:MM" },
  url: { pl: "adres URL", en: "a URL" },
  uuid: { pl: "identyfikator UUID", en: "a UUID" },
  regex: { pl: "dozwolony format", en: "the allowed format" },
};

const sizeOf = (origin: string | undefined, n: number | bigint): Messages => {
  const count = String(n);
  if (origin === "string") return { pl: `${count} znak${plural(Number(n), "", "i", "ów")}`, en: `${count} character${Number(n) === 1 ? "" : "s"}` };
  if (origin === "array" || origin === "set") return { pl: `${count} element${plural(Number(n), "", "y", "ów")}`, en: `${count} item${Number(n) === 1 ? "" : "s"}` };
  return { pl: count, en: count };
};

/** Polish plural ending for 1, 2–4 (but 12–14), and the rest. */
function plural(n: number, one: string, few: string, many: string): string {
  if (n === 1) return one;
  const tens = n % 100;
  return n % 10 >= 2 && n % 10 <= 4 && (tens < 12 || tens > 14) ? few : many;
}

const list = (values: readonly unknown[]) => values.map((v) => (typeof v === "string" ? `„${v}”` : String(v))).join(", ");

/** The person-facing text of one refused field, in both languages. */
export function fieldMessages(issue: FieldIssue): Messages {
  const own = registry.get(issue.message);
  if (own) return own;
  switch (issue.code) {
    case "invalid_type": {
      if (/received undefined$/.test(issue.message)) return { pl: "pole jest wymagane", en: "this field is required" };
      const expected = issue.expected ?? "";
      return { pl: `zły typ: podaj ${TYPE_PL[expected] ?? expected}`, en: `wrong type: give ${TYPE_EN[expected] ? TYPE_EN[expected] : `a ${expected}`}` };
    }
    case "too_small": {
      if (issue.origin === "string" && Number(issue.minimum) === 1) return { pl: "nie może być puste", en: "must not be empty" };
      const size = sizeOf(issue.origin, issue.minimum ?? 0);
      return issue.inclusive === false
        ? { pl: `za mało: więcej niż ${size.pl}`, en: `too small: more than ${size.en}` }
        : { pl: `za mało: co najmniej ${size.pl}`, en: `too small: at least ${size.en}` };
    }
    case "too_big": {
      const size = sizeOf(issue.origin, issue.maximum ?? 0);
      return issue.inclusive === false
        ? { pl: `za dużo: mniej niż ${size.pl}`, en: `too big: less than ${size.en}` }
        : { pl: `za dużo: najwyżej ${size.pl}`, en: `too big: at most ${size.en}` };
    }
    case "invalid_format": {
      const format = FORMAT[issue.format ?? "regex"] ?? FORMAT.regex;
      return { pl: `niepoprawny format: podaj ${format.pl}`, en: `invalid format: give ${format.en}` };
    }
    case "invalid_value":
      return issue.values?.length === 1
        ? { pl: `dozwolona jest tylko wartość ${list(issue.values)}`, en: `only ${list(issue.values)} is allowed` }
        : { pl: `dozwolone wartości: ${list(issue.values ?? [])}`, en: `allowed values: ${list(issue.values ?? [])}` };
    case "unrecognized_keys":
      return { pl: `nieznane pola: ${list(issue.keys ?? [])} — usuń je`, en: `unknown fields: ${list(issue.keys ?? [])} — remove them` };
    case "not_multiple_of":
      return { pl: `musi być wielokrotnością ${issue.divisor}`, en: `must be a multiple of ${issue.divisor}` };
    case "invalid_union":
      return { pl: "wartość nie pasuje do żadnej z dozwolonych postaci", en: "the value matches none of the allowed forms" };
    case "invalid_key":
    case "invalid_element":
      return { pl: "niepoprawny klucz lub element", en: "an invalid key or element" };
    default:
      return { pl: "niepoprawna wartość", en: "invalid value" };
  }
}
