import { NotFoundError, VersionConflictError } from "../core/errors.js";
import { Programme, parseProgramme } from "../core/programme.js";
import { createItem, createIfAbsent, getItem, putTogether, queryAll, TransactionConflict, withoutKeys, type Read, storedAs } from "./dynamo.js";
import { keys, queries } from "./keys.js";

const item = (programme: Programme, rev = 1) => ({ ...keys.programme(programme.id), entity: "Programme", ...programme, rev });

/** One change of a programme's settings: who, when, and the settings before and after. */
export type ProgrammeVersion = { rev: number; changedBy: string; changedAt: string; before: Programme; after: Programme };

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
  return { key: keys.programme(programmeId), parse: (found) => (found ? storedAs(Programme, found, parseProgramme) : undefined) };
}

/** The programme, or NotFoundError. */
export async function getProgramme(programmeId: string): Promise<Programme> {
  const programme = await findProgramme(programmeId);
  if (!programme) throw new NotFoundError("programme", programmeId);
  return programme;
}

/** Every programme (a Query on gsi1, not a Scan). */
export async function listProgrammes(): Promise<Programme[]> {
  return (await queryAll(queries.programmes())).map((i) => storedAs(Programme, i, parseProgramme));
}

/** The programme with the revision of its item (for a change conditional on it), or NotFoundError. */
export async function programmeWithRev(programmeId: string): Promise<{ programme: Programme; rev: number }> {
  const found = await getItem(keys.programme(programmeId));
  if (!found) throw new NotFoundError("programme", programmeId);
  return { programme: storedAs(Programme, found, parseProgramme), rev: Number(found.rev ?? 1) };
}

/**
 * Stores a change of the programme's settings together with its version record (before, after,
 * who, when) in one transaction, only if nobody changed it since revision `rev` was read.
 */
export async function changeProgramme(before: Programme, after: Programme, rev: number, by: { personId: string; at: string }): Promise<number> {
  const version: ProgrammeVersion = { rev: rev + 1, changedBy: by.personId, changedAt: by.at, before, after };
  try {
    await putTogether([
      { item: item(parseProgramme(after), rev + 1), condition: "rev = :rev", values: { ":rev": rev } },
      { item: { ...keys.programmeVersion(after.id, rev + 1), entity: "ProgrammeVersion", ...version }, condition: "attribute_not_exists(pk)" },
    ]);
  } catch (error) {
    if (error instanceof TransactionConflict) throw new VersionConflictError("programme", after.id, rev);
    throw error;
  }
  return rev + 1;
}

/** The programme's changes, oldest first. */
export async function programmeVersions(programmeId: string): Promise<ProgrammeVersion[]> {
  return (await queryAll(queries.programmeVersions(programmeId))).map((i) => {
    // `rev` is one of the entity attributes withoutKeys drops: read it from the item itself
    const v = withoutKeys(i) as ProgrammeVersion;
    return { rev: Number(i.rev), changedBy: v.changedBy, changedAt: v.changedAt, before: v.before, after: v.after };
  });
}
