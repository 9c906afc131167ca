import { useAction } from "../lib/use-action";
import { useState, type FormEvent } from "react";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/pl";
import { addRole, changePerson, createPerson, removeRole, emailTakenBy, loadAllProgrammes, loadCentrePeople, loadProgrammePeople, newPersonId } from "../lib/admin-api";
import { takeFlash } from "../lib/flash";
import { Link } from "../lib/router";
import { useAdminScope } from "../lib/use-admin-scope";
import { useLoad } from "../lib/use-load";
import { useTitle } from "../lib/use-title";
import type { Person, Role } from "../lib/types";
import { ErrorNotice, Loading, NoticeError } from "../components/status";
import { AdminProgrammePicker } from "../components/admin-programme-picker";
import { ContractsSection } from "./admin-contracts";
import { MailStatusNote } from "../components/mail-status";

const ROLES: Role[] = ["assistant", "coordinator", "approver", "finance", "admin"];
const roleLabel = (role: Role) => `adminPeople.role.${role}` as MessageKey;

function ActiveBadge({ active }: { active: boolean }) {
  const { t } = useI18n();
  return <span className={`badge ${active ? "badge-approved" : "badge-missing"}`}>{active ? t("admin.active") : t("admin.inactive")}</span>;
}

/** Admin: the programme's people with their roles; a new person (or a role for someone who already has the e-mail address). */
export function AdminPeoplePage() {
  const { t, lang } = useI18n();
  useTitle(t("adminPeople.title"));
  const scope = useAdminScope();
  const { programmeId } = scope;
  const { data, error, loading, reload } = useLoad(async () => {
    const [programmes, people, centre] = await Promise.all([
      loadAllProgrammes(),
      programmeId ? loadProgrammePeople(programmeId) : Promise.resolve([] as Person[]),
      scope.centreAdmin ? loadCentrePeople() : Promise.resolve([] as Person[]),
    ]);
    return { programmes, people, centre };
  }, [programmeId, scope.centreAdmin]);
  const { message, setMessage, refusal, setRefusal, busy, run } = useAction(reload, takeFlash);
  const [draft, setDraft] = useState({ name: "", email: "", role: (programmeId ? "assistant" : "") as Role | "" });
  const role = programmeId ? draft.role : "";
  const taken = emailTakenBy(refusal);


  const create = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.name.trim() || !draft.email.trim()) return setRefusal(new NoticeError(t("adminPeople.nameEmailRequired")));
    void run(async () => {
      const person = await createPerson({ id: newPersonId(draft.email.trim()), name: draft.name.trim(), email: draft.email.trim() }, role ? { programmeId, role } : undefined);
      setDraft({ name: "", email: "", role: draft.role });
      return role ? t("adminPeople.created", { name: person.name, role: t(roleLabel(role)) }) : t("adminPeople.createdNoRole", { name: person.name });
    });
  };

  const people = [...(data?.people ?? [])].sort((a, b) => a.name.localeCompare(b.name, lang));
  const listed = new Set(people.map((p) => p.id));
  // people with no role anywhere yet (the centre's directory): given a role from their page
  const unlisted = (data?.centre ?? []).filter((p) => p.roles.length === 0 && !listed.has(p.id));
  const rolesHere = (p: Person) => ROLES.filter((role) => p.roles.some((r) => r.programmeId === programmeId && r.role === role)).map((role) => t(roleLabel(role))).join(", ");
  const detail = (id: string) => `/admin/people/${encodeURIComponent(id)}${programmeId ? `?programme=${encodeURIComponent(programmeId)}` : ""}`;

  return (
    <section className="page wide">
      <h1>{t("adminPeople.title")}</h1>
      <AdminProgrammePicker programmes={data?.programmes ?? []} programmeId={programmeId} onChange={scope.set} />
      {!programmeId && <p>{t("adminPeople.noProgramme")}</p>}
      {loading && !data && <Loading />}
      <ErrorNotice error={error} onRetry={reload} />
      {data && programmeId && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t("adminPeople.caption", { programme: data.programmes.find((p) => p.id === programmeId)?.name[lang] ?? programmeId })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("adminPeople.name")}</th>
                <th scope="col">{t("adminPeople.email")}</th>
                <th scope="col">{t("adminPeople.roles")}</th>
                <th scope="col">{t("admin.state")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("common.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>
                    {p.email}
                    <MailStatusNote status={p.mailStatus} audience="admin" />
                  </td>
                  <td>{rolesHere(p)}</td>
                  <td>
                    <ActiveBadge active={p.active !== false} />
                  </td>
                  <td>
                    <Link to={detail(p.id)} aria-label={t("adminPeople.openOf", { name: p.name })}>
                      {t("adminPeople.open")}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {people.length === 0 && <p>{t("adminPeople.empty")}</p>}
        </div>
      )}
      {unlisted.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t("adminPeople.keptCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("adminPeople.name")}</th>
                <th scope="col">{t("adminPeople.email")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("common.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {unlisted.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>
                    {p.email}
                    <MailStatusNote status={p.mailStatus} audience="admin" />
                  </td>
                  <td>
                    <Link to={detail(p.id)} aria-label={t("adminPeople.openOf", { name: p.name })}>
                      {t("adminPeople.open")}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <form onSubmit={create} noValidate aria-labelledby="new-person-title">
        <h2 id="new-person-title">{t("adminPeople.new")}</h2>
        <div className="field-row">
          <div className="field">
            <label htmlFor="np-name">{t("adminPeople.name")}</label>
            <input id="np-name" autoComplete="off" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} required />
          </div>
          <div className="field">
            <label htmlFor="np-email">{t("adminPeople.email")}</label>
            <input id="np-email" type="email" autoComplete="off" value={draft.email} onChange={(e) => setDraft({ ...draft, email: e.target.value })} required />
          </div>
          <div className="field">
            <label htmlFor="np-role">{t("adminPeople.roleHere")}</label>
            <select id="np-role" value={role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role | "" })} aria-describedby="np-role-hint">
              {scope.centreAdmin && <option value="">{t("adminPeople.noRole")}</option>}
              {programmeId && ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(roleLabel(r))}
                </option>
              ))}
            </select>
            <p id="np-role-hint" className="hint">{t("adminPeople.roleHint")}</p>
          </div>
        </div>
        {message && (
          <p className="notice notice-ok" role="status">
            {message}
          </p>
        )}
        <ErrorNotice error={refusal} />
        {taken && role && (
          <p>
            <button
              type="button"
              className="button secondary"
              disabled={busy}
              onClick={() => void run(async () => {
                const person = await addRole(taken.personId, programmeId, role);
                setDraft({ name: "", email: "", role: draft.role });
                return t("adminPeople.roleGiven", { name: person.name, role: t(roleLabel(role)) });
              })}
            >
              {t("adminPeople.giveRole", { role: t(roleLabel(role)) })}
            </button>
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {t("adminPeople.create")}
        </button>
      </form>
    </section>
  );
}

/** Admin: one person — name and e-mail, active or not, roles; the place of the person's contracts. */
export function AdminPersonPage({ personId }: { personId: string }) {
  const { t, lang } = useI18n();
  const scope = useAdminScope();
  const { programmeId } = scope;
  const { data, error, loading, reload } = useLoad(async () => {
    const programmes = await loadAllProgrammes();
    const lists = scope.centreAdmin
      ? [await loadCentrePeople()]
      : await Promise.all((programmeId ? [programmeId, ...programmes.map((p) => p.id).filter((id) => id !== programmeId)] : programmes.map((p) => p.id)).map((id) => loadProgrammePeople(id).catch(() => [] as Person[])));
    const person: Person | undefined = lists.flat().find((p) => p.id === personId);
    return { programmes, person };
  }, [personId, programmeId, scope.centreAdmin]);
  const person = data?.person;
  useTitle(person ? t("adminPerson.title", { name: person.name }) : t("adminPeople.title"));
  const { message, setMessage, refusal, setRefusal, busy, run } = useAction(reload, takeFlash);
  const [rev, setRev] = useState<number>();
  const [edit, setEdit] = useState<{ name: string; email: string }>();
  const [confirming, setConfirming] = useState(false);
  const [grant, setGrant] = useState<Role>("assistant");
  const values = edit ?? { name: person?.name ?? "", email: person?.email ?? "" };
  const nameOfProgramme = (id: string) => data?.programmes.find((p) => p.id === id)?.name[lang] ?? id;
  const back = `/admin/people${programmeId ? `?programme=${encodeURIComponent(programmeId)}` : ""}`;

  const patch = async (change: { name?: string; email?: string; active?: boolean; mailStatus?: null }) => {
    const answer = await changePerson(personId, change, rev);
    setRev(answer.rev);
    return answer.person;
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await patch({ name: values.name.trim(), email: values.email.trim() });
      setEdit(undefined);
      return t("adminPerson.saved");
    });
  };
  const active = person?.active !== false;

  return (
    <section className="page wide">
      <p className="breadcrumb">
        <Link to={back}>{t("adminPerson.back")}</Link>
      </p>
      <h1>{person ? t("adminPerson.title", { name: person.name }) : t("adminPeople.title")}</h1>
      {loading && !data && <Loading />}
      <ErrorNotice error={error} onRetry={reload} />
      {data && !person && <p>{t("adminPerson.notFound")}</p>}
      {message && (
        <p className="notice notice-ok" role="status">
          {message}
        </p>
      )}
      <ErrorNotice error={refusal} />
      {person && (
        <>
          <dl className="facts">
            <div>
              <dt>{t("adminPeople.email")}</dt>
              <dd>
                {person.email}
                <MailStatusNote status={person.mailStatus} audience="admin" />
                {person.mailStatus && (
                  <button
                    type="button"
                    className="link-button"
                    disabled={busy}
                    onClick={() =>
                      void run(async () => {
                        await patch({ mailStatus: null });
                        return t("mailStatus.cleared", { name: person.name });
                      })
                    }
                  >
                    {t("mailStatus.clear")}
                  </button>
                )}
              </dd>
            </div>
            <div>
              <dt>{t("admin.state")}</dt>
              <dd>
                <ActiveBadge active={active} />
              </dd>
            </div>
          </dl>
          <h2>{t("adminPeople.roles")}</h2>
          {person.roles.length === 0 ? (
            <p>{t("adminPerson.noRoles")}</p>
          ) : (
            <ul>
              {person.roles.map((r) => (
                <li key={`${r.programmeId}/${r.role}`}>
                  {t(roleLabel(r.role))} — {nameOfProgramme(r.programmeId)}{" "}
                  <button
                    type="button"
                    className="link-button"
                    disabled={busy}
                    aria-label={t("adminPerson.removeRoleOf", { role: t(roleLabel(r.role)), programme: nameOfProgramme(r.programmeId) })}
                    onClick={() =>
                      void run(async () => {
                        await removeRole(personId, r.programmeId, r.role);
                        setRev(undefined); // the person's revision moved on
                        return t("adminPerson.roleRemoved", { name: person.name, role: t(roleLabel(r.role)) });
                      })
                    }
                  >
                    {t("adminPerson.removeRole")}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {programmeId && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void run(async () => {
                  await addRole(personId, programmeId, grant);
                  return t("adminPeople.roleGiven", { name: person.name, role: t(roleLabel(grant)) });
                });
              }}
            >
              <div className="field inline">
                <label htmlFor="grant-role">{t("adminPerson.roleIn", { programme: nameOfProgramme(programmeId) })}</label>
                <select id="grant-role" value={grant} onChange={(e) => setGrant(e.target.value as Role)}>
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(roleLabel(r))}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" className="button secondary" disabled={busy}>
                {t("adminPerson.giveRole")}
              </button>
            </form>
          )}

          <form onSubmit={save} noValidate aria-labelledby="edit-person-title">
            <h2 id="edit-person-title">{t("adminPerson.edit")}</h2>
            <div className="field-row">
              <div className="field">
                <label htmlFor="ep-name">{t("adminPeople.name")}</label>
                <input id="ep-name" autoComplete="off" value={values.name} onChange={(e) => setEdit({ ...values, name: e.target.value })} required />
              </div>
              <div className="field">
                <label htmlFor="ep-email">{t("adminPeople.email")}</label>
                <input id="ep-email" type="email" autoComplete="off" value={values.email} onChange={(e) => setEdit({ ...values, email: e.target.value })} required />
              </div>
            </div>
            <button type="submit" className="button primary" disabled={busy || !edit}>
              {t("common.save")}
            </button>
          </form>

          <h2>{active ? t("adminPerson.deactivateTitle") : t("adminPerson.reactivateTitle")}</h2>
          <p className="hint">{active ? t("adminPerson.deactivateHint") : t("adminPerson.reactivateHint")}</p>
          {!confirming ? (
            <button type="button" className={active ? "button danger" : "button secondary"} disabled={busy} onClick={() => setConfirming(true)}>
              {active ? t("adminPerson.deactivate") : t("adminPerson.reactivate")}
            </button>
          ) : (
            <div className="notice notice-warn" role="group" aria-labelledby="confirm-text">
              <p id="confirm-text">{active ? t("adminPerson.confirmDeactivate", { name: person.name }) : t("adminPerson.confirmReactivate", { name: person.name })}</p>
              <div className="button-row">
                <button
                  type="button"
                  className={active ? "button danger" : "button primary"}
                  disabled={busy}
                  autoFocus
                  onClick={() => {
                    setConfirming(false);
                    void run(async () => {
                      await patch({ active: !active });
                      return active ? t("adminPerson.deactivated", { name: person.name }) : t("adminPerson.reactivated", { name: person.name });
                    });
                  }}
                >
                  {active ? t("adminPerson.confirmDeactivateButton") : t("adminPerson.confirmReactivateButton")}
                </button>
                <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
                  {t("common.cancel")}
                </button>
              </div>
            </div>
          )}
          {programmeId && person.roles.some((r) => r.programmeId === programmeId && r.role === "assistant") && <ContractsSection programmeId={programmeId} personId={personId} />}
        </>
      )}
    </section>
  );
}
