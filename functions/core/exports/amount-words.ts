const UNITS = ["", "jeden", "dwa", "trzy", "cztery", "pięć", "sześć", "siedem", "osiem", "dziewięć"];
const TEENS = [
  "dziesięć", "jedenaście", "dwanaście", "trzynaście", "czternaście",
  "piętnaście", "szesnaście", "siedemnaście", "osiemnaście", "dziewiętnaście",
];
const TENS = [
  "", "", "dwadzieścia", "trzydzieści", "czterdzieści",
  "pięćdziesiąt", "sześćdziesiąt", "siedemdziesiąt", "osiemdziesiąt", "dziewięćdziesiąt",
];
const HUNDREDS = ["", "sto", "dwieście", "trzysta", "czterysta", "pięćset", "sześćset", "siedemset", "osiemset", "dziewięćset"];

type Forms = readonly [one: string, few: string, many: string];
const ZLOTY: Forms = ["złoty", "złote", "złotych"];
const SCALES: Forms[] = [
  ["tysiąc", "tysiące", "tysięcy"],
  ["milion", "miliony", "milionów"],
  ["miliard", "miliardy", "miliardów"],
];

/** Polish plural: 1 złoty, 2–4 (not 12–14) złote, otherwise złotych (forms: one, few, many). */
export function pluralForm(n: number, forms: readonly [string, string, string]): string {
  if (n === 1) return forms[0];
  const units = n % 10;
  const tens = n % 100;
  return units >= 2 && units <= 4 && (tens < 12 || tens > 14) ? forms[1] : forms[2];
}

function belowThousand(n: number): string[] {
  const words = [HUNDREDS[Math.trunc(n / 100)]];
  const rest = n % 100;
  if (rest >= 10 && rest < 20) words.push(TEENS[rest - 10]);
  else words.push(TENS[Math.trunc(rest / 10)], UNITS[rest % 10]);
  return words.filter(Boolean);
}

/** A whole number of złoty in Polish words: 3456 → "trzy tysiące czterysta pięćdziesiąt sześć". */
export function numberInWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 1e12) throw new RangeError(`numberInWords: unsupported ${n}`);
  if (n === 0) return "zero";
  const words: string[] = [];
  for (let scale = SCALES.length; scale >= 1; scale--) {
    const group = Math.trunc(n / 1000 ** scale) % 1000;
    if (group === 0) continue;
    // "tysiąc", not "jeden tysiąc", as in Polish usage on bills
    if (group > 1) words.push(...belowThousand(group));
    words.push(pluralForm(group, SCALES[scale - 1]));
  }
  words.push(...belowThousand(n % 1000));
  return words.join(" ");
}

/** An amount for a bill: 345600 → "trzy tysiące czterysta pięćdziesiąt sześć złotych 00/100". */
export function amountInWords(grosze: number): string {
  if (!Number.isSafeInteger(grosze) || grosze < 0) throw new RangeError(`amountInWords: unsupported ${grosze}`);
  const zloty = Math.trunc(grosze / 100);
  return `${numberInWords(zloty)} ${pluralForm(zloty, ZLOTY)} ${String(grosze % 100).padStart(2, "0")}/100`;
}
