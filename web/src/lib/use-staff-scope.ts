import { navigate, useLocation } from "./router";
import { programmesOf, useSession } from "./session";
import { openingMonth } from "../pages/month";
import type { Role } from "./types";

/** The programme and month of a staff page, kept in the address (?programme=&month=) so it can be bookmarked. */
export function useStaffScope(roles: Role[]) {
  const { state } = useSession();
  const { path, query } = useLocation();
  const programmes = state.status === "signed-in" ? [...new Set(roles.flatMap((r) => programmesOf(state.me, r)))] : [];
  const asked = query.get("programme");
  const programmeId = asked && programmes.includes(asked) ? asked : programmes[0] ?? "";
  const month = /^\d{4}-\d{2}$/.test(query.get("month") ?? "") ? query.get("month")! : openingMonth(state.status === "signed-in" ? state.me : undefined);
  const set = (next: { programmeId: string; month: string }) => navigate(`${path}?programme=${encodeURIComponent(next.programmeId)}&month=${next.month}`, { replace: true });
  return { programmes, programmeId, month, set };
}
