import { navigate, useLocation } from "./router";
import { programmesOf, useSession } from "./session";

/** The programme an admin page works on, kept in the address (?programme=) so it can be bookmarked. */
export function useAdminScope() {
  const { state, refresh } = useSession();
  const { path, query } = useLocation();
  const me = state.status === "signed-in" ? state.me : undefined;
  const programmes = me ? programmesOf(me, "admin") : [];
  const asked = query.get("programme");
  const programmeId = asked && programmes.includes(asked) ? asked : programmes[0] ?? "";
  const set = (next: string) => navigate(`${path}?programme=${encodeURIComponent(next)}`, { replace: true });
  return { me, centreAdmin: !!me?.centreAdmin, programmes, programmeId, set, refresh };
}
