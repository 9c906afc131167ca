import { useT } from "../i18n/i18n";
import { loadContractEnds } from "../lib/contracts-api";
import { formatDate } from "../lib/format";
import { useLoad } from "../lib/use-load";
import { ErrorNotice } from "./status";

/** The coordinator's board: assistants whose last contract in the programme ends within a month, or has ended. */
export function ContractEnds({ programmeId }: { programmeId: string }) {
  const t = useT();
  const { data, error, reload } = useLoad(() => loadContractEnds(programmeId), [programmeId]);
  return (
    <section className="contract-ends" aria-labelledby="contract-ends-title">
      <h2 id="contract-ends-title">{t("board.contractsTitle")}</h2>
      <p className="hint">{t("board.contractsIntro")}</p>
      <ErrorNotice error={error} onRetry={reload} />
      {data && data.length === 0 && <p>{t("board.contractsNone")}</p>}
      {data && data.length > 0 && (
        <ul>
          {data.map((c) => (
            <li key={c.personId}>
              <strong>{c.name}</strong> ({c.number}): {c.state === "ended" ? t("board.contractEnded", { date: formatDate(c.to) }) : t("board.contractEnding", { date: formatDate(c.to) })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
