import { useI18n } from "../i18n/i18n";
import type { Programme } from "../lib/types";

/** Picks the programme an admin page works on (by its name in the reader's language). */
export function AdminProgrammePicker(props: { programmes: Pick<Programme, "id" | "name">[]; programmeId: string; onChange(programmeId: string): void }) {
  const { t, lang } = useI18n();
  if (props.programmes.length < 2) return null;
  return (
    <div className="pickers">
      <div className="field inline">
        <label htmlFor="admin-programme">{t("staff.programme")}</label>
        <select id="admin-programme" value={props.programmeId} onChange={(e) => props.onChange(e.target.value)}>
          {props.programmes.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name[lang]} ({p.id})
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
