import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { I18nProvider } from "./i18n/i18n";
import { SessionProvider } from "./lib/session";
import { App } from "./app";
import { loadPending } from "./lib/offline";
import "./styles.css";

// The app shell offline (web/public/sw.js). Not gated on import.meta.env.PROD: a build started
// from a test process (NODE_ENV=test) reports PROD false; under the development server the worker
// finds no manifest and keeps only the page, always fetched fresh while online.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => void navigator.serviceWorker.register("/sw.js").catch((e) => console.warn("karta: no service worker", e)));
}

const app = (
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <App />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>
);

// The changes kept on the device are read before the first page is shown, so every page sees them.
void loadPending()
  .catch((error) => console.error("karta: the changes kept on the device could not be read", error))
  .finally(() => createRoot(document.getElementById("root")!).render(app));
