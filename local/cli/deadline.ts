import { isMonth, nextMonth, reportDeadline } from "../../functions/core/calendar.js";
import { seedProgramme, seedProgrammes } from "../../functions/core/programme.js";

/** `karta deadline <programme> <YYYY-MM> [<YYYY-MM>]`: one line per month, `<month> <deadline date>`, from the seed programmes. */
export async function main(args: string[]): Promise<number> {
  const [programmeId, from, to = from] = args;
  if (!programmeId || !from || args.length > 3) {
    console.error("usage: karta deadline <programme> <YYYY-MM> [<YYYY-MM>]");
    return 2;
  }
  const programme = seedProgramme(programmeId);
  if (!programme) {
    console.error(`karta deadline: unknown programme "${programmeId}" (known: ${seedProgrammes.map((p) => p.id).join(", ")}) / nieznany program`);
    return 2;
  }
  for (const month of [from, to]) {
    if (!isMonth(month)) {
      console.error(`karta deadline: "${month}" is not a month, use YYYY-MM / podaj miesiąc jako RRRR-MM`);
      return 2;
    }
  }
  if (to < from) {
    console.error(`karta deadline: ${to} is before ${from} / miesiąc końcowy jest przed początkowym`);
    return 2;
  }
  for (let month = from; month <= to; month = nextMonth(month)) {
    console.log(`${month} ${reportDeadline(month, programme).date}`);
  }
  return 0;
}
