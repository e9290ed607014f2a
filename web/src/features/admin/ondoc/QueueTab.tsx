import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api } from "../../../api/client";
import { useUser } from "../../../auth/AuthProvider";
import { Field } from "../../../components/Field";
import { useNotice } from "../../../components/Notice";
import { useClinic } from "../../../lib/clinic";
import { ApiProblem, unwrap } from "../../../lib/problem";
import { clinicDateTime } from "../../../lib/time";
import { ondocKeys, type OutboundItem } from "./data";

type Status = OutboundItem["status"];
const STATUSES: Status[] = ["pending", "failed", "dropped", "sent"];
const RETRYABLE = new Set<Status>(["failed", "dropped"]);

/** The outbound queue to ONDOC: depth per status, the oldest pending change, each item with «Повторить». */
export function QueueTab() {
  const { t } = useTranslation("ondoc");
  const { zone } = useClinic();
  const user = useUser();
  const notice = useNotice();
  const client = useQueryClient();
  const [status, setStatus] = useState<Status | "">("");
  const summary = useQuery({
    queryKey: ondocKeys.summary,
    queryFn: async () => unwrap(await api.GET("/api/ondoc/outbound/summary")),
    refetchInterval: 10000,
  });
  const items = useQuery({
    queryKey: ondocKeys.outbound(status),
    queryFn: async () => unwrap(await api.GET("/api/ondoc/outbound", { params: { query: { status: status || null, limit: 500 } } })).items,
    refetchInterval: 10000,
  });
  const retry = useMutation({
    mutationFn: async (item: OutboundItem) =>
      unwrap(await api.POST("/api/ondoc/outbound/{item_id}/retry", { params: { path: { item_id: item.id } } })),
    onSuccess: async () => {
      notice(t("queue.retried"), "ok");
      await client.invalidateQueries({ queryKey: ["ondoc", "outbound"] });
    },
    onError: (error) => notice(error instanceof ApiProblem ? error.message : String(error), "error"),
  });
  const s = summary.data;
  return (
    <div>
      <h2>{t("queue.title")}</h2>
      {s && (
        <dl className="queue-summary" aria-label={t("queue.summary")}>
          {STATUSES.map((key) => (
            <div key={key}>
              <dt>{t(`queue.statuses.${key}`)}</dt>
              <dd>{s[key]}</dd>
            </div>
          ))}
          <div>
            <dt>{t("queue.oldest")}</dt>
            <dd>{s.oldest_pending_at ? clinicDateTime(s.oldest_pending_at, zone) : "—"}</dd>
          </div>
        </dl>
      )}
      <div className="toolbar">
        <Field label={t("queue.status")}>
          <select value={status} onChange={(event) => setStatus(event.target.value as Status | "")}>
            <option value="">{t("all")}</option>
            {STATUSES.map((key) => (
              <option key={key} value={key}>{t(`queue.statuses.${key}`)}</option>
            ))}
          </select>
        </Field>
      </div>
      {items.isError && <p role="alert">{items.error.message}</p>}
      {items.data?.length === 0 && <p className="muted">{t("queue.empty")}</p>}
      {items.data && items.data.length > 0 && (
        <table className="list">
          <caption className="visually-hidden">{t("queue.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("queue.queuedAt")}</th>
              <th scope="col">{t("queue.kind")}</th>
              <th scope="col">{t("queue.patient")}</th>
              <th scope="col">{t("queue.status")}</th>
              <th scope="col">{t("queue.attempts")}</th>
              <th scope="col">{t("queue.next")}</th>
              <th scope="col">{t("actionsColumn")}</th>
            </tr>
          </thead>
          <tbody>
            {items.data.map((item) => (
              <tr key={item.id}>
                <td>{clinicDateTime(item.queued_at, zone)}</td>
                <td>{t(`queue.kinds.${item.kind}`)}</td>
                <td>
                  <Link to={`/patients/${item.patient_id}`}>{item.ondoc_patient_id}</Link>
                </td>
                <td>
                  <span className={`badge status-${item.status}`}>{t(`queue.statuses.${item.status}`)}</span>
                  {item.last_error && <div className="muted">{item.last_error_text ?? item.last_error}</div>}
                </td>
                <td>{item.attempts}</td>
                <td>{item.next_attempt_at ? clinicDateTime(item.next_attempt_at, zone) : "—"}</td>
                <td>
                  {RETRYABLE.has(item.status) && user.can("ondoc.sync") && (
                    <button type="button" className="secondary" disabled={retry.isPending} onClick={() => retry.mutate(item)}>
                      {t("queue.retry")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
