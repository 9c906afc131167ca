import { useEffect } from "react";
import { useT } from "../i18n/i18n";
import { now } from "../lib/clock";
import { formatDate, formatDateTime } from "../lib/format";
import { loadAssistantsById, loadCycle, loadOrders, loadProgrammeReports } from "../lib/staff-api";
import { warsawWall } from "../lib/time";
import { visitMinutes } from "../lib/labels";
import { useFormat } from "../lib/use-format";
import { useLoad } from "../lib/use-load";
import { useStaffScope } from "../lib/use-staff-scope";
import { programmesOf, useSession } from "../lib/session";
import { useTitle } from "../lib/use-title";
import { ErrorNotice, Loading, StatusBadge, type BoardState } from "../components/status";
import { ProgrammeMonthPicker } from "../components/programme-month";
import { announceMilestones } from "../components/local-panel";
import { ContractEnds } from "../components/contract-ends";
import { MailStatusNote } from "../components/mail-status";
import type { Report } from "../lib/types";

const states: BoardState[] = ["missing", "draft", "submitted", "returned", "approved", "late"];

function boardState(report: Report | undefined, deadlinePassed: boolean): BoardState {
  if (!report) return deadlinePassed ? "late" : "missing";
  if (report.status === "draft") return deadlinePassed ? "late" : "draft";
  if (report.status === "submitted" && report.late) return "late";
  return report.status;
}

/** Coordinator: the month's board — every order's report state, the deadline and the days left. */
export function BoardPage() {
  const t = useT();
  const f = useFormat();
  useTitle(t("board.title"));
  const scope = useStaffScope(["coordinator", "admin"]);
  const { programmeId, month } = scope;
  const { state } = useSession();
  // the programme's admin corrects an address; a coordinator asks the admin to
  const audience = state.status === "signed-in" && programmesOf(state.me, "admin").includes(programmeId) ? "admin" : "coordinator";
  const { data, error, loading, reload } = useLoad(async () => {
    const [orders, reports, cycle, assistants] = await Promise.all([
      loadOrders(programmeId, month),
      loadProgrammeReports(programmeId, month),
      loadCycle(programmeId, month).catch(() => undefined),
      loadAssistantsById(programmeId),
    ]);
    return { orders, reports, cycle, assistants };
  }, [programmeId, month]);

  const plan = data?.cycle?.cycle?.plan;
  useEffect(() => {
    if (!plan) return;
    announceMilestones([...plan.reminders.map((r, i) => ({ label: t("local.reminder", { n: i + 1 }), at: r.at })), { label: t("local.deadline"), at: plan.deadline }]);
    return () => announceMilestones([]);
  }, [plan, t]);

  const nowIso = now().toISOString();
  const deadlinePassed = plan ? nowIso >= plan.deadline : false;
  const today = warsawWall(nowIso).date;
  const daysLeft = plan ? Math.round((Date.parse(plan.deadlineDate) - Date.parse(today)) / 86_400_000) : undefined;
  const reportOf = new Map((data?.reports ?? []).map((r) => [`${r.assistantId}/${r.beneficiaryCode}`, r]));
  const rows = (data?.orders ?? []).map((o) => {
    const report = reportOf.get(`${o.assistantId}/${o.beneficiaryCode}`);
    return { order: o, report, state: boardState(report, deadlinePassed) };
  });
  const counts = Object.fromEntries(states.map((s) => [s, rows.filter((r) => r.state === s).length]));

  return (
    <section className="page wide">
      <h1>{t("board.title")}</h1>
      <ProgrammeMonthPicker {...scope} onChange={scope.set} />
      {plan && (
        <p className="deadline">
          {t("board.deadline", { date: formatDate(plan.deadlineDate) })}{" "}
          {daysLeft !== undefined && (daysLeft > 0 ? t.plural("board.daysLeft", daysLeft) : daysLeft === 0 ? t("board.deadlineToday") : t("board.deadlinePassed"))}
        </p>
      )}
      {loading && !data && <Loading />}
      <ErrorNotice error={error} onRetry={reload} />
      {data && (
        <>
          <ul className="summary">
            {states.map((s) => (
              <li key={s}>
                <StatusBadge status={s} /> <strong>{counts[s]}</strong>
              </li>
            ))}
          </ul>
          <div className="table-wrap">
            <table className="table">
              <caption>{t("board.caption", { month: f.monthName(month) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("orders.assistant")}</th>
                  <th scope="col">{t("orders.beneficiary")}</th>
                  <th scope="col" className="num">{t("hours.ordered")}</th>
                  <th scope="col" className="num">{t("hours.logged")}</th>
                  <th scope="col">{t("approvals.status")}</th>
                  <th scope="col">{t("approvals.submittedAt")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ order, report, state }) => (
                  <tr key={order.id}>
                    <td>
                      {data.assistants.get(order.assistantId)?.name ?? order.assistantId}
                      <MailStatusNote status={data.assistants.get(order.assistantId)?.mailStatus} audience={audience} />
                    </td>
                    <td>{order.beneficiaryCode}</td>
                    <td className="num">{f.duration(order.orderedMinutes)}</td>
                    <td className="num">{f.duration(report ? report.visits.reduce((s, v) => s + visitMinutes(v), 0) : 0)}</td>
                    <td>
                      <StatusBadge status={state} />
                    </td>
                    <td>{report?.submittedAt ? formatDateTime(report.submittedAt) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {programmeId && <ContractEnds programmeId={programmeId} />}
    </section>
  );
}
