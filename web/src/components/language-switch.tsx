import { useI18n } from "../i18n/i18n";

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  const other = lang === "pl" ? "en" : "pl";
  return (
    <button
      type="button"
      className="lang"
      lang={other}
      onClick={() => setLang(other)}
      aria-label={t("shell.switchLanguage")}
    >
      {other === "en" ? "English" : "Polski"}
    </button>
  );
}
