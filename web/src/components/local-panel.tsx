import { useEffect, useState } from "react";
import { useT } from "../i18n/i18n";
import { formatDateTime } from "../lib/format";
import { syncClock } from "../lib/clock";
import { apiUrl } from "../lib/api";

interface ClockInfo {
  now: string;
  inboxUrl: string;
}

interface Milestone {
  label: string;
  at: string;
}

async function readClock(): Promise<ClockInfo | undefined> {
  try {
    const response = await fetch(apiUrl("/local/clock"), { headers: { accept: "application/json" } });
    if (!response.ok || !(response.headers.get("content-type") ?? "").includes("json")) return undefined;
    const body = (await response.json()) as ClockInfo;
    return typeof body.now === "string" ? body : undefined;
  } catch {
    return undefined;
  }
}

/** Milestones (reminders, deadline) announced by the page being shown; see `announceMilestones`. */
let milestones: Milestone[] = [];
const milestoneListeners = new Set<() => void>();
export function announceMilestones(next: Milestone[]): void {
  milestones = next;
  for (const l of milestoneListeners) l();
}

/**
 * Only on the local stack (GET /local/clock answers): the virtual clock, buttons to move it and
 * a link to the e-mail inbox — a whole month can be walked through in minutes.
 */
export function LocalPanel() {
  const t = useT();
  const [clock, setClock] = useState<ClockInfo>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [, setTick] = useState(0);

  useEffect(() => {
    void readClock().then((info) => {
      if (!info) return;
      syncClock(info.now);
      setClock(info);
    });
    const update = () => setTick((n) => n + 1);
    milestoneListeners.add(update);
    return () => void milestoneListeners.delete(update);
  }, []);

  if (!clock) return null;

  const move = async (body: { advance: string } | { set: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const response = await fetch(apiUrl("/local/clock"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const answer = await response.json();
      if (!response.ok) throw new Error(answer?.error?.message ?? response.statusText);
      syncClock(answer.now);
      setClock({ ...clock, now: answer.now });
      // Reload so that every page reads the state after the jump (reminders sent, intake closed).
      location.reload();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const upcoming = milestones.filter((m) => Date.parse(m.at) > Date.parse(clock.now)).slice(0, 3);
  return (
    <aside className="local-panel" aria-labelledby="local-panel-title">
      <h2 id="local-panel-title">{t("local.title")}</h2>
      <p>
        {t("local.now")}: <strong data-testid="virtual-now">{formatDateTime(clock.now)}</strong>
      </p>
      <div className="button-row">
        <button type="button" className="button secondary" disabled={busy} onClick={() => void move({ advance: "1h" })}>
          {t("local.plusHour")}
        </button>
        <button type="button" className="button secondary" disabled={busy} onClick={() => void move({ advance: "1d" })}>
          {t("local.plusDay")}
        </button>
        <button type="button" className="button secondary" disabled={busy} onClick={() => void move({ advance: "7d" })}>
          {t("local.plusWeek")}
        </button>
        {upcoming.map((m) => (
          <button key={m.at + m.label} type="button" className="button secondary" disabled={busy} onClick={() => void move({ set: new Date(Date.parse(m.at) + 60_000).toISOString() })}>
            {t("local.jumpTo", { what: m.label, when: formatDateTime(m.at) })}
          </button>
        ))}
      </div>
      {error && <p role="alert" className="field-error">{error}</p>}
      <p>
        <a href={clock.inboxUrl} target="_blank" rel="noopener noreferrer">
          {t("local.inbox")}
        </a>
      </p>
    </aside>
  );
}
