import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { useUser } from "../../../auth/AuthProvider";
import { Field } from "../../../components/Field";
import { useNotice } from "../../../components/Notice";
import { useClinic } from "../../../lib/clinic";
import { ApiProblem, unwrap } from "../../../lib/problem";
import { clinicDate, clinicDateTime } from "../../../lib/time";
import { notifierKeys, type Message } from "./data";

const STATUSES = ["queued", "sending", "sent", "failed", "unknown", "cancelled", "dropped"] as const;
type Status = (typeof STATUSES)[number];
/** A message the notifier will send again on request (POST /messages/{id}/retry). */
const RETRYABLE = new Set(["failed", "unknown"]);

interface Filters {
  status: Status | "";
  channel: "sms" | "email" | "";
  from: string;
  to: string;
  patient: string; // a card's id, chosen from the search below
}

/** The message log: filters by status, channel, period and patient; «Повторить» for failed and unknown ones. */
export function MessagesTab() {
  const { t } = useTranslation("mailings");
  const user = useUser();
  const { zone } = useClinic();
  const notice = useNotice();
  const client = useQueryClient();
  const [filters, setFilters] = useState<Filters>({ status: "", channel: "", from: "", to: "", patient: "" });
  const [patientQuery, setPatientQuery] = useState("");
  const serverFilters = { status: filters.status || null, channel: filters.channel || null, patient_id: filters.patient || null };
  const messages = useQuery({
    queryKey: notifierKeys.messages(serverFilters),
    queryFn: async () => unwrap(await api.GET("/api/notifier/messages", { params: { query: { ...serverFilters, limit: 500 } } })),
    refetchInterval: 5000,
  });
  const patients = useQuery({
    queryKey: ["patients", "mailing-filter", patientQuery],
    enabled: patientQuery.trim().length >= 2,
    queryFn: async () => unwrap(await api.GET("/api/patients/cards", { params: { query: { q: patientQuery.trim(), limit: 20 } } })).items,
  });
  const retry = useMutation({
    mutationFn: async (message: Message) =>
      unwrap(await api.POST("/api/notifier/messages/{message_id}/retry", { params: { path: { message_id: message.id } } })),
    onSuccess: async () => {
      notice(t("messages.retried"), "ok");
      await client.invalidateQueries({ queryKey: ["notifier", "messages"] });
    },
    onError: (error) => notice(error instanceof ApiProblem ? error.message : String(error), "error"),
  });
  // The API has no period filter: the period is applied here, on the clinic's calendar date.
  const inPeriod = (message: Message) => {
    const day = clinicDate(message.sent_at ?? message.due_at, zone);
    return (!filters.from || day >= filters.from) && (!filters.to || day <= filters.to);
  };
  const rows = (messages.data?.items ?? []).filter(inPeriod);
  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => setFilters((f) => ({ ...f, [key]: value }));
  return (
    <div>
      <h2>{t("messages.title")}</h2>
      <div className="toolbar filters" role="search" aria-label={t("messages.filters")}>
        <Field label={t("messages.status")}>
          <select value={filters.status} onChange={(event) => set("status", event.target.value as Filters["status"])}>
            <option value="">{t("all")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>{t(`statuses.${s}`)}</option>
            ))}
          </select>
        </Field>
        <Field label={t("messages.channel")}>
          <select value={filters.channel} onChange={(event) => set("channel", event.target.value as Filters["channel"])}>
            <option value="">{t("all")}</option>
            <option value="sms">{t("channels.sms")}</option>
            <option value="email">{t("channels.email")}</option>
          </select>
        </Field>
        <Field label={t("messages.from")}>
          <input type="date" value={filters.from} onChange={(event) => set("from", event.target.value)} />
        </Field>
        <Field label={t("messages.to")}>
          <input type="date" value={filters.to} onChange={(event) => set("to", event.target.value)} />
        </Field>
        <Field label={t("messages.patientSearch")}>
          <input type="search" value={patientQuery} onChange={(event) => setPatientQuery(event.target.value)} />
        </Field>
        <Field label={t("messages.patient")}>
          <select value={filters.patient} onChange={(event) => set("patient", event.target.value)}>
            <option value="">{t("allPatients")}</option>
            {(patients.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {[p.last_name, p.first_name, p.middle_name].filter(Boolean).join(" ")}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {messages.isError && <p role="alert">{messages.error.message}</p>}
      {messages.data && rows.length === 0 && <p className="muted">{t("messages.empty")}</p>}
      {rows.length > 0 && (
        <table className="list messages">
          <caption className="visually-hidden">{t("messages.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("messages.when")}</th>
              <th scope="col">{t("messages.channel")}</th>
              <th scope="col">{t("messages.recipient")}</th>
              <th scope="col">{t("messages.text")}</th>
              <th scope="col">{t("messages.status")}</th>
              <th scope="col">{t("messages.attempts")}</th>
              <th scope="col">{t("actionsColumn")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr key={m.id}>
                <td>{clinicDateTime(m.sent_at ?? m.due_at, zone)}</td>
                <td>{t(`channels.${m.channel}`, { defaultValue: m.channel })}</td>
                <td>{m.recipient ?? "—"}</td>
                <td className="template-cell">
                  {m.subject && <strong>{m.subject}. </strong>}
                  {m.text}
                </td>
                <td>
                  <span className={`badge status-${m.status}`}>{t(`statuses.${m.status}`, { defaultValue: m.status })}</span>
                  {m.error_text && <div className="muted">{m.error_text}</div>}
                </td>
                <td>{m.attempts}</td>
                <td>
                  {RETRYABLE.has(m.status) && user.can("notifier.send") && (
                    <button type="button" className="secondary" disabled={retry.isPending} onClick={() => retry.mutate(m)}>
                      {t("messages.retry")}
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
