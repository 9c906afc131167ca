import { warsawInstant } from "./calendar.js";
import { composeIBAN } from "ibantools";
import { Beneficiary } from "./beneficiary.js";
import { Contract } from "./contract.js";
import { Person } from "./person.js";
import { type Programme, seedProgrammes } from "./programme.js";
import { newServiceOrder, type ServiceOrder } from "./service-order.js";

export type DemoData = {
  programmes: Programme[];
  people: Person[];
  beneficiaries: Beneficiary[];
  serviceOrders: ServiceOrder[];
  /** The assistants' contracts (Kraków's end on 2027-12-31, DOMAIN.md). */
  contracts: { personId: string; contract: Contract }[];
};

// Valid Polish IBANs (mod 97) of one fake bank branch; the people's older `bankAccount` stays as it was stored.
const demoIban = (n: number) => composeIBAN({ countryCode: "PL", bban: `1090101400000712198128${String(n).padStart(2, "0")}` })!;
const demoDeclarations = { studentUnder26: false, otherEmploymentAtMinimumWage: false, pit2: true, voluntarySickness: false, ppk: false };

const staff = (programmeId: string, prefix: string, domain: string) => [
  { id: `p-${prefix}-coordinator`, email: `koordynator@${domain}`, name: `Koordynator ${prefix === "krakow" ? "Kraków" : "Wrocław"} (demo)`, role: "coordinator" as const },
  { id: `p-${prefix}-approver`, email: `zatwierdzajacy@${domain}`, name: `Zatwierdzający ${prefix === "krakow" ? "Kraków" : "Wrocław"} (demo)`, role: "approver" as const },
  { id: `p-${prefix}-deputy`, email: `zastepca@${domain}`, name: `Zastępca zatwierdzającego ${prefix === "krakow" ? "Kraków" : "Wrocław"} (demo)`, role: "approver" as const },
  { id: `p-${prefix}-finance`, email: `ksiegowosc@${domain}`, name: `Księgowość ${prefix === "krakow" ? "Kraków" : "Wrocław"} (demo)`, role: "finance" as const },
  { id: `p-${prefix}-admin`, email: `admin@${domain}`, name: `Administrator ${prefix === "krakow" ? "Kraków" : "Wrocław"} (demo)`, role: "admin" as const },
].map(({ role, ...p }) => Person.parse({ ...p, roles: [{ programmeId, role }] }));

const krakowAssistants = [
  ["anna-nowak", "Anna Nowak"],
  ["piotr-kowalski", "Piotr Kowalski"],
  ["maria-wisniewska", "Maria Wiśniewska"],
  ["tomasz-wojcik", "Tomasz Wójcik"],
] as const;

const wroclawAssistants = [
  ["katarzyna-lewandowska", "Katarzyna Lewandowska", 3],
  ["jan-zielinski", "Jan Zieliński", 2],
  ["ewa-szymanska", "Ewa Szymańska", 3],
] as const;

const initialsPool = ["A.K.", "B.M.", "C.W.", "D.Z.", "E.P.", "F.S.", "G.L.", "H.N.", "I.R.", "J.T.", "K.B.", "Ł.D."];

// Example accounting settings: dział 852 (pomoc społeczna), rozdział 85295 (pozostała działalność),
// § 4170 (wynagrodzenia bezosobowe, what a civil contract is paid from); a centre sets its own.
// The payer of the transfer file (issue 17): a made-up account with a valid checksum.
const DEMO_ACCOUNTING: Record<string, Pick<Programme, "costCentre" | "budgetClassification" | "projectCode" | "payments">> = {
  "krakow-aou": {
    costCentre: "DD-AOU",
    budgetClassification: { section: "852", chapter: "85295", paragraph: "4170" },
    projectCode: "AOU-2026",
    payments: { payerName: ["Miejski Ośrodek Pomocy Społecznej", "ul. Przykładowa 1", "30-001 Kraków"], payerAccount: "PL10105000997603123456789123", transferAmount: "net", accidentBp: 167 },
  },
};

/** Demo programmes, people, beneficiaries and service orders for `month` (obviously fake e-mails, codes and initials only). */
export function demoData(month: string): DemoData {
  const issuedAt = warsawInstant(`${month}-01`, "08:00");
  const people: Person[] = [...staff("krakow-aou", "krakow", "mops-krakow.example.pl"), ...staff("wroclaw-ao", "wroclaw", "mops-wroclaw.example.pl")];
  const beneficiaries: Beneficiary[] = [];
  const serviceOrders: ServiceOrder[] = [];
  const contracts: DemoData["contracts"] = [];

  krakowAssistants.forEach(([slug, name], a) => {
    const assistant = Person.parse({
      id: `p-${slug}`,
      email: `${slug.replace("-", ".")}@asystent.example.pl`,
      name,
      roles: [{ programmeId: "krakow-aou", role: "assistant" }],
      contractNumber: `AOU/2025/${String(a + 1).padStart(3, "0")}`,
      bankAccount: `PL611090101400000712198128${String(a).padStart(2, "0")}`.slice(0, 28),
    });
    people.push(assistant);
    contracts.push({
      personId: assistant.id,
      contract: Contract.parse({ number: assistant.contractNumber, programmeId: "krakow-aou", from: "2025-01-01", to: "2027-12-31", bankAccount: demoIban(a), declarations: demoDeclarations }),
    });
    for (let b = 0; b < 6; b++) {
      const code = `KR-AOU-${String(a * 6 + b + 1).padStart(3, "0")}`;
      beneficiaries.push(Beneficiary.parse({ programmeId: "krakow-aou", code, initials: initialsPool[(a * 6 + b) % initialsPool.length] }));
      serviceOrders.push(newServiceOrder({ programmeId: "krakow-aou", month, assistantId: assistant.id, beneficiaryCode: code, orderedMinutes: 6 * 60, issuedBy: "p-krakow-coordinator", issuedAt }));
    }
  });

  let next = 1;
  wroclawAssistants.forEach(([slug, name, clients], a) => {
    const assistant = Person.parse({
      id: `p-${slug}`,
      email: `${slug.replace("-", ".")}@asystent.example.pl`,
      name,
      roles: [{ programmeId: "wroclaw-ao", role: "assistant" }],
      contractNumber: `AO/2026/${String(a + 1).padStart(3, "0")}`,
    });
    people.push(assistant);
    contracts.push({
      personId: assistant.id,
      contract: Contract.parse({ number: assistant.contractNumber, programmeId: "wroclaw-ao", from: "2025-01-01", to: "2027-12-31", bankAccount: demoIban(10 + a), declarations: { ...demoDeclarations, studentUnder26: a === 1, turns26On: a === 1 ? "2028-05-14" : undefined, pit2: a !== 1 } }),
    });
    for (let b = 0; b < clients; b++, next++) {
      const code = `WR-AO-${String(next).padStart(3, "0")}`;
      beneficiaries.push(Beneficiary.parse({ programmeId: "wroclaw-ao", code, initials: initialsPool[(next + 5) % initialsPool.length] }));
      serviceOrders.push(newServiceOrder({ programmeId: "wroclaw-ao", month, assistantId: assistant.id, beneficiaryCode: code, orderedMinutes: (20 + 10 * b) * 60, issuedBy: "p-wroclaw-coordinator", issuedAt }));
    }
  });

  return { programmes: seedProgrammes.map((p) => ({ ...structuredClone(p), ...DEMO_ACCOUNTING[p.id] })), people, beneficiaries, serviceOrders, contracts };
}
