import { NotFoundError } from "../core/errors.js";
import { type Programme, parseProgramme } from "../core/programme.js";
import { createItem, createIfAbsent, getItem, queryAll, withoutKeys, type Read } from "./dynamo.js";
import { keys, queries } from "./keys.js";

const item = (programme: Programme) => ({ ...keys.programme(programme.id), entity: "Programme", rev: 1, ...programme });

/** Stores a new programme (conditional create; AlreadyExistsError if the id is taken). */
export async function createProgramme(programme: Programme): Promise<void> {
  await createItem(item(parseProgramme(programme)), "programme", programme.id);
}

/** Stores the programme unless one with its id exists; true when written. */
export async function createProgrammeIfAbsent(programme: Programme): Promise<boolean> {
  return createIfAbsent(item(parseProgramme(programme)));
}

/** The programme, or undefined. */
export async function findProgramme(programmeId: string): Promise<Programme | undefined> {
  const read = programmeRead(programmeId);
  return read.parse(await getItem(read.key));
}

/** The same as a read to send together with others (readTogether). */
export function programmeRead(programmeId: string): Read<Programme | undefined> {
  return { key: keys.programme(programmeId), parse: (found) => (found ? parseProgramme(withoutKeys(found)) : undefined) };
}

/** The programme, or NotFoundError. */
export async function getProgramme(programmeId: string): Promise<Programme> {
  const programme = await findProgramme(programmeId);
  if (!programme) throw new NotFoundError("programme", programmeId);
  return programme;
}

/** Every programme (a Query on gsi1, not a Scan). */
export async function listProgrammes(): Promise<Programme[]> {
  return (await queryAll(queries.programmes())).map((i) => parseProgramme(withoutKeys(i)));
}
