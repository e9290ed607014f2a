import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { useUser } from "../../../auth/AuthProvider";
import { Field } from "../../../components/Field";
import { useClinic } from "../../../lib/clinic";
import { problemText, unwrap } from "../../../lib/problem";
import { clinicDateTime } from "../../../lib/time";
import { AUDIT_ACTIONS, actionKey, auditPeriod, detailsText } from "./rules";
import { userKeys, useUsers } from "./usersApi";

interface Filters {
  actorId: string;
  action: string;
  from: string;
  to: string;
}

const NONE: Filters = { actorId: "", action: "", from: "", to: "" };
const PAGE = 50;

/** «Журнал аудита» (GW-3): who logged in and who changed which user, role or right; newest first. */
export function AuditTab() {
  const { t } = useTranslation("users");
  const { t: common } = useTranslation();
  const { zone } = useClinic();
  const me = useUser();
  // «Кто» lists users: only for someone who may see them.
  const users = useUsers(me.can("gateway.users"));
  const [typed, setTyped] = useState<Filters>(NONE);
  const [filters, setFilters] = useState<Filters>(NONE);
  const [offset, setOffset] = useState(0);

  const entries = useQuery({
    queryKey: [...userKeys.audit, filters, offset],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/auth/audit", {
          params: {
            query: {
              actor_id: filters.actorId || undefined,
              action: filters.action || undefined,
              ...auditPeriod(filters.from, filters.to, zone),
              limit: PAGE,
              offset,
            },
          },
        }),
      ),
  });

  function search(event: FormEvent) {
    event.preventDefault();
    setOffset(0);
    setFilters(typed);
  }

  const set = (name: keyof Filters) => (event: { target: { value: string } }) => setTyped({ ...typed, [name]: event.target.value });
  const total = entries.data?.total ?? 0;
  return (
    <section aria-labelledby="audit-tab-title">
      <h2 id="audit-tab-title" className="visually-hidden">
        {t("tabs.audit")}
      </h2>
      <form className="toolbar" onSubmit={search} role="search">
        {users.data && (
          <Field label={t("audit.who")}>
            <select value={typed.actorId} onChange={set("actorId")}>
              <option value="">{t("audit.anyone")}</option>
              {users.data.map((user) => (
                <option key={user.id} value={user.id}>
                  {user.username}
                  {user.full_name ? ` (${user.full_name})` : ""}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field label={t("audit.action")}>
          <select value={typed.action} onChange={set("action")}>
            <option value="">{t("audit.anyAction")}</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {t(actionKey(action))}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("audit.from")}>
          <input type="date" value={typed.from} onChange={set("from")} />
        </Field>
        <Field label={t("audit.to")}>
          <input type="date" value={typed.to} onChange={set("to")} />
        </Field>
        <button type="submit">{t("audit.search")}</button>
      </form>
      {entries.isPending && <p role="status">{common("loading")}</p>}
      {entries.isError && (
        <p role="alert" className="form-error">
          {problemText(entries.error)}
        </p>
      )}
      {entries.data && (
        <>
          <table className="list audit-table">
            <thead>
              <tr>
                <th scope="col">{t("audit.at")}</th>
                <th scope="col">{t("audit.who")}</th>
                <th scope="col">{t("audit.action")}</th>
                <th scope="col">{t("audit.target")}</th>
                <th scope="col">{t("audit.details")}</th>
                <th scope="col">{t("audit.address")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.data.items.map((entry) => (
                <tr key={entry.id}>
                  <td className="nowrap">{clinicDateTime(entry.at, zone)}</td>
                  <td>{entry.actor_username ?? t("audit.system")}</td>
                  <td>{t(actionKey(entry.action), { defaultValue: entry.action })}</td>
                  <td>{entry.target_name ?? ""}</td>
                  <td className="details">{detailsText(entry.details)}</td>
                  <td>{entry.client_address ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {total === 0 ? (
            <p className="muted">{common("empty")}</p>
          ) : (
            <div className="pager">
              <button type="button" className="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                {t("audit.previous")}
              </button>
              <span>{t("audit.page", { from: offset + 1, to: Math.min(offset + PAGE, total), total })}</span>
              <button type="button" className="secondary" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
                {t("audit.next")}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
