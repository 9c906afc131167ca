import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { ApiError, get, OfflineError, onUnauthenticated, post } from "./api";
import { syncClock } from "./clock";
import { cache, clearCache } from "./offline";
import type { Role } from "./types";

export interface Me {
  id: string;
  name: string;
  email: string;
  roles: { programmeId: string; role: Role }[];
  /** The centre's administrator: creates programmes and people, and is an admin of every programme (its `roles` then hold "admin" of each). */
  centreAdmin?: boolean;
  /** The previous month while its reports are still due (GET /api/me): the month the app opens first. */
  stillDue?: { month: string; deadlineDate: string };
}

/** `expired`: a request answered 401 while signed in (the session ended; changes kept on the device wait for the next sign-in). */
type SessionState = { status: "loading" } | { status: "signed-out"; expired?: boolean } | { status: "signed-in"; me: Me } | { status: "error"; error: unknown };

interface Session {
  state: SessionState;
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** GET /api/me, accepting `{ person }` or the person itself, with an optional `now`. */
export async function fetchMe(): Promise<Me> {
  let body: any;
  try {
    body = cache("/api/me", await get<any>("/api/me", { quiet401: true }));
  } catch (error) {
    // offline, the person last signed in on this device carries on with what the device keeps
    const kept = error instanceof OfflineError ? cache<any>("/api/me") : undefined;
    if (!kept) throw error;
    body = { ...kept, now: undefined }; // the kept time is old: the device's clock stands
  }
  if (typeof body?.now === "string") syncClock(body.now);
  const person = body?.person ?? body;
  let roles: Me["roles"] = person.roles ?? [];
  // The centre's administrator holds no stored admin roles: every programme is theirs (GET /api/programmes lists them all).
  if (person.centreAdmin) {
    const all = await get<{ programmes: { id: string }[] }>("/api/programmes").then((b) => b.programmes, () => []);
    roles = [...roles, ...all.map((p) => ({ programmeId: p.id, role: "admin" as Role }))];
  }
  return { id: person.id, name: person.name, email: person.email, roles, ...(person.centreAdmin ? { centreAdmin: true } : {}), ...(body?.stillDue ? { stillDue: body.stillDue } : {}) };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: "loading" });
  const refresh = useCallback(async () => {
    try {
      setState({ status: "signed-in", me: await fetchMe() });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) setState({ status: "signed-out" });
      else setState({ status: "error", error });
    }
  }, []);
  const signOut = useCallback(async () => {
    try {
      await post("/api/auth/logout");
    } finally {
      clearCache();
      setState({ status: "signed-out" });
    }
  }, []);
  useEffect(() => {
    void refresh();
    return onUnauthenticated(() => setState({ status: "signed-out", expired: true }));
  }, [refresh]);
  return <SessionContext.Provider value={{ state, refresh, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

export function rolesOf(me: Me): Set<Role> {
  const roles = new Set(me.roles.map((r) => r.role));
  if (me.centreAdmin) roles.add("admin");
  return roles;
}

export function programmesOf(me: Me, role: Role): string[] {
  return [...new Set(me.roles.filter((r) => r.role === role).map((r) => r.programmeId))];
}
