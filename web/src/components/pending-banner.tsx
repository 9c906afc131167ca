import { useEffect, useState } from "react";
import { useT } from "../i18n/i18n";
import { sendPending } from "../lib/assistant-api";
import { onPendingChange, pendingChanges } from "../lib/offline";

/** Visible whenever changes are kept on the device and not yet sent; sends them when back online. */
export function PendingBanner() {
  const t = useT();
  const [count, setCount] = useState(() => pendingChanges().length);
  const [online, setOnline] = useState(() => navigator.onLine);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const update = () => setCount(pendingChanges().length);
    const goOnline = () => {
      setOnline(true);
      void sendPending();
    };
    const goOffline = () => setOnline(false);
    window.addEventListener("online", goOnline);
    window.addEventListener("offline", goOffline);
    const timer = window.setInterval(() => pendingChanges().length && navigator.onLine && void sendPending(), 30_000);
    if (pendingChanges().length && navigator.onLine) void sendPending();
    const off = onPendingChange(update);
    return () => {
      off();
      window.removeEventListener("online", goOnline);
      window.removeEventListener("offline", goOffline);
      window.clearInterval(timer);
    };
  }, []);
  if (count === 0 && online) return null;
  return (
    <div className="pending-banner" role="status">
      {!online && <span>{t("offline.youAreOffline")} </span>}
      {count > 0 && <span>{t.plural("offline.pendingCount", count)} </span>}
      {count > 0 && online && (
        <button
          type="button"
          className="link-button"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void sendPending().finally(() => setBusy(false));
          }}
        >
          {t("offline.sendNow")}
        </button>
      )}
    </div>
  );
}
