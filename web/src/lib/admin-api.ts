// Calls of the administration pages (docs/admin.md): programmes, people, beneficiaries. Loaded with those pages only.
import { ApiError, get, post, put, q, request } from "./api";
import type { Person, Programme, Role } from "./types";
import type { ImportRowError } from "./staff-api";

const enc = encodeURIComponent;
const patch = <T>(path: string, body: unknown) => request<T>("PATCH", path, body);

/** What the pages send as a programme: the API parses it with the `ProgrammeInput` schema. */
export type ProgrammeDraft = Omit<Programme, "reminderRules" | "extraDaysOff" | "nightHours" | "approvalTimeoutWorkingDays" | "approverReminderAfterWorkingDays" | "signatureEvidence" | "retention"> & Partial<Programme>;

/** GET /api/programmes — every programme for the centre's administrator, else those the person has a role in. */
export async function loadAllProgrammes(): Promise<Programme[]> {
  return (await get<{ programmes: Programme[] }>("/api/programmes")).programmes;
}

/** GET /api/programmes/{id} with its revision (the ETag PUT's If-Match names). */
export function loadProgrammeWithRev(programmeId: string): Promise<{ programme: Programme; rev: number }> {
  return get<{ programme: Programme; rev: number }>(`/api/programmes/${enc(programmeId)}`);
}

/** POST /api/programmes — the centre's administrator creates a programme (the current month's cycle starts). */
export function createProgramme(programme: ProgrammeDraft) {
  return post<{ programme: Programme; rev: number }>("/api/programmes", programme);
}

/** PUT /api/programmes/{id} with If-Match: refused with VERSION_CONFLICT when someone changed it since `rev`. */
export function updateProgramme(programme: ProgrammeDraft, rev: number) {
  return request<{ programme: Programme; rev: number }>("PUT", `/api/programmes/${enc(programme.id)}`, programme, { headers: { "if-match": `"${rev}"` } });
}

export type ProgrammeVersion = { rev: number; changedBy: string; changedAt: string; before: Programme; after: Programme };

/** GET /api/programmes/{id}/versions — every change, oldest first. */
export async function loadProgrammeVersions(programmeId: string): Promise<ProgrammeVersion[]> {
  return (await get<{ versions: ProgrammeVersion[] }>(`/api/programmes/${enc(programmeId)}/versions`)).versions;
}

/** GET /api/programmes/{id}/people — every person with any role in the programme. */
export async function loadProgrammePeople(programmeId: string): Promise<Person[]> {
  return (await get<{ people: Person[] }>(`/api/programmes/${enc(programmeId)}/people${q({})}`)).people;
}

/** POST /api/programmes/{id}/people (with a role) or POST /api/people (no role yet: the centre's administrator). */
export async function createPerson(person: { id: string; name: string; email: string }, grant?: { programmeId: string; role: Role }): Promise<Person> {
  const body = grant
    ? await post<{ person: Person }>(`/api/programmes/${enc(grant.programmeId)}/people`, { ...person, roles: [grant] })
    : await post<{ person: Person }>("/api/people", person);
  return body.person;
}

/** POST /api/people/{personId}/roles. */
export async function addRole(personId: string, programmeId: string, role: Role): Promise<Person> {
  return (await post<{ person: Person }>(`/api/people/${enc(personId)}/roles`, { programmeId, role })).person;
}

/** DELETE /api/people/{personId}/roles/{programmeId}/{role} — refused (in both languages) while the programme still needs it. */
export async function removeRole(personId: string, programmeId: string, role: Role): Promise<Person> {
  return (await request<{ person: Person }>("DELETE", `/api/people/${enc(personId)}/roles/${enc(programmeId)}/${enc(role)}`)).person;
}

/** PATCH /api/people/{personId} (If-Match when the revision is known). */
export function changePerson(personId: string, change: { name?: string; email?: string; active?: boolean; mailStatus?: null }, rev?: number) {
  return request<{ person: Person; rev: number }>("PATCH", `/api/people/${enc(personId)}`, change, rev === undefined ? {} : { headers: { "if-match": `"${rev}"` } });
}

/** The person an EMAIL_TAKEN refusal names: who already holds the address. */
export function emailTakenBy(error: unknown): { personId: string; email: string } | undefined {
  if (!(error instanceof ApiError) || error.code !== "EMAIL_TAKEN") return undefined;
  const details = error.details as { personId?: string; email?: string } | undefined;
  return details?.personId ? { personId: details.personId, email: details.email ?? "" } : undefined;
}

export type BeneficiaryRow = { code: string; initials: string; active: boolean };

export async function loadBeneficiaryRegister(programmeId: string): Promise<BeneficiaryRow[]> {
  const body = await get<{ beneficiaries: { code: string; initials: string; active?: boolean }[] }>(`/api/programmes/${enc(programmeId)}/beneficiaries`);
  return body.beneficiaries.map((b) => ({ code: b.code, initials: b.initials, active: b.active !== false }));
}

export const createBeneficiary = (programmeId: string, b: { code: string; initials: string }) => post(`/api/programmes/${enc(programmeId)}/beneficiaries`, b);

export const changeBeneficiary = (programmeId: string, code: string, change: { active?: boolean; initials?: string }) => patch(`/api/programmes/${enc(programmeId)}/beneficiaries/${enc(code)}`, change);

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** POST /api/programmes/{id}/beneficiaries/import — a register file, every row or none. */
export function importBeneficiaries(programmeId: string, file: File) {
  const type = /\.xlsx$/i.test(file.name) ? XLSX : "text/csv";
  return post<{ imported: number }>(`/api/programmes/${enc(programmeId)}/beneficiaries/import`, new Blob([file], { type }));
}

/** The rows of a refused import file (ORDERS_IMPORT_FAILED, BENEFICIARIES_IMPORT_FAILED). */
export function refusedRows(error: unknown): ImportRowError[] | undefined {
  if (!(error instanceof ApiError) || !/_IMPORT_FAILED$/.test(error.code)) return undefined;
  const rows = (error.details as { rows?: ImportRowError[] } | undefined)?.rows;
  return Array.isArray(rows) ? rows : undefined;
}

/** Whether the refusal is a lost race with another change (If-Match or the conditional write). */
export const isVersionConflict = (error: unknown) => error instanceof ApiError && error.code === "VERSION_CONFLICT";

export type DirectoryPerson = { id: string; name: string; email: string; active?: boolean };

/** GET /api/people — everyone in the centre, with roles or none yet (the centre administrator only). */
export async function loadCentrePeople(): Promise<Person[]> {
  return (await get<{ people: Person[] }>("/api/people")).people;
}

/**
 * Everyone the administrator can name: for the centre's administrator the centre's directory
 * (people created with no role yet included); for a programme's admin the people of the
 * programmes they see.
 */
export async function loadDirectory(programmeIds: string[], me?: DirectoryPerson, centreAdmin = false): Promise<DirectoryPerson[]> {
  const lists = centreAdmin ? [await loadCentrePeople()] : await Promise.all(programmeIds.map((id) => loadProgrammePeople(id).catch(() => [] as Person[])));
  const all = new Map<string, DirectoryPerson>();
  if (me) all.set(me.id, me);
  for (const p of lists.flat()) all.set(p.id, { id: p.id, name: p.name, email: p.email, active: p.active });
  return [...all.values()].sort((a, b) => a.name.localeCompare(b.name, "pl"));
}

/** A person typed or picked: "Name <e-mail>" (the suggestions' form), the e-mail, the full name or the id. */
export function personOf(directory: DirectoryPerson[], typed: string): DirectoryPerson | undefined {
  const text = typed.trim().toLowerCase();
  if (!text) return undefined;
  const email = /<([^>]+)>\s*$/.exec(text)?.[1] ?? text;
  const byName = directory.filter((p) => p.name.toLowerCase() === text);
  return directory.find((p) => p.email.toLowerCase() === email || p.id.toLowerCase() === text) ?? (byName.length === 1 ? byName[0] : undefined);
}

export const personLabel = (p: DirectoryPerson) => `${p.name} <${p.email}>`;

/** A new person's id: from the e-mail's local part, with a random tail so two "jan.nowak" never collide. */
export function newPersonId(email: string): string {
  const local = email.split("@")[0].toLowerCase().normalize("NFD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "osoba";
  return `p-${local}-${Math.random().toString(36).slice(2, 6)}`;
}
