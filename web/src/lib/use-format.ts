import { useI18n } from "../i18n/i18n";

/** Durations and month names in the reader's language (the numeric formats are the same in both). */
export function useFormat() {
  const { t, lang } = useI18n();
  const monthFormat = new Intl.DateTimeFormat(lang === "pl" ? "pl-PL" : "en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
  return {
    duration(minutes: number): string {
      const sign = minutes < 0 ? "−" : "";
      const abs = Math.abs(minutes);
      const h = Math.floor(abs / 60);
      const m = abs % 60;
      if (h && m) return sign + t("duration.hm", { h, m });
      if (h) return sign + t("duration.h", { h });
      return sign + t("duration.m", { m });
    },
    monthName(month: string): string {
      const text = monthFormat.format(new Date(Date.UTC(+month.slice(0, 4), +month.slice(5, 7) - 1, 1)));
      return text.charAt(0).toUpperCase() + text.slice(1);
    },
  };
}
