import { SetAside } from "../core/batch.js";
import { createIfAbsent, getItem, queryAll, withoutKeys, storedAs } from "./dynamo.js";
import { keys, queries } from "./keys.js";

const setAsideKey = (s: Pick<SetAside, "programmeId" | "month" | "reportId" | "version">) => keys.setAside(s.programmeId, s.month, s.reportId, s.version);

/** Records a set-aside once per report version; a re-run gets the first record back (its instant and reason). */
export async function recordSetAside(input: SetAside): Promise<SetAside> {
  const setAside = SetAside.parse(input);
  if (await createIfAbsent({ ...setAsideKey(setAside), entity: "SetAside", ...setAside })) return setAside;
  return SetAside.parse(withoutKeys((await getItem(setAsideKey(setAside)))!));
}

/** Every report version of the programme's month set aside from the payment files, by report. */
export async function setAsidesOfCycle(programmeId: string, month: string): Promise<SetAside[]> {
  return (await queryAll(queries.setAsidesOfProgrammeMonth(programmeId, month))).map((i) => storedAs(SetAside, i));
}
