import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/pl";
import { formatDateTime } from "../lib/format";
import type { Person } from "../lib/types";

/**
 * What SES reported about a person's address (bounced, reported as spam, suppressed): a badge, the
 * date, and what to do — the admin corrects the address, the coordinator asks the admin to.
 */
export function MailStatusNote({ status, audience }: { status: Person["mailStatus"]; audience: "admin" | "coordinator" }) {
  const t = useT();
  if (!status) return null;
  const todo = audience === "admin" ? (`mailStatus.fix.${status.state}` as MessageKey) : "mailStatus.askAdmin";
  return (
    <span className="mail-status">
      <span className="badge badge-late">{t(`mailStatus.${status.state}` as MessageKey)}</span>{" "}
      <span className="hint">
        {t("mailStatus.since", { date: formatDateTime(status.at) })} {t(todo)}
      </span>
    </span>
  );
}
