import fc from "fast-check";
import type { ZodType } from "zod";

/**
 * fast-check arbitraries derived from the zod schemas of functions/core: `validOf` builds values
 * of the schema's shape, `brokenOf` breaks one of them (wrong type, missing field, huge string,
 * unknown enum value, control characters, lone surrogates…) and keeps only what the schema refuses.
 */

type Def = { type: string; [k: string]: any };
const defOf = (schema: ZodType): Def => (schema as any)._zod.def;

const CAP = 40;

function stringArbitrary(def: Def): fc.Arbitrary<string> {
  const checks: Def[] = (def.checks ?? []).map((c: any) => c._zod.def);
  const pattern: RegExp | undefined = def.pattern ?? checks.find((c) => c.check === "string_format" && c.pattern)?.pattern;
  const min = checks.find((c) => c.check === "min_length")?.minimum ?? 0;
  const max = Math.min(checks.find((c) => c.check === "max_length")?.maximum ?? CAP, CAP);
  if (def.format === "email") return fc.emailAddress();
  if (pattern) return fc.stringMatching(pattern).filter((s) => s.length <= 80);
  return fc.string({ minLength: min, maxLength: Math.max(min, max) });
}

/** Values of the schema's shape (the refinements across fields are not guaranteed). */
export function validOf(schema: ZodType): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case "string":
      return stringArbitrary(def);
    case "number":
      return fc.integer({ min: 0, max: 10_000 });
    case "boolean":
      return fc.boolean();
    case "literal":
      return fc.constantFrom(...def.values);
    case "enum":
      return fc.constantFrom(...Object.values(def.entries as Record<string, string>));
    case "optional":
      return fc.option(validOf(def.innerType), { nil: undefined });
    case "nullable":
      return fc.option(validOf(def.innerType), { nil: null });
    case "default":
      return validOf(def.innerType);
    case "pipe":
      return defOf(def.in).type === "transform" ? validOf(def.out) : validOf(def.in);
    case "array": {
      const checks: Def[] = (def.checks ?? []).map((c: any) => c._zod.def);
      const min = checks.find((c) => c.check === "min_length")?.minimum ?? 0;
      const max = Math.min(checks.find((c) => c.check === "max_length")?.maximum ?? 3, 3);
      return fc.array(validOf(def.element), { minLength: min, maxLength: Math.max(min, max) });
    }
    case "record":
      return fc.dictionary(fc.string({ maxLength: 8 }), validOf(def.valueType), { maxKeys: 2 });
    case "object": {
      const shape = def.shape as Record<string, ZodType>;
      const required = Object.keys(shape).filter((k) => !["optional", "default"].includes(defOf(shape[k]).type));
      return fc.record(Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, validOf(v)])), { requiredKeys: required }).map((o) =>
        Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
      );
    }
    default:
      return fc.anything();
  }
}

/** Hostile strings: control characters, lone surrogates, HTML and formula starts, bidi overrides, NUL. */
export const hostileString = fc.oneof(
  fc.constantFrom("\u0000", "\u0007\u0008\u001b[31m", "\r\n\r\n", "\ud800", "\udfff", "a\ud83d", "\u202e\u2066", "\ufeff", "<script>alert(1)</script>", "=HYPERLINK(\"http://x\")", "'; DROP TABLE x; --", "../../etc/passwd", "%00", "${jndi:ldap://x}", "{{7*7}}"),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 10 }),
);

/** A value of the wrong JSON type for any field. */
const wrongType = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e308, -0),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
  fc.constant([[[[[]]]]]),
);

export const hugeString = fc.constantFrom(3_000, 20_000, 120_000).chain((n) => fc.constantFrom("x", "ż", "=", "<", "\u0000").map((c) => c.repeat(n)));

type Breaker = (value: Record<string, unknown>, key: string, field: Def) => fc.Arbitrary<Record<string, unknown>>;

const breakers: Breaker[] = [
  (v, k) => wrongType.map((w) => ({ ...v, [k]: w })),
  (v, k) => fc.constant(Object.fromEntries(Object.entries(v).filter(([key]) => key !== k))),
  (v, k) => hugeString.map((s) => ({ ...v, [k]: s })),
  (v, k) => hostileString.map((s) => ({ ...v, [k]: s })),
  (v, k) => hostileString.map((s) => ({ ...v, [k]: typeof v[k] === "string" ? `${v[k]}${s}` : s })),
  (v, k) => fc.constantFrom("", " ", "UNKNOWN", "approved ", "in-person", "IN_PERSON", "2026-02-30", "2026-13-01", "0000-00-00", "2026-11-31T25:61:00Z", "NaN", "-1").map((s) => ({ ...v, [k]: s })),
];

/** Bodies the schema refuses: one field of a valid value broken, or not an object at all. */
export function brokenOf(schema: ZodType): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const shape = (def.shape ?? {}) as Record<string, ZodType>;
  const fields = Object.keys(shape);
  const oneFieldBroken = validOf(schema).chain((valid) => {
    const v = valid as Record<string, unknown>;
    if (!fields.length) return fc.constant(v);
    return fc.tuple(fc.constantFrom(...fields), fc.nat(breakers.length - 1)).chain(([key, b]) => breakers[b](v, key, defOf(shape[key])));
  });
  const notAnObject = fc.oneof(wrongType, hostileString, fc.constant([]), fc.constant({}));
  return fc.oneof({ weight: 5, arbitrary: oneFieldBroken }, { weight: 1, arbitrary: notAnObject }).filter((value) => !schema.safeParse(value).success);
}

/** Arbitrary path segments: unknown ids, encoded separators, traversal, unicode, very long. */
export const hostileSegment = fc.oneof(
  fc.stringMatching(/^[a-z0-9]{1,30}$/),
  fc.constantFrom("..", "%2e%2e", "%2F", "a%00b", "r" + "0".repeat(24), "a" + "f".repeat(24), "%C5%BC", "x".repeat(2000), "%25", "null", "undefined", "__proto__", "constructor"),
  fc.string({ maxLength: 20 }).map((s) => [...Buffer.from(s, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("") || "e"),
);

/** Deeply nested JSON text (arrays or objects) of the given depth. */
export function deepJson(depth: number, kind: "array" | "object"): string {
  return kind === "array" ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
}

/** Text that is not JSON (a byte order mark before valid JSON is accepted, so only before broken JSON). */
export const malformedJson = fc.constantFrom("{", "{not json", "[1,2", '{"a":}', "undefined", "NaN", "{'a':1}", '{"a":1}}', "\u0000", "\ufeff{", '{"a":"\\ud800"', "", " ", '{"__proto__":{"polluted":1}}x');
