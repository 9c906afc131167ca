import { useState } from "react";

/**
 * A page's actions (save, import, deactivate…): `run` does one at a time (`busy`), shows what it
 * did (`message`) or why it was refused (`refusal`, shown in place by ErrorNotice), and reloads
 * the page's data after it succeeded. What the user typed stays in the page's own state.
 */
export function useAction(reload: () => void, initialMessage?: string | (() => string | undefined)) {
  const [message, setMessage] = useState<string | undefined>(initialMessage);
  const [refusal, setRefusal] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    setMessage(undefined);
    setRefusal(undefined);
    try {
      setMessage(await work());
      reload();
    } catch (e) {
      setRefusal(e);
    } finally {
      setBusy(false);
    }
  };
  return { message, setMessage, refusal, setRefusal, busy, run };
}
