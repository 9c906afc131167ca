import { useState, type FormEvent } from "react";
import { useT } from "../i18n/i18n";
import { post } from "../lib/api";
import { ErrorNotice } from "../components/status";
import { pendingChanges } from "../lib/offline";
import { useTitle } from "../lib/use-title";

/** The magic-link sign-in; after an ended session it says so, and that the changes kept on the device are not lost. */
export function SignInPage({ expired }: { expired?: boolean }) {
  const t = useT();
  useTitle(t("signIn.title"));
  const [email, setEmail] = useState("");
  const [sentTo, setSentTo] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [kept] = useState(() => pendingChanges().length);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await post("/api/auth/link", { email: email.trim() });
      setSentTo(email.trim());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page narrow">
      <h1>{t("signIn.title")}</h1>
      {(expired || kept > 0) && (
        <div className="notice notice-warn" role="status">
          {expired && <p>{t("signIn.expired")}</p>}
          {kept > 0 && <p>{t.plural("signIn.pendingKept", kept)}</p>}
        </div>
      )}
      <p>{t("signIn.intro")}</p>
      {sentTo ? (
        <div className="notice notice-ok" role="status">
          <p>{t("signIn.sent", { email: sentTo })}</p>
          <button type="button" className="link-button" onClick={() => setSentTo(undefined)}>
            {t("signIn.again")}
          </button>
        </div>
      ) : (
        <form onSubmit={submit} noValidate={false}>
          <div className="field">
            <label htmlFor="sign-in-email">{t("signIn.email")}</label>
            <input id="sign-in-email" type="email" name="email" autoComplete="email" inputMode="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </div>
          <ErrorNotice error={error} />
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? t("common.sending") : t("signIn.send")}
          </button>
        </form>
      )}
    </section>
  );
}
