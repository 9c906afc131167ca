import { lazy, Suspense, useEffect, useRef, type ReactNode } from "react";
import { useI18n } from "./i18n/i18n";
import type { MessageKey } from "./i18n/pl";
import { Link, match, navigate, useLocation } from "./lib/router";
import { rolesOf, useSession, type Me } from "./lib/session";
import type { Role } from "./lib/types";
import { LocalPanel } from "./components/local-panel";
import { LanguageSwitch } from "./components/language-switch";
import { ErrorNotice, Loading, PageErrorBoundary } from "./components/status";
import { SignInPage } from "./pages/sign-in";
import { MonthPage } from "./pages/month";
import { ReportPage } from "./pages/report";
import { VisitPage } from "./pages/visit";
import { PendingBanner } from "./components/pending-banner";

// Staff pages and the signature pad are separate chunks: an assistant's phone loads only its own pages.
const SignPage = lazy(() => import("./pages/sign").then((m) => ({ default: m.SignPage })));
const ApprovalsPage = lazy(() => import("./pages/approvals").then((m) => ({ default: m.ApprovalsPage })));
const ApprovalReportPage = lazy(() => import("./pages/approval-report").then((m) => ({ default: m.ApprovalReportPage })));
const BatchesPage = lazy(() => import("./pages/batches").then((m) => ({ default: m.BatchesPage })));
const BatchFilePage = lazy(() => import("./pages/batches").then((m) => ({ default: m.BatchFilePage })));
const PayrollPage = lazy(() => import("./pages/payroll").then((m) => ({ default: m.PayrollPage })));
const OrdersPage = lazy(() => import("./pages/orders").then((m) => ({ default: m.OrdersPage })));
const BoardPage = lazy(() => import("./pages/board").then((m) => ({ default: m.BoardPage })));
const OverviewPage = lazy(() => import("./pages/overview").then((m) => ({ default: m.OverviewPage })));
const AdminProgrammesPage = lazy(() => import("./pages/admin-programmes").then((m) => ({ default: m.AdminProgrammesPage })));
const AdminProgrammePage = lazy(() => import("./pages/admin-programmes").then((m) => ({ default: m.AdminProgrammePage })));
const AdminPeoplePage = lazy(() => import("./pages/admin-people").then((m) => ({ default: m.AdminPeoplePage })));
const AdminPersonPage = lazy(() => import("./pages/admin-people").then((m) => ({ default: m.AdminPersonPage })));
const AdminBeneficiariesPage = lazy(() => import("./pages/admin-beneficiaries").then((m) => ({ default: m.AdminBeneficiariesPage })));

interface NavItem {
  to: string;
  label: MessageKey;
  roles: Role[];
}

const navItems: NavItem[] = [
  { to: "/", label: "nav.month", roles: ["assistant"] },
  { to: "/approvals", label: "nav.approvals", roles: ["approver"] },
  { to: "/orders", label: "nav.orders", roles: ["coordinator", "admin"] },
  { to: "/board", label: "nav.board", roles: ["coordinator", "admin"] },
  { to: "/overview", label: "nav.overview", roles: ["coordinator", "admin"] },
  { to: "/batches", label: "nav.batches", roles: ["finance", "admin"] },
  { to: "/admin/programmes", label: "nav.adminProgrammes", roles: ["admin"] },
  { to: "/admin/people", label: "nav.adminPeople", roles: ["admin"] },
  { to: "/admin/beneficiaries", label: "nav.adminBeneficiaries", roles: ["admin"] },
];

const homeByRole: [Role, string][] = [
  ["assistant", "/"],
  ["approver", "/approvals"],
  ["coordinator", "/board"],
  ["finance", "/batches"],
  ["admin", "/overview"],
];

interface RouteDef {
  pattern: string;
  roles: Role[];
  render(params: Record<string, string>): ReactNode;
}

const routes: RouteDef[] = [
  { pattern: "/", roles: ["assistant"], render: () => <MonthPage /> },
  { pattern: "/reports/:reportId", roles: ["assistant"], render: (p) => <ReportPage reportId={p.reportId} /> },
  { pattern: "/reports/:reportId/visits/new", roles: ["assistant"], render: (p) => <VisitPage reportId={p.reportId} /> },
  { pattern: "/reports/:reportId/visits/:visitId", roles: ["assistant"], render: (p) => <VisitPage reportId={p.reportId} visitId={p.visitId} /> },
  { pattern: "/reports/:reportId/sign", roles: ["assistant"], render: (p) => <SignPage reportId={p.reportId} /> },
  { pattern: "/approvals", roles: ["approver"], render: () => <ApprovalsPage /> },
  { pattern: "/approvals/:reportId", roles: ["approver"], render: (p) => <ApprovalReportPage reportId={p.reportId} /> },
  { pattern: "/batches", roles: ["finance", "admin"], render: () => <BatchesPage /> },
  { pattern: "/finance/batches/:batchId/:file", roles: ["finance", "admin"], render: (p) => <BatchFilePage batchId={p.batchId} file={p.file} /> },
  { pattern: "/batches/:batchId/payroll", roles: ["finance", "admin"], render: (p) => <PayrollPage batchId={p.batchId} /> },
  { pattern: "/orders", roles: ["coordinator", "admin"], render: () => <OrdersPage /> },
  { pattern: "/board", roles: ["coordinator", "admin"], render: () => <BoardPage /> },
  { pattern: "/overview", roles: ["coordinator", "admin"], render: () => <OverviewPage /> },
  { pattern: "/admin/programmes", roles: ["admin"], render: () => <AdminProgrammesPage /> },
  { pattern: "/admin/programmes/new", roles: ["admin"], render: () => <AdminProgrammePage /> },
  { pattern: "/admin/programmes/:programmeId", roles: ["admin"], render: (p) => <AdminProgrammePage programmeId={p.programmeId} /> },
  { pattern: "/admin/people", roles: ["admin"], render: () => <AdminPeoplePage /> },
  { pattern: "/admin/people/:personId", roles: ["admin"], render: (p) => <AdminPersonPage personId={p.personId} /> },
  { pattern: "/admin/beneficiaries", roles: ["admin"], render: () => <AdminBeneficiariesPage /> },
];

function homeOf(me: Me): string {
  // the centre's administrator starts where a centre is set up (with no programme yet, nothing else has content)
  if (me.centreAdmin) return "/admin/programmes";
  const roles = rolesOf(me);
  return homeByRole.find(([role]) => roles.has(role))?.[1] ?? "/";
}

function Shell({ me, children }: { me?: Me; children: ReactNode }) {
  const { t } = useI18n();
  const { signOut } = useSession();
  const { path } = useLocation();
  const roles = me ? rolesOf(me) : new Set<Role>();
  const items = navItems.filter((item) => item.roles.some((r) => roles.has(r)));
  return (
    <>
      <a className="skip-link" href="#main">
        {t("shell.skipToContent")}
      </a>
      <header className="top">
        <div className="top-inner">
          <Link to={me ? homeOf(me) : "/"} className="brand">
            Karta
          </Link>
          <LanguageSwitch />
          {me && (
            <div className="who">
              <span className="who-name">{me.name}</span>
              <button type="button" className="link-button" onClick={() => void signOut().then(() => navigate("/", { replace: true }))}>
                {t("shell.signOut")}
              </button>
            </div>
          )}
        </div>
        {items.length > 1 && (
          <nav aria-label={t("shell.navigation")} className="nav">
            <ul>
              {items.map((item) => {
                const active = item.to === "/" ? path === "/" || path.startsWith("/reports") : path.startsWith(item.to);
                return (
                  <li key={item.to}>
                    <Link to={item.to} aria-current={active ? "page" : undefined}>
                      {t(item.label)}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
        )}
      </header>
      {me && roles.has("assistant") && <PendingBanner />}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <LocalPanel />
    </>
  );
}

export function App() {
  const { state } = useSession();
  const { t } = useI18n();
  const { path } = useLocation();

  // After an in-app route change, move focus to the page (screen readers announce the new
  // content); on the first load focus stays at the top so the skip link comes first.
  const firstPath = useRef(path);
  useEffect(() => {
    if (firstPath.current === path) return;
    firstPath.current = "";
    document.getElementById("main")?.focus({ preventScroll: true });
  }, [path]);

  if (state.status === "loading") return <Shell><Loading /></Shell>;
  if (state.status === "error") return <Shell><ErrorNotice error={state.error} /></Shell>;
  if (state.status === "signed-out") return <Shell><SignInPage expired={state.expired} /></Shell>;

  const { me } = state;
  const roles = rolesOf(me);
  let content: ReactNode = null;
  for (const route of routes) {
    const params = match(route.pattern, path);
    if (!params) continue;
    if (!route.roles.some((r) => roles.has(r))) {
      if (route.pattern === "/") {
        const home = homeOf(me);
        if (home !== "/") {
          queueMicrotask(() => navigate(home, { replace: true }));
          return <Shell me={me}><Loading /></Shell>;
        }
      }
      content = <NotAllowed />;
    } else content = route.render(params);
    break;
  }
  if (content === null) content = <NotFound />;
  return (
    <Shell me={me}>
      <PageErrorBoundary key={path}>
        <Suspense fallback={<Loading />}>{content}</Suspense>
      </PageErrorBoundary>
    </Shell>
  );

  function NotFound() {
    return (
      <section className="page">
        <h1>{t("notFound.title")}</h1>
        <p>
          <Link to={homeOf(me)}>{t("notFound.home")}</Link>
        </p>
      </section>
    );
  }
  function NotAllowed() {
    return (
      <section className="page">
        <h1>{t("notAllowed.title")}</h1>
        <p>{t("notAllowed.text")}</p>
        <p>
          <Link to={homeOf(me)}>{t("notFound.home")}</Link>
        </p>
      </section>
    );
  }
}
