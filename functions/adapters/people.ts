import { AlreadyExistsError, EmailTakenError, NotFoundError, VersionConflictError } from "../core/errors.js";
import { applyPersonChange, normaliseEmail, Person, PersonId, type MailStatus, type PersonChange, type PersonInput, type Role } from "../core/person.js";
import { markedPerson } from "../core/mail-event.js";
import { createIfAbsent, getItem, putTogether, queryAll, TransactionConflict, withoutKeys, type Read, type TransactDelete, type TransactPut, storedAs } from "./dynamo.js";
import { keys, queries } from "./keys.js";

const personItem = (p: Person, rev = 1) => ({ ...keys.person(p.id, p.email), entity: "Person", ...p, rev });
const roleItem = (p: Person, programmeId: string, role: Role) => ({ ...keys.personRole(programmeId, role, p.id), entity: "PersonRole", ...p });
const claimItem = (email: string, personId: string) => ({ ...keys.emailClaim(email), entity: "EmailClaim", personId });

/**
 * Creates a person, then one membership item per role (two kinds of single-item writes: no
 * transactions in dynalite). The person item is written first and is the truth: if a crash
 * leaves memberships missing, calling createPerson again with the same person completes them.
 * An e-mail address is one person: an address held by someone else is refused (EmailTakenError),
 * and that person is given a role instead (addRole). Returns how many items were written (0
 * when everything already existed).
 */
export async function createPerson(input: PersonInput): Promise<number> {
  // what SES reported about an address is set by its events only, never by whoever creates the person
  const { mailStatus: _reported, ...person } = Person.parse(input);
  // an id already taken by someone else is refused before the address is claimed for it
  const sameId = await findPerson(person.id);
  if (sameId && JSON.stringify(asCreated(sameId)) !== JSON.stringify(person)) throw new AlreadyExistsError("person", person.id);
  await claimEmail(person.email, person.id);
  let written = 0;
  if (await createIfAbsent(personItem(person))) written++;
  else {
    const existing = await findPerson(person.id);
    if (!existing || JSON.stringify(asCreated(existing)) !== JSON.stringify(person)) throw new AlreadyExistsError("person", person.id);
  }
  for (const { programmeId, role } of person.roles) if (await createIfAbsent(roleItem(person, programmeId, role))) written++;
  return written;
}

/** The person as created (a repeated create of a person SES has marked since is the same person). */
const asCreated = ({ mailStatus: _reported, ...person }: Person): Person => person;

/** Claims the address for the person, or EmailTakenError naming who holds it. */
async function claimEmail(email: string, personId: string): Promise<void> {
  // people stored before the claims existed are found by the e-mail index
  const other = await personByEmail(email);
  if (other && other.id !== personId) throw new EmailTakenError(email, other.id, other.name);
  if (await createIfAbsent(claimItem(email, personId))) return;
  const claim = await getItem(keys.emailClaim(email));
  if (claim?.personId === personId) return;
  if (claim?.personId) {
    const holder = await findPerson(String(claim.personId));
    throw new EmailTakenError(email, String(claim.personId), holder?.name ?? String(claim.personId));
  }
  await putTogether([claimPut(email, personId)]).catch(claimConflict(email));
}

/** A put of the claim that holds only while the address is free (never claimed, released) or already the person's. */
const claimPut = (email: string, personId: string): TransactPut => ({
  item: claimItem(email, personId),
  condition: "attribute_not_exists(pk) OR personId = :person OR personId = :free",
  values: { ":person": personId, ":free": "" },
});

const claimConflict = (email: string) => async (error: unknown) => {
  if (!(error instanceof TransactionConflict)) throw error;
  const holder = await personByEmail(email);
  throw new EmailTakenError(email, holder?.id ?? "?", holder?.name ?? email);
};

/** The person, or undefined. */
export async function findPerson(personId: string): Promise<Person | undefined> {
  if (!PersonId.safeParse(personId).success) return undefined; // no such id can be stored (and no key too long for the table)
  const read = personRead(personId);
  return read.parse(await getItem(read.key));
}

/** The person with the revision of its item (for a change conditional on it). */
export async function personWithRev(personId: string): Promise<{ person: Person; rev: number }> {
  if (!PersonId.safeParse(personId).success) throw new NotFoundError("person", personId.slice(0, 64));
  const found = await getItem(keys.personById(personId));
  if (!found) throw new NotFoundError("person", personId);
  return { person: storedAs(Person, found), rev: Number(found.rev ?? 1) };
}

/** The same as a read to send together with others (readTogether). */
export function personRead(personId: string): Read<Person | undefined> {
  return { key: keys.personById(personId), parse: (found) => (found ? storedAs(Person, found) : undefined) };
}

/** The person, or NotFoundError. */
export async function getPerson(personId: string): Promise<Person> {
  const person = await findPerson(personId);
  if (!person) throw new NotFoundError("person", personId);
  return person;
}

/** The person with this e-mail (case-insensitive), or undefined (a Query on gsi1). */
export async function personByEmail(email: string): Promise<Person | undefined> {
  const [found] = await queryAll(queries.personByEmail(normaliseEmail(email)));
  return found ? storedAs(Person, found) : undefined;
}

/** Everyone in the centre, with a role or none yet, by id (the centre administrator's directory). */
export async function centrePeople(): Promise<Person[]> {
  return (await queryAll(queries.centrePeople())).map((i) => storedAs(Person, i));
}

/** The people holding `role` in the programme (a Query on the programme's membership items). */
export async function peopleByProgrammeRole(programmeId: string, role: Role): Promise<Person[]> {
  return (await queryAll(queries.peopleByProgrammeRole(programmeId, role))).map((i) => storedAs(Person, i));
}

/**
 * Writes the person's next state in one transaction: the person item (only if still at `rev`),
 * every membership copy, and on a new address its claim (the old one released). The id never
 * changes, so reports, approvals and batches keep naming the same person.
 */
async function savePerson(before: Person, after: Person, rev: number): Promise<Person> {
  const held = (p: Person, r: { programmeId: string; role: string }) => p.roles.some((x) => x.programmeId === r.programmeId && x.role === r.role);
  const puts: (TransactPut | TransactDelete)[] = [
    { item: personItem(after, rev + 1), condition: "rev = :rev", values: { ":rev": rev } },
    ...after.roles.map(({ programmeId, role }) => ({ item: roleItem(after, programmeId, role) })),
    // a role taken away: its membership copy goes in the same transaction
    ...before.roles.filter((r) => !held(after, r)).map(({ programmeId, role }) => ({ delete: keys.personRole(programmeId, role, after.id) })),
  ];
  if (after.email !== before.email) puts.push(claimPut(after.email, after.id), { item: claimItem(before.email, "") });
  try {
    await putTogether(puts);
  } catch (error) {
    if (!(error instanceof TransactionConflict)) throw error;
    if (error.failed[0]) throw new VersionConflictError("person", after.id, rev);
    const holder = await personByEmail(after.email);
    throw new EmailTakenError(after.email, holder?.id ?? "?", holder?.name ?? after.email);
  }
  return after;
}

/** An admin's change of name, e-mail, contract fields or activity; VersionConflictError if changed meanwhile. */
export async function changePerson(personId: string, change: PersonChange, expectedRev?: number): Promise<{ person: Person; rev: number }> {
  const { person, rev } = await personWithRev(personId);
  if (expectedRev !== undefined && expectedRev !== rev) throw new VersionConflictError("person", personId, expectedRev);
  const next = applyPersonChange(person, change);
  if (next.email !== person.email) {
    const other = await personByEmail(next.email);
    if (other && other.id !== personId) throw new EmailTakenError(next.email, other.id, other.name);
  }
  return { person: await savePerson(person, next, rev), rev: rev + 1 };
}

/** Takes a role in a programme away (the person, their history and their other roles stay); false if they did not hold it. */
export async function removeRole(personId: string, programmeId: string, role: Role): Promise<{ person: Person; removed: boolean }> {
  const { person, rev } = await personWithRev(personId);
  if (!person.roles.some((r) => r.programmeId === programmeId && r.role === role)) return { person, removed: false };
  const next = Person.parse({ ...person, roles: person.roles.filter((r) => !(r.programmeId === programmeId && r.role === role)) });
  return { person: await savePerson(person, next, rev), removed: true };
}

/** Gives the person a role in a programme (an e-mail is one person; roles are added per programme). */
export async function addRole(personId: string, programmeId: string, role: Role): Promise<{ person: Person; added: boolean }> {
  const { person, rev } = await personWithRev(personId);
  if (person.roles.some((r) => r.programmeId === programmeId && r.role === role)) return { person, added: false };
  const next = Person.parse({ ...person, roles: [...person.roles, { programmeId, role }] });
  return { person: await savePerson(person, next, rev), added: true };
}

/**
 * Marks the person holding the address with what SES reported about e-mail to it (core
 * markedPerson decides); false when nobody holds the address, the person is inactive, or the
 * mark is already there (SNS delivers a notification at least once). The person item and its
 * membership copies change together, so the programme's lists show the mark too.
 */
export async function markMailStatus(email: string, status: MailStatus): Promise<boolean> {
  const address = normaliseEmail(email);
  const claim = await getItem(keys.emailClaim(address));
  // people stored before the claims existed are found by the e-mail index; a released claim ("") is nobody
  const personId = claim ? String(claim.personId ?? "") : (await personByEmail(address))?.id;
  if (!personId) return false;
  for (let attempt = 1; ; attempt++) {
    const found = await personWithRev(personId).catch((error) => (error instanceof NotFoundError ? undefined : Promise.reject(error)));
    const next = found && markedPerson(found.person, address, status);
    if (!found || !next) return false;
    try {
      await savePerson(found.person, next, found.rev);
      return true;
    } catch (error) {
      // an admin's change at the same moment: read the person again and decide again
      if (!(error instanceof VersionConflictError) || attempt >= 3) throw error;
    }
  }
}
