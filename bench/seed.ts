import { putItems } from "../functions/adapters/dynamo.js";
import { keys } from "../functions/adapters/keys.js";
import { Beneficiary } from "../functions/core/beneficiary.js";
import type { Person } from "../functions/core/person.js";
import type { Programme } from "../functions/core/programme.js";
import { contentHash, type Report } from "../functions/core/report.js";
import type { ServiceOrder } from "../functions/core/service-order.js";
import { benchAssistant, benchOrder, benchStaff, beneficiaryCode } from "./data.js";
import type { Progress } from "./progress.js";

/*
 * Set-up data written in bulk (BatchWriteItem), before anything is measured. The item shapes are
 * those of functions/adapters (keys from keys.ts, entity, rev, the core object): the adapters'
 * one-at-a-time conditional creates would take longer than the month they prepare.
 */
const programmeItem = (p: Programme) => ({ ...keys.programme(p.id), entity: "Programme", rev: 1, ...p });
const personItems = (p: Person) => [
  { ...keys.person(p.id, p.email), entity: "Person", rev: 1, ...p },
  ...p.roles.map((r) => ({ ...keys.personRole(r.programmeId, r.role, p.id), entity: "PersonRole", ...p })),
];
const beneficiaryItem = (b: Beneficiary) => ({ ...keys.beneficiary(b.programmeId, b.code), entity: "Beneficiary", rev: 1, ...b });
const orderItem = (o: ServiceOrder) => ({ ...keys.serviceOrder(o), entity: "ServiceOrder", rev: 1, ...o });
export const reportItem = (r: Report, rev: number) => ({ ...keys.report(r), entity: "Report", rev, ...r });
export const reportVersionItem = (r: Report) => ({ ...keys.reportVersion(r.id, r.version), entity: "ReportVersion", ...r, contentHash: contentHash(r) });

/** The programme, its staff, `assistants` assistants with `beneficiaries` beneficiaries each, and one order per pair. */
export async function seedProgramme(
  programme: Programme,
  assistants: number,
  beneficiaries: number,
  minutesPerOrder: number,
  bar?: Progress,
): Promise<Person[]> {
  const people = [...benchStaff(programme)];
  const items: Record<string, unknown>[] = [programmeItem(programme)];
  const assistantPeople: Person[] = [];
  for (let a = 0; a < assistants; a++) {
    const assistant = benchAssistant(programme, a);
    assistantPeople.push(assistant);
    people.push(assistant);
    for (let b = 0; b < beneficiaries; b++) {
      items.push(beneficiaryItem(Beneficiary.parse({ programmeId: programme.id, code: beneficiaryCode(a, b), initials: "A.K." })));
      items.push(orderItem(benchOrder(programme, a, b, minutesPerOrder)));
    }
  }
  for (const p of people) items.push(...personItems(p));
  await writeInParallel(items, bar);
  return assistantPeople;
}

/** BatchWriteItem in parallel streams (each putItems call writes 25 at a time). */
export async function writeInParallel(items: Record<string, unknown>[], bar?: Progress, streams = 8): Promise<void> {
  const chunk = Math.ceil(items.length / streams);
  let written = 0;
  await Promise.all(
    Array.from({ length: streams }, (_, i) =>
      putItems(items.slice(i * chunk, (i + 1) * chunk), (n, total) => {
        if (n === total || n % 25 === 0) bar?.tick((written += n === total ? total % 25 || 25 : 25));
      }),
    ),
  );
}
