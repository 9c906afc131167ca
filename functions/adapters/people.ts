import { AlreadyExistsError, NotFoundError } from "../core/errors.js";
import { normaliseEmail, Person, type Role } from "../core/person.js";
import { createIfAbsent, getItem, queryAll, withoutKeys, type Read } from "./dynamo.js";
import { keys, queries } from "./keys.js";

const personItem = (p: Person) => ({ ...keys.person(p.id, p.email), entity: "Person", rev: 1, ...p });
const roleItem = (p: Person, programmeId: string, role: Role) => ({ ...keys.personRole(programmeId, role, p.id), entity: "PersonRole", ...p });

/**
 * Creates a person, then one membership item per role (two kinds of single-item writes: no
 * transactions in dynalite). The person item is written first and is the truth: if a crash
 * leaves memberships missing, calling createPerson again with the same person completes them.
 * Returns how many items were written (0 when everything already existed).
 */
export async function createPerson(input: Person): Promise<number> {
  const person = Person.parse(input);
  let written = 0;
  if (await createIfAbsent(personItem(person))) written++;
  else {
    const existing = await findPerson(person.id);
    if (!existing || JSON.stringify(existing) !== JSON.stringify(person)) throw new AlreadyExistsError("person", person.id);
  }
  for (const { programmeId, role } of person.roles) if (await createIfAbsent(roleItem(person, programmeId, role))) written++;
  return written;
}

/** The person, or undefined. */
export async function findPerson(personId: string): Promise<Person | undefined> {
  const read = personRead(personId);
  return read.parse(await getItem(read.key));
}

/** The same as a read to send together with others (readTogether). */
export function personRead(personId: string): Read<Person | undefined> {
  return { key: keys.personById(personId), parse: (found) => (found ? Person.parse(withoutKeys(found)) : undefined) };
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
  return found ? Person.parse(withoutKeys(found)) : undefined;
}

/** The people holding `role` in the programme (a Query on the programme's membership items). */
export async function peopleByProgrammeRole(programmeId: string, role: Role): Promise<Person[]> {
  return (await queryAll(queries.peopleByProgrammeRole(programmeId, role))).map((i) => Person.parse(withoutKeys(i)));
}
