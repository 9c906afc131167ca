import { useI18n } from "../i18n/i18n";

/** Picks the programme (when the person works in several) and the month of a staff page. */
export function ProgrammeMonthPicker(props: {
  programmes: string[];
  programmeId: string;
  month: string;
  onChange(next: { programmeId: string; month: string }): void;
}) {
  const { t } = useI18n();
  return (
    <div className="pickers">
      {props.programmes.length > 1 && (
        <div className="field inline">
          <label htmlFor="pick-programme">{t("staff.programme")}</label>
          <select id="pick-programme" value={props.programmeId} onChange={(e) => props.onChange({ programmeId: e.target.value, month: props.month })}>
            {props.programmes.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field inline">
        <label htmlFor="pick-month">{t("staff.month")}</label>
        <input id="pick-month" type="month" value={props.month} onChange={(e) => /^\d{4}-\d{2}$/.test(e.target.value) && props.onChange({ programmeId: props.programmeId, month: e.target.value })} />
      </div>
    </div>
  );
}
