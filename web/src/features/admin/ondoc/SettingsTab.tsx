import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { useUser } from "../../../auth/AuthProvider";
import { Field } from "../../../components/Field";
import { useNotice } from "../../../components/Notice";
import { ApiProblem, toProblem, unwrap } from "../../../lib/problem";
import { ondocKeys, useOndocSettings, type OndocConfig, type OndocConfigUpdate } from "./data";

interface Form {
  enabled: boolean;
  server_url: string;
  company_token: string; // typed only: empty keeps the stored token
  branch_token: string;
  time_zone: string;
  refresh_interval_minutes: string;
  contact_priority: OndocConfig["contact_priority"];
  attach_code_ttl_minutes: string;
}

function formOf(c: OndocConfig): Form {
  return {
    enabled: c.enabled,
    server_url: c.server_url ?? "",
    company_token: "",
    branch_token: "",
    time_zone: c.time_zone_offset,
    refresh_interval_minutes: String(c.refresh_interval_minutes),
    contact_priority: c.contact_priority,
    attach_code_ttl_minutes: String(c.attach_code_ttl_minutes),
  };
}

function bodyOf(f: Form): OndocConfigUpdate {
  const body: OndocConfigUpdate = {
    enabled: f.enabled,
    server_url: f.server_url || null,
    // The API checks the zone against the clinic's and answers 422 when it differs.
    time_zone: f.time_zone || null,
    refresh_interval_minutes: Number(f.refresh_interval_minutes),
    contact_priority: f.contact_priority,
    attach_code_ttl_minutes: Number(f.attach_code_ttl_minutes),
  };
  // A token left out keeps its value: only a typed one is sent.
  if (f.company_token) body.company_token = f.company_token;
  if (f.branch_token) body.branch_token = f.branch_token;
  return body;
}

/** The plugin's settings and «Использовать функционал отправки данных в ONDOC». */
export function SettingsTab() {
  const { t } = useTranslation("ondoc");
  const user = useUser();
  const notice = useNotice();
  const client = useQueryClient();
  const query = useOndocSettings();
  const [form, setForm] = useState<Form | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const editable = user.can("ondoc.settings");
  useEffect(() => {
    if (query.data) setForm(formOf(query.data.config));
  }, [query.data]);
  const save = useMutation({
    mutationFn: async (f: Form) =>
      unwrap(await api.PUT("/api/ondoc/settings", { params: { header: { "If-Match": query.data?.etag ?? "" } }, body: bodyOf(f) })),
    onSuccess: async () => {
      setProblem(null);
      notice(t("settings.saved"), "ok");
      await client.invalidateQueries({ queryKey: ondocKeys.settings });
    },
    onError: async (error) => {
      const p = toProblem(error);
      setProblem(p);
      if (p.status === 412) await client.invalidateQueries({ queryKey: ondocKeys.settings });
    },
  });
  if (query.isError) return <p role="alert">{query.error.message}</p>;
  if (!query.data || !form) return <p>{t("loading")}</p>;
  const config = query.data.config;
  const errors = problem?.fieldErrors() ?? {};
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm({ ...form, [key]: value });
  const token = (name: "company_token" | "branch_token", isSet: boolean) => (
    <Field label={t(`settings.${name}`)} error={errors[name]}>
      <input
        type="password"
        autoComplete="new-password"
        value={form[name]}
        disabled={!editable}
        placeholder={isSet ? t("settings.secretSet") : t("settings.secretUnset")}
        onChange={(event) => set(name, event.target.value)}
      />
    </Field>
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    if (form) save.mutate(form);
  }
  return (
    <form onSubmit={submit} aria-labelledby="ondoc-settings-title">
      <h2 id="ondoc-settings-title">{t("settings.title")}</h2>
      {problem && <p role="alert" className="field-error">{problem.message}</p>}
      <label className="check">
        <input type="checkbox" checked={form.enabled} disabled={!editable} onChange={(event) => set("enabled", event.target.checked)} />
        {t("settings.enabled")}
      </label>
      <div className="form-grid">
        <Field label={t("settings.server_url")} error={errors.server_url}>
          <input type="url" value={form.server_url} disabled={!editable} onChange={(event) => set("server_url", event.target.value)} />
        </Field>
        {token("company_token", config.company_token_set)}
        {token("branch_token", config.branch_token_set)}
        <Field label={t("settings.time_zone")} error={errors.time_zone}>
          <input value={form.time_zone} disabled={!editable} onChange={(event) => set("time_zone", event.target.value)} />
        </Field>
        <Field label={t("settings.refresh_interval_minutes")} error={errors.refresh_interval_minutes}>
          <input type="number" min={1} value={form.refresh_interval_minutes} disabled={!editable} onChange={(event) => set("refresh_interval_minutes", event.target.value)} />
        </Field>
        <Field label={t("settings.contact_priority")} error={errors.contact_priority}>
          <select value={form.contact_priority} disabled={!editable} onChange={(event) => set("contact_priority", event.target.value as Form["contact_priority"])}>
            <option value="mobile">{t("contact.mobile")}</option>
            <option value="email">{t("contact.email")}</option>
          </select>
        </Field>
        <Field label={t("settings.attach_code_ttl_minutes")} error={errors.attach_code_ttl_minutes}>
          <input type="number" min={1} value={form.attach_code_ttl_minutes} disabled={!editable} onChange={(event) => set("attach_code_ttl_minutes", event.target.value)} />
        </Field>
      </div>
      <p className="muted">{t("settings.zoneHint", { zone: config.time_zone, offset: config.time_zone_offset })}</p>
      <p className="muted">{t("settings.secretHint")}</p>
      {config.callback_secrets.length > 0 && (
        <p className="muted">
          {t("settings.callbackSecrets")}: {config.callback_secrets.map((s) => s.fingerprint).join(", ")}
        </p>
      )}
      {editable && (
        <div className="form-actions">
          <button type="submit" disabled={save.isPending}>{t("save")}</button>
        </div>
      )}
    </form>
  );
}
