import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { pl, type MessageKey } from "./pl";

export type Lang = "pl" | "en";
export type Messages = Record<MessageKey, string>;
type Params = Record<string, string | number>;

const STORAGE_KEY = "karta.lang";

function initialLang(): Lang {
  const fromUrl = new URLSearchParams(location.search).get("lang");
  if (fromUrl === "en" || fromUrl === "pl") return fromUrl;
  try {
    return localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "pl";
  } catch {
    return "pl";
  }
}

let currentLang: Lang = initialLang();
/** The language for the API's Accept-Language (errors come back in it). */
export const activeLang = () => currentLang;

function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export type Translate = {
  (key: MessageKey, params?: Params): string;
  /** Plural forms: `key.one`, `key.few`, `key.many`, `key.other` (Polish has four). */
  plural(key: string, count: number, params?: Params): string;
};

interface I18n {
  lang: Lang;
  t: Translate;
  setLang(lang: Lang): void;
}

const I18nContext = createContext<I18n | null>(null);

// English is loaded on demand: the first load of the (Polish) assistant page stays small.
const loadEnglish = () => import("./en").then((m) => m.en as Messages);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(currentLang);
  const [messages, setMessages] = useState<Messages | null>(lang === "pl" ? pl : null);

  useEffect(() => {
    let cancelled = false;
    currentLang = lang;
    document.documentElement.lang = lang;
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
    if (lang === "pl") setMessages(pl);
    else void loadEnglish().then((en) => !cancelled && setMessages(en));
    return () => {
      cancelled = true;
    };
  }, [lang]);

  const setLang = useCallback((next: Lang) => setLangState(next), []);
  const value = useMemo<I18n | null>(() => {
    if (!messages) return null;
    const rules = new Intl.PluralRules(lang);
    const t = ((key: MessageKey, params?: Params) => interpolate(messages[key] ?? pl[key] ?? key, params)) as Translate;
    t.plural = (key, count, params) => {
      const table = messages as Record<string, string>;
      const text = table[`${key}.${rules.select(count)}`] ?? table[`${key}.other`] ?? key;
      return interpolate(text, { count, ...params });
    };
    return { lang, t, setLang };
  }, [lang, messages, setLang]);

  if (!value) return null;
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}

export const useT = () => useI18n().t;
