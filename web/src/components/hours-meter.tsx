import { useT } from "../i18n/i18n";

/** A visual bar of logged against ordered hours; the numbers are in the text next to it. */
export function HoursMeter({ logged, ordered }: { logged: number; ordered: number }) {
  const t = useT();
  const ratio = ordered > 0 ? Math.min(1, logged / ordered) : 0;
  return (
    <div className="meter" role="img" aria-label={t("hours.meter", { percent: ordered > 0 ? Math.round((logged / ordered) * 100) : 0 })}>
      <div className={logged > ordered ? "meter-fill over" : "meter-fill"} style={{ width: `${ratio * 100}%` }} />
    </div>
  );
}
