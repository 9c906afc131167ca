/**
 * Every key value of the single table, and every access path as a key condition. Nothing else
 * builds keys. Attribute names (pk/sk, gsi1pk…) come from adapters/table-schema.ts.
 * Ids never contain "#" (their schemas forbid it), so "#" separates key segments safely.
 */

export type IndexName = "gsi1" | "gsi2" | "gsi3";
export type Keys = { pk: string; sk: string } & Partial<Record<`${IndexName}pk` | `${IndexName}sk`, string>>;
/** A Query: the partition key value on the table or an index, optionally a sort-key prefix. */
/** A Query: one partition, optionally its sort keys starting with `skPrefix` or within `skBetween` (inclusive). */
export type QuerySpec = { index?: IndexName; pk: string; skPrefix?: string; skBetween?: readonly [string, string] };

const pad = (n: number) => String(n).padStart(6, "0");

export const keys = {
  programme: (programmeId: string): Keys => ({
    pk: `PROGRAMME#${programmeId}`,
    sk: "PROGRAMME",
    gsi1pk: "PROGRAMMES",
    gsi1sk: programmeId,
  }),

  /** A programme's earlier setting with who changed it and when (written with each change, never changed). */
  programmeVersion: (programmeId: string, rev: number): Keys => ({ pk: `PROGRAMME#${programmeId}`, sk: `VERSION#${pad(rev)}` }),

  personById: (personId: string): Keys => ({ pk: `PERSON#${personId}`, sk: "PERSON" }),
  /** One e-mail address is one person: claimed with a conditional put, released ("") when the address changes. */
  emailClaim: (email: string): Keys => ({ pk: `EMAIL#${email}`, sk: "CLAIM" }),
  /** gsi3 "PEOPLE" is the centre's directory of everyone, roles or not (GET /api/people). */
  person: (personId: string, email: string): Keys => ({
    ...keys.personById(personId),
    gsi1pk: `EMAIL#${email}`,
    gsi1sk: `PERSON#${personId}`,
    gsi3pk: "PEOPLE",
    gsi3sk: `PERSON#${personId}`,
  }),
  /**
   * All of a person's contracts in one item (optimistic lock on `rev`): submitting a report reads
   * them in the same BatchGetItem as the person, programme and order.
   */
  contracts: (personId: string): Keys => ({ pk: `PERSON#${personId}`, sk: "CONTRACTS" }),
  /** One change of a person's contracts: who, when, the contract before and after (written with the change, never changed). */
  contractVersion: (personId: string, rev: number): Keys => ({ pk: `PERSON#${personId}`, sk: `CONTRACTVERSION#${pad(rev)}` }),
  /**
   * Where a person's contracts in a programme end (the latest `to`), in the programme's partition;
   * gsi2 sorts the programme's people by that day, so the board reads the ending and ended ones in one Query.
   */
  contractEnd: (programmeId: string, personId: string, to: string): Keys => ({
    pk: `PROGRAMME#${programmeId}`,
    sk: `CONTRACTEND#${personId}`,
    gsi2pk: `PROGRAMME#${programmeId}#CONTRACTENDS`,
    gsi2sk: `END#${to}#${personId}`,
  }),
  /** One membership item per role, in the programme's partition, holding a copy of the person. */
  personRole: (programmeId: string, role: string, personId: string): Keys => ({
    pk: `PROGRAMME#${programmeId}`,
    sk: `ROLE#${role}#${personId}`,
  }),

  beneficiary: (programmeId: string, code: string): Keys => ({
    pk: `PROGRAMME#${programmeId}`,
    sk: `BENEFICIARY#${code}`,
  }),

  serviceOrder: (o: { programmeId: string; month: string; assistantId: string; beneficiaryCode: string }): Keys => ({
    pk: `PROGRAMME#${o.programmeId}#MONTH#${o.month}`,
    sk: `ORDER#${o.assistantId}#${o.beneficiaryCode}`,
    gsi1pk: `ASSISTANT#${o.assistantId}#MONTH#${o.month}`,
    gsi1sk: `ORDER#${o.programmeId}#${o.beneficiaryCode}`,
  }),

  reportCurrent: (reportId: string): Keys => ({ pk: `REPORT#${reportId}`, sk: "CURRENT" }),
  /** The current state of a report (mutable, optimistic lock on `rev`). */
  report: (r: { id: string; programmeId: string; month: string; assistantId: string; beneficiaryCode: string; status: string }): Keys => ({
    ...keys.reportCurrent(r.id),
    // one partition per assistant, months in sort order: the overlap rule reads neighbouring months in one Query
    gsi1pk: `ASSISTANT#${r.assistantId}#REPORTS`,
    gsi1sk: `MONTH#${r.month}#REPORT#${r.programmeId}#${r.beneficiaryCode}`,
    gsi2pk: `PROGRAMME#${r.programmeId}#MONTH#${r.month}#STATUS#${r.status}`,
    gsi2sk: `REPORT#${r.assistantId}#${r.beneficiaryCode}`,
    gsi3pk: `PROGRAMME#${r.programmeId}#MONTH#${r.month}`,
    gsi3sk: `REPORT#${r.assistantId}#${r.beneficiaryCode}`,
  }),
  /** An immutable submitted version of a report. */
  reportVersion: (reportId: string, version: number): Keys => ({ pk: `REPORT#${reportId}`, sk: `VERSION#${pad(version)}` }),
  auditEvent: (reportId: string, at: string, eventId: string): Keys => ({ pk: `REPORT#${reportId}`, sk: `AUDIT#${at}#${eventId}` }),
  /** Files a report's audit event under its actor too, so a person's data export finds what they did (GDPR art. 15). */
  auditEventByActor: (actorId: string, at: string, eventId: string): Pick<Keys, "gsi1pk" | "gsi1sk"> => ({ gsi1pk: `ACTOR#${actorId}`, gsi1sk: `AUDIT#${at}#${eventId}` }),
  /** An append-only event about a person (their data exported, …), in the person's partition. */
  personAuditEvent: (personId: string, at: string, eventId: string): Keys => ({ pk: `PERSON#${personId}`, sk: `AUDIT#${at}#${eventId}` }),

  // Layouts reserved for the workflow, approval and export parts (same partition rules).
  approvalById: (approvalId: string): Keys => ({ pk: `APPROVAL#${approvalId}`, sk: "APPROVAL" }),
  approval: (approvalId: string, reportId: string, version: number): Keys => ({
    ...keys.approvalById(approvalId),
    gsi1pk: `REPORT#${reportId}`,
    gsi1sk: `APPROVAL#${pad(version)}#${approvalId}`,
  }),
  /**
   * Sparse index entry of a *pending* approval in its programme's partition of gsi2, oldest
   * first; written with the approval, removed by the decision or when it is superseded.
   */
  approvalPending: (programmeId: string, createdAt: string, approvalId: string): Pick<Keys, "gsi2pk" | "gsi2sk"> => ({
    gsi2pk: `PROGRAMME#${programmeId}#APPROVALS#PENDING`,
    gsi2sk: `APPROVAL#${createdAt}#${approvalId}`,
  }),
  taskToken: (reportId: string, version: number): Keys => ({ pk: `REPORT#${reportId}`, sk: `TOKEN#${pad(version)}` }),
  cycle: (programmeId: string, month: string): Keys => ({ pk: `PROGRAMME#${programmeId}#MONTH#${month}`, sk: "CYCLE" }),
  /** A report still missing when intake closed (no report or only a draft); written once, never removed. */
  overdue: (o: { programmeId: string; month: string; assistantId: string; beneficiaryCode: string }): Keys => ({
    pk: `PROGRAMME#${o.programmeId}#MONTH#${o.month}`,
    sk: `OVERDUE#${o.assistantId}#${o.beneficiaryCode}`,
  }),
  batchById: (batchId: string): Keys => ({ pk: `BATCH#${batchId}`, sk: "BATCH" }),
  batch: (batchId: string, programmeId: string, month: string): Keys => ({
    ...keys.batchById(batchId),
    gsi1pk: `PROGRAMME#${programmeId}#MONTH#${month}#BATCHES`,
    gsi1sk: batchId,
  }),
  /** An append-only event of a batch (a file handed out for download), next to the batch. */
  batchAuditEvent: (batchId: string, at: string, eventId: string): Keys => ({ pk: `BATCH#${batchId}`, sk: `AUDIT#${at}#${eventId}` }),
  /** Sorted by assistant so that the export streams one payment line per assistant. */
  batchLine: (batchId: string, assistantId: string, reportId: string): Keys => ({ pk: `BATCH#${batchId}`, sk: `LINE#${assistantId}#${reportId}` }),
  /** Claimed with a conditional create when a report version goes into a batch: never paid twice. */
  reportExport: (reportId: string): Keys => ({ pk: `REPORT#${reportId}`, sk: "EXPORTED" }),
  /** An approved report version the payment files could not print, set aside from the batch (core/set-aside.ts). */
  setAside: (programmeId: string, month: string, reportId: string, version: number): Keys => ({
    pk: `PROGRAMME#${programmeId}#MONTH#${month}`,
    sk: `SETASIDE#${reportId}#${pad(version)}`,
  }),
  /** A monthly audit pack in the programme's chain (core/audit-pack.ts), by position: written once. */
  auditPack: (programmeId: string, seq: number): Keys => ({ pk: `PROGRAMME#${programmeId}`, sk: `AUDITPACK#${pad(seq)}` }),
  outbox: (messageKey: string): Keys => ({ pk: `OUTBOX#${messageKey}`, sk: "OUTBOX" }),
  /**
   * Sparse index entries of an outbox record while it still names its recipient: by the UTC
   * month it was written (the retention clean-up) and, for one recipient, by that address (a
   * person's data export). The clean-up removes both with the recipient (core/retention.ts).
   */
  outboxIndexes: (messageKey: string, createdAt: string, to: readonly string[]): Partial<Keys> => ({
    gsi2pk: `OUTBOX#${createdAt.slice(0, 7)}`,
    gsi2sk: `${createdAt}#${messageKey}`,
    ...(to.length === 1 ? { gsi1pk: `MAILTO#${to[0].toLowerCase()}`, gsi1sk: `OUTBOX#${createdAt}#${messageKey}` } : {}),
  }),
  /** Where the retention clean-up stopped, per scope (a programme's drafts, or the outbox): resumable. */
  retentionState: (scope: string): Keys => ({ pk: `RETENTION#${scope}`, sk: "STATE" }),
  /** What one clean-up run removed (counts only), in time order. */
  retentionRun: (at: string): Keys => ({ pk: "RETENTION#RUNS", sk: `RUN#${at}` }),

  // Sign-in: only SHA-256 hashes of the secret tokens are stored, never the tokens themselves.
  signInLink: (tokenHash: string): Keys => ({ pk: `SIGNIN#${tokenHash}`, sk: "SIGNIN" }),
  session: (tokenHash: string): Keys => ({ pk: `SESSION#${tokenHash}`, sk: "SESSION" }),
  /** A sign-in limit's counter: links asked for one address, or asked by one client, in one window (both hashed; TTL removes it). */
  signInLimit: (scope: "ADDRESS" | "CLIENT", hash: string, windowStart: string): Keys => ({ pk: `SIGNINLIMIT#${scope}#${hash}`, sk: `WINDOW#${windowStart}` }),
  /** Files a session or sign-in link under its person (metadata for the data export; TTL removes both). */
  credentialOfPerson: (personId: string, kind: "SESSION" | "SIGNIN", createdAt: string): Pick<Keys, "gsi1pk" | "gsi1sk"> => ({ gsi1pk: `PERSON#${personId}#CREDENTIALS`, gsi1sk: `${kind}#${createdAt}` }),
};

export const queries = {
  programmes: (): QuerySpec => ({ index: "gsi1", pk: "PROGRAMMES" }),
  personByEmail: (email: string): QuerySpec => ({ index: "gsi1", pk: `EMAIL#${email}`, skPrefix: "PERSON#" }),
  /** The programme's people whose last contract ends on or before `lastDay` (YYYY-MM-DD), earliest first. */
  contractEndsOfProgramme: (programmeId: string, lastDay: string): QuerySpec => ({
    index: "gsi2",
    pk: `PROGRAMME#${programmeId}#CONTRACTENDS`,
    skBetween: ["END#", `END#${lastDay}$`], // "$" follows "#": every key of `lastDay` sorts before it
  }),
  contractVersions: (personId: string): QuerySpec => ({ pk: `PERSON#${personId}`, skPrefix: "CONTRACTVERSION#" }),
  /** Every person of the centre (the administrator's directory). */
  centrePeople: (): QuerySpec => ({ index: "gsi3", pk: "PEOPLE", skPrefix: "PERSON#" }),
  peopleByProgrammeRole: (programmeId: string, role: string): QuerySpec => ({ pk: `PROGRAMME#${programmeId}`, skPrefix: `ROLE#${role}#` }),
  programmeVersions: (programmeId: string): QuerySpec => ({ pk: `PROGRAMME#${programmeId}`, skPrefix: "VERSION#" }),
  beneficiariesOfProgramme: (programmeId: string): QuerySpec => ({ pk: `PROGRAMME#${programmeId}`, skPrefix: "BENEFICIARY#" }),
  ordersByProgrammeMonth: (programmeId: string, month: string): QuerySpec => ({ pk: `PROGRAMME#${programmeId}#MONTH#${month}`, skPrefix: "ORDER#" }),
  ordersByAssistantMonth: (assistantId: string, month: string): QuerySpec => ({ index: "gsi1", pk: `ASSISTANT#${assistantId}#MONTH#${month}`, skPrefix: "ORDER#" }),
  reportsByAssistantMonth: (assistantId: string, month: string): QuerySpec => ({ index: "gsi1", pk: `ASSISTANT#${assistantId}#REPORTS`, skPrefix: `MONTH#${month}#` }),
  /** The assistant's reports of the months `from`..`to` (YYYY-MM, inclusive), in one Query. */
  reportsByAssistantMonths: (assistantId: string, from: string, to: string): QuerySpec => ({
    index: "gsi1",
    pk: `ASSISTANT#${assistantId}#REPORTS`,
    skBetween: [`MONTH#${from}#`, `MONTH#${to}$`], // "$" follows "#": every key of month `to` sorts before it
  }),
  reportsByProgrammeMonthStatus: (programmeId: string, month: string, status: string): QuerySpec => ({ index: "gsi2", pk: `PROGRAMME#${programmeId}#MONTH#${month}#STATUS#${status}` }),
  reportsByProgrammeMonth: (programmeId: string, month: string): QuerySpec => ({ index: "gsi3", pk: `PROGRAMME#${programmeId}#MONTH#${month}`, skPrefix: "REPORT#" }),
  reportVersions: (reportId: string): QuerySpec => ({ pk: `REPORT#${reportId}`, skPrefix: "VERSION#" }),
  auditEventsOfReport: (reportId: string): QuerySpec => ({ pk: `REPORT#${reportId}`, skPrefix: "AUDIT#" }),
  approvalsOfReport: (reportId: string): QuerySpec => ({ index: "gsi1", pk: `REPORT#${reportId}`, skPrefix: "APPROVAL#" }),
  pendingApprovalsOfProgramme: (programmeId: string): QuerySpec => ({ index: "gsi2", pk: `PROGRAMME#${programmeId}#APPROVALS#PENDING`, skPrefix: "APPROVAL#" }),
  batchesOfProgrammeMonth: (programmeId: string, month: string): QuerySpec => ({ index: "gsi1", pk: `PROGRAMME#${programmeId}#MONTH#${month}#BATCHES` }),
  batchLines: (batchId: string): QuerySpec => ({ pk: `BATCH#${batchId}`, skPrefix: "LINE#" }),
  auditEventsOfBatch: (batchId: string): QuerySpec => ({ pk: `BATCH#${batchId}`, skPrefix: "AUDIT#" }),
  batchLinesOfAssistant: (batchId: string, assistantId: string): QuerySpec => ({ pk: `BATCH#${batchId}`, skPrefix: `LINE#${assistantId}#` }),
  /** The lines of the assistants sorting after `assistantId` ("$" follows "#", and ids hold neither). */
  batchLinesAfterAssistant: (batchId: string, assistantId: string): QuerySpec => ({ pk: `BATCH#${batchId}`, skBetween: [`LINE#${assistantId}$`, "LINE$"] }),
  setAsidesOfProgrammeMonth: (programmeId: string, month: string): QuerySpec => ({ pk: `PROGRAMME#${programmeId}#MONTH#${month}`, skPrefix: "SETASIDE#" }),
  /** The programme's audit packs, oldest first (the chain). */
  auditPacksOfProgramme: (programmeId: string): QuerySpec => ({ pk: `PROGRAMME#${programmeId}`, skPrefix: "AUDITPACK#" }),
  overdueOfProgrammeMonth: (programmeId: string, month: string): QuerySpec => ({ pk: `PROGRAMME#${programmeId}#MONTH#${month}`, skPrefix: "OVERDUE#" }),
  /** Every report of an assistant, all months and programmes (the data export). */
  reportsOfAssistant: (assistantId: string): QuerySpec => ({ index: "gsi1", pk: `ASSISTANT#${assistantId}#REPORTS`, skPrefix: "MONTH#" }),
  auditEventsByActor: (actorId: string): QuerySpec => ({ index: "gsi1", pk: `ACTOR#${actorId}`, skPrefix: "AUDIT#" }),
  personAuditEvents: (personId: string): QuerySpec => ({ pk: `PERSON#${personId}`, skPrefix: "AUDIT#" }),
  outboxToRecipient: (email: string): QuerySpec => ({ index: "gsi1", pk: `MAILTO#${email.toLowerCase()}`, skPrefix: "OUTBOX#" }),
  /** Outbox records of a UTC month written before `before` that still name their recipient ("0" sorts before any instant). */
  outboxOfMonthBefore: (month: string, before: string): QuerySpec => ({ index: "gsi2", pk: `OUTBOX#${month}`, skBetween: ["0", before] }),
  credentialsOfPerson: (personId: string): QuerySpec => ({ index: "gsi1", pk: `PERSON#${personId}#CREDENTIALS` }),
  retentionRuns: (): QuerySpec => ({ pk: "RETENTION#RUNS", skPrefix: "RUN#" }),
};

/** Outbox keys (one e-mail per key, ever) shared by more than one sender. */
export const outboxKeys = {
  /**
   * The approver's (or deputy's) one reminder digest per programme and Warsaw calendar day,
   * whoever sends it first: the cycle's daily check or an approval's timeout.
   */
  approverDigest: (programmeId: string, personId: string, warsawDate: string): string => `approver-digest#${programmeId}#${personId}#${warsawDate}`,
  /** The assistant's notice that a report version was returned, with the reason. */
  returnedReport: (reportId: string, version: number): string => `report#${reportId}#v${version}#returned`,
  /** The coordinators' and operators' alert that a report version was set aside from the payment files. */
  setAsideAlert: (reportId: string, version: number): string => `report#${reportId}#v${version}#set-aside`,
  /** A sign-in link e-mail, by the hash of the link's token (one e-mail per link). */
  signInLink: (tokenHash: string): string => `signin#${tokenHash}`,
  /** The payment batch's e-mail to finance: one per batch, ever. */
  batchToFinance: (batchId: string): string => `batch#${batchId}`,
  /** The coordinator's summary when a month's intake closes. */
  intakeSummary: (cycleName: string, coordinatorId: string): string => `intake-summary#${cycleName}#${coordinatorId}`,
  /** An assistant's reminder (one per cycle, reminder rule and assistant). */
  assistantReminder: (cycleName: string, reminderId: string, assistantId: string): string => `reminder#${cycleName}#${reminderId}#${assistantId}`,
  /** An e-mail about one approval (its link, a reminder, an escalation: `purpose`). */
  approvalMail: (approvalId: string, purpose: string): string => `approval#${approvalId}#${purpose}`,
  /** The assistant's payment summary for a batch: one e-mail per assistant per batch, ever. */
  paymentSummary: (batchId: string, assistantId: string): string => `batch#${batchId}#assistant#${assistantId}#paid`,
};

/** Top-level folders of the files bucket; IAM grants name them (stacks/permissions.ts). */
export const objectPrefixes = { batchFiles: "batches/", archive: "archive/", pages: "pages/" } as const;

/**
 * S3 object keys of the files bucket. Programme, month and batch ids hold only [a-z0-9-] and
 * file names are made by core/exports, so a key needs no escaping and sorts by programme and month.
 */
export const objectKeys = {
  /** A payment file of a batch: `batches/<programmeId>/<month>/<batchId>/<file name>`. */
  batchFile: (b: { programmeId: string; month: string; batchId: string }, name: string): string => {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`Not a batch file name: ${name}`);
    return `${objectPrefixes.batchFiles}${b.programmeId}/${b.month}/${b.batchId}/${name}`;
  },
  /** The page plan of a batch (what the Distributed Map reads): `pages/<programmeId>/<month>/<batchId>/plan.json`. */
  batchPlan: (b: { programmeId: string; month: string; batchId: string }): string => `${objectPrefixes.pages}${b.programmeId}/${b.month}/${b.batchId}/plan.json`,
  /** A part one page of a batch wrote (kept days, not years): `pages/<programmeId>/<month>/<batchId>/<page>/<part>`. */
  batchPagePart: (b: { programmeId: string; month: string; batchId: string }, page: number, part: string): string =>
    `${objectPrefixes.pages}${b.programmeId}/${b.month}/${b.batchId}/${String(page).padStart(6, "0")}/${part}`,
  /** A monthly audit pack: `archive/<programmeId>/<month>/karta-audit-<programmeId>-<month>-<seq>.zip`. */
  auditPack: (programmeId: string, month: string, seq: number): string => `${objectPrefixes.archive}${programmeId}/${month}/karta-audit-${programmeId}-${month}-${seq}.zip`,
};
