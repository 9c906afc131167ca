import { randomUUID } from "node:crypto";
import { PersonId } from "../core/person.js";
import { dataExportScope, personDataExport, personDataFileName, requireDataExportAccess } from "../core/person-data.js";
import { getPerson } from "../adapters/people.js";
import { personData, recordPersonDataExport } from "../adapters/person-data.js";
import { api, download, parseWith } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/**
 * GET /api/people/{personId}/data-export — everything Karta holds about the person (GDPR art. 15)
 * as a JSON file (UTF-8, attachment). For the person themself, the centre's administrator and an
 * admin of a programme the person works in (that programme's part only); each export is recorded (who, whose, when).
 */
export const handler = api(async (req) => {
  const viewer = await signedIn(req);
  const subject = await getPerson(parseWith(PersonId, req.param("personId"), "path"));
  requireDataExportAccess(viewer, subject);
  const document = personDataExport(await personData(subject.id), viewer.id, req.now, dataExportScope(viewer, subject));
  await recordPersonDataExport({ personId: subject.id, by: viewer.id, at: req.now.toISOString(), id: randomUUID(), via: "session", reports: document.reports.length });
  const file = Buffer.from(JSON.stringify(document, null, 2), "utf8");
  return download(personDataFileName(subject.id, req.now), "application/json; charset=utf-8", file);
});
