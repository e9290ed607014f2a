import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { useAppointmentStatuses, useServices } from "../../../api/directories";
import { Dialog } from "../../../components/Dialog";
import { Field } from "../../../components/Field";
import { useNotice } from "../../../components/Notice";
import { ApiProblem, toProblem, unwrap } from "../../../lib/problem";
import {
  ALL_FIELDS,
  notifierKeys,
  SCHEDULE_TYPES,
  TYPE_FIELDS,
  useCommunicationStatuses,
  useDayTypes,
  useDefaultTemplates,
  useTemplateParameters,
  type ParameterField,
  type Schedule,
  type ScheduleCreate,
  type ScheduleType,
} from "./data";
import { TemplatePreview } from "./TemplatePreview";

interface Form {
  name: string;
  type: ScheduleType;
  channel: "sms" | "email";
  enabled: boolean;
  subject: string;
  template: string;
  days: string;
  send_time: string;
  minutes: string;
  day_type_ids: string[];
  only_created_on_sending_day: boolean;
  set_communication_status_id: string;
  service_ids: string[];
  days_after: string;
  status_id: string;
  minutes_after: string;
  only_when_all_done: boolean;
}

function formOf(s: Schedule | null): Form {
  const num = (value: number | null | undefined, fallback: string) => (value === null || value === undefined ? fallback : String(value));
  return {
    name: s?.name ?? "",
    type: s?.type ?? "days_before_appointment",
    channel: s?.channel ?? "sms",
    enabled: s?.enabled ?? true,
    subject: s?.subject ?? "",
    template: s?.template ?? "",
    days: num(s?.days, "1"),
    send_time: s?.send_time?.slice(0, 5) ?? "12:00",
    minutes: num(s?.minutes, "60"),
    day_type_ids: s?.day_type_ids ?? [],
    only_created_on_sending_day: s?.only_created_on_sending_day ?? false,
    set_communication_status_id: s?.set_communication_status_id ?? "",
    service_ids: s?.service_ids ?? [],
    days_after: num(s?.days_after, "0"),
    status_id: s?.status_id ?? "",
    minutes_after: num(s?.minutes_after, "0"),
    only_when_all_done: s?.only_when_all_done ?? false,
  };
}

/** The body: the common fields and only the parameters of the chosen type (the others cleared). */
function bodyOf(form: Form, editing: boolean): ScheduleCreate {
  const own = new Set(TYPE_FIELDS[form.type]);
  const value = (field: ParameterField): unknown => {
    switch (field) {
      case "days":
      case "minutes":
      case "days_after":
      case "minutes_after":
        return form[field] === "" ? null : Number(form[field]);
      case "send_time":
        return form.send_time || null;
      case "set_communication_status_id":
      case "status_id":
        return form[field] || null;
      default:
        return form[field];
    }
  };
  const params: Record<string, unknown> = {};
  for (const field of ALL_FIELDS) {
    if (own.has(field)) params[field] = value(field);
    else if (editing) params[field] = null; // a PATCH keeps what is not given: clear the old type's parameters
  }
  return {
    ...params,
    name: form.name,
    type: form.type,
    channel: form.channel,
    enabled: form.enabled,
    // An empty text takes the type's default (GET /default-templates) on creation.
    template: form.template === "" && !editing ? null : form.template,
    subject: form.channel === "email" ? form.subject || null : null,
  };
}

/** «Задача отправки SMS/Email сообщений»: type, its parameters, the text with «Параметры» and a live preview. */
export function ScheduleDialog({ schedule, onClose }: { schedule: Schedule | null; onClose(): void }) {
  const { t } = useTranslation("mailings");
  const notice = useNotice();
  const client = useQueryClient();
  const [form, setForm] = useState<Form>(() => formOf(schedule));
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const parameters = useTemplateParameters();
  const defaults = useDefaultTemplates();
  const services = useServices();
  const statuses = useAppointmentStatuses();
  const dayTypes = useDayTypes();
  const communication = useCommunicationStatuses();
  const fields = new Set(TYPE_FIELDS[form.type]);
  const usable = useMemo(
    () => (parameters.data ?? []).filter((p) => p.provided_by.includes(form.type)),
    [parameters.data, form.type],
  );
  const save = useMutation({
    mutationFn: async (f: Form) => {
      const body = bodyOf(f, schedule !== null);
      return schedule
        ? unwrap(await api.PATCH("/api/notifier/schedules/{schedule_id}", { params: { path: { schedule_id: schedule.id } }, body }))
        : unwrap(await api.POST("/api/notifier/schedules", { body }));
    },
    onSuccess: async () => {
      notice(t("schedules.saved"), "ok");
      await client.invalidateQueries({ queryKey: notifierKeys.schedules });
      onClose();
    },
    onError: (error) => setProblem(toProblem(error)),
  });
  const errors = problem?.fieldErrors() ?? {};
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const defaultText = defaults.data?.find((d) => d.type === form.type);

  /** «Параметры»: the chosen parameter goes where the cursor is. */
  function insert(token: string) {
    const area = textRef.current;
    const at = area?.selectionStart ?? form.template.length;
    const end = area?.selectionEnd ?? at;
    const next = form.template.slice(0, at) + token + form.template.slice(end);
    set("template", next);
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(at + token.length, at + token.length);
    });
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(form);
  }
  const number = (field: "days" | "minutes" | "days_after" | "minutes_after", label: string) => (
    <Field label={label} error={errors[field]}>
      <input type="number" min={0} value={form[field]} onChange={(event) => set(field, event.target.value)} />
    </Field>
  );
  const multiple = (field: "day_type_ids" | "service_ids", label: string, items: { id: string; name: string }[]) => (
    <Field label={label} error={errors[field]}>
      <select
        multiple
        size={Math.min(6, Math.max(2, items.length))}
        value={form[field]}
        onChange={(event) => set(field, [...event.target.selectedOptions].map((o) => o.value))}
      >
        {items.map((item) => (
          <option key={item.id} value={item.id}>{item.name}</option>
        ))}
      </select>
    </Field>
  );
  const title = form.channel === "sms" ? t("schedules.dialogSms") : t("schedules.dialogEmail");
  return (
    <Dialog title={title} open onClose={onClose} className="wide schedule-dialog">
      <form onSubmit={submit}>
        {problem && <p role="alert" className="field-error">{problem.message}</p>}
        <div className="form-grid">
          <Field label={t("schedules.name")} error={errors.name}>
            <input value={form.name} required onChange={(event) => set("name", event.target.value)} />
          </Field>
          <Field label={t("schedules.channel")} error={errors.channel}>
            <select value={form.channel} onChange={(event) => set("channel", event.target.value as Form["channel"])}>
              <option value="sms">{t("channels.sms")}</option>
              <option value="email">{t("channels.email")}</option>
            </select>
          </Field>
          <Field label={t("schedules.type")} error={errors.type}>
            <select value={form.type} onChange={(event) => set("type", event.target.value as ScheduleType)}>
              {SCHEDULE_TYPES.map((type) => (
                <option key={type} value={type}>{t(`types.${type}`)}</option>
              ))}
            </select>
          </Field>
          <label className="check">
            <input type="checkbox" checked={form.enabled} onChange={(event) => set("enabled", event.target.checked)} />
            {t("schedules.enabled")}
          </label>
        </div>
        <fieldset>
          <legend>{t("schedules.parameters")}</legend>
          <div className="form-grid">
            {fields.has("days") && number("days", form.type === "days_before_birthday" ? t("params.daysBirthday") : t("params.days"))}
            {fields.has("minutes") && number("minutes", form.type === "after_status_change" ? t("params.minutesAfterStatus") : t("params.minutes"))}
            {fields.has("days_after") && number("days_after", t("params.days_after"))}
            {fields.has("minutes_after") && number("minutes_after", t(`params.minutes_after_${form.type}`))}
            {fields.has("send_time") && (
              <Field label={t("params.send_time")} error={errors.send_time}>
                <input type="time" value={form.send_time} onChange={(event) => set("send_time", event.target.value)} />
              </Field>
            )}
            {fields.has("status_id") && (
              <Field label={t("params.status_id")} error={errors.status_id}>
                <select value={form.status_id} onChange={(event) => set("status_id", event.target.value)}>
                  <option value="">{t("choose")}</option>
                  {(statuses.data ?? []).map((s) => (
                    <option key={s.id} value={s.id}>{s.name}</option>
                  ))}
                </select>
              </Field>
            )}
            {fields.has("set_communication_status_id") && (
              <Field label={t("params.set_communication_status_id")} error={errors.set_communication_status_id}>
                <select value={form.set_communication_status_id} onChange={(event) => set("set_communication_status_id", event.target.value)}>
                  <option value="">{t("none")}</option>
                  {(communication.data ?? []).map((s) => (
                    <option key={s.id} value={s.id}>{s.name}</option>
                  ))}
                </select>
              </Field>
            )}
            {fields.has("day_type_ids") && multiple("day_type_ids", t("params.day_type_ids"), dayTypes.data ?? [])}
            {fields.has("service_ids") && multiple("service_ids", t("params.service_ids"), (services.data ?? []).map((s) => ({ id: s.id, name: s.name })))}
            {fields.has("only_created_on_sending_day") && (
              <label className="check">
                <input type="checkbox" checked={form.only_created_on_sending_day} onChange={(event) => set("only_created_on_sending_day", event.target.checked)} />
                {t("params.only_created_on_sending_day")}
              </label>
            )}
            {fields.has("only_when_all_done") && (
              <label className="check">
                <input type="checkbox" checked={form.only_when_all_done} onChange={(event) => set("only_when_all_done", event.target.checked)} />
                {t("params.only_when_all_done")}
              </label>
            )}
          </div>
        </fieldset>
        {form.channel === "email" && (
          <Field label={t("schedules.subject")} error={errors.subject}>
            <input value={form.subject} placeholder={defaultText?.subject} onChange={(event) => set("subject", event.target.value)} />
          </Field>
        )}
        <div className="template-editor">
          <div>
            <div className="field">
              <label htmlFor="schedule-template">{t("schedules.template")}</label>
              <textarea
                id="schedule-template"
                ref={textRef}
                rows={6}
                value={form.template}
                placeholder={defaultText?.template}
                aria-invalid={errors.template ? true : undefined}
                aria-describedby={errors.template ? "schedule-template-error" : "schedule-template-hint"}
                onChange={(event) => set("template", event.target.value)}
              />
              {errors.template ? (
                <p id="schedule-template-error" className="field-error">{errors.template}</p>
              ) : (
                <p id="schedule-template-hint" className="muted">{t("schedules.templateHint")}</p>
              )}
            </div>
            <details className="parameters" open>
              <summary>{t("schedules.parametersList")}</summary>
              <ul>
                {usable.map((p) => (
                  <li key={p.name}>
                    <button type="button" className="secondary" onClick={() => insert(p.token)} aria-label={t("schedules.insert", { token: p.token, description: p.description })}>
                      {p.token}
                    </button>{" "}
                    <span>{p.description}</span>
                  </li>
                ))}
              </ul>
            </details>
          </div>
          <TemplatePreview
            template={form.template || defaultText?.template || ""}
            channel={form.channel}
            parameters={parameters.data ?? []}
          />
        </div>
        <div className="form-actions">
          <button type="submit" disabled={save.isPending}>{t("save")}</button>
          <button type="button" className="secondary" onClick={onClose}>{t("cancel")}</button>
        </div>
      </form>
    </Dialog>
  );
}
