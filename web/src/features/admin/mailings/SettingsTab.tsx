import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { useUser } from "../../../auth/AuthProvider";
import { Field } from "../../../components/Field";
import { useNotice } from "../../../components/Notice";
import { ApiProblem, toProblem, unwrap } from "../../../lib/problem";
import { notifierKeys, useSettings, type Settings, type SettingsUpdate } from "./data";

/** The form's state: the settings' plain fields, and the secrets as typed (empty = keep the stored one). */
interface Form {
  general: Pick<Settings, "clinic_name" | "clinic_phone" | "clinic_address" | "sender_name" | "phone_country">;
  sms_provider: Settings["sms_provider"];
  email_provider: Settings["email_provider"];
  smsc: { base_url: string; login: string; password: string };
  quicktelecom: { base_url: string; login: string; password: string };
  imobis: { base_url: string; token: string; sms_fallback: boolean; ttl_seconds: string };
  smtp: { host: string; port: string; login: string; password: string; token: string; from_address: string; security: Settings["smtp"]["security"] };
}

function formOf(s: Settings): Form {
  return {
    general: {
      clinic_name: s.clinic_name,
      clinic_phone: s.clinic_phone,
      clinic_address: s.clinic_address,
      sender_name: s.sender_name,
      phone_country: s.phone_country,
    },
    sms_provider: s.sms_provider,
    email_provider: s.email_provider,
    smsc: { base_url: s.smsc.base_url, login: s.smsc.login, password: "" },
    quicktelecom: { base_url: s.quicktelecom.base_url, login: s.quicktelecom.login, password: "" },
    imobis: { base_url: s.imobis.base_url, token: "", sms_fallback: s.imobis.sms_fallback, ttl_seconds: String(s.imobis.ttl_seconds) },
    smtp: {
      host: s.smtp.host,
      port: String(s.smtp.port),
      login: s.smtp.login,
      password: "",
      token: "",
      from_address: s.smtp.from_address,
      security: s.smtp.security,
    },
  };
}

/** A secret is sent only when typed: the API keeps the stored one for an omitted (null) secret. */
const secret = (value: string) => (value === "" ? null : value);

function bodyOf(form: Form): SettingsUpdate {
  return {
    ...form.general,
    sms_provider: form.sms_provider,
    email_provider: form.email_provider,
    smsc: { base_url: form.smsc.base_url, login: form.smsc.login, password: secret(form.smsc.password) },
    quicktelecom: { base_url: form.quicktelecom.base_url, login: form.quicktelecom.login, password: secret(form.quicktelecom.password) },
    imobis: {
      base_url: form.imobis.base_url,
      token: secret(form.imobis.token),
      sms_fallback: form.imobis.sms_fallback,
      ttl_seconds: Number(form.imobis.ttl_seconds),
    },
    smtp: {
      host: form.smtp.host,
      port: Number(form.smtp.port),
      login: form.smtp.login,
      password: secret(form.smtp.password),
      token: secret(form.smtp.token),
      from_address: form.smtp.from_address,
      security: form.smtp.security,
    },
  };
}

/** «СМС» and «Email-рассылка» of Служба → Настройки службы: providers, logins, masked secrets. */
export function SettingsTab() {
  const { t } = useTranslation("mailings");
  const user = useUser();
  const notice = useNotice();
  const client = useQueryClient();
  const query = useSettings();
  const [form, setForm] = useState<Form | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const editable = user.can("notifier.settings");
  useEffect(() => {
    if (query.data) setForm(formOf(query.data.settings));
  }, [query.data]);
  const save = useMutation({
    mutationFn: async (f: Form) =>
      unwrap(
        await api.PUT("/api/notifier/settings", {
          params: { header: { "If-Match": query.data?.etag ?? '"0"' } },
          body: bodyOf(f),
        }),
      ),
    onSuccess: async () => {
      setProblem(null);
      notice(t("settings.saved"), "ok");
      await client.invalidateQueries({ queryKey: notifierKeys.settings });
    },
    onError: async (error) => {
      const p = toProblem(error);
      setProblem(p);
      if (p.status === 412) await client.invalidateQueries({ queryKey: notifierKeys.settings });
    },
  });
  if (query.isError) return <p role="alert">{query.error.message}</p>;
  if (!query.data || !form) return <p>{t("loading")}</p>;
  const stored = query.data.settings;
  const errors = problem?.fieldErrors() ?? {};
  const err = (section: string, name: string) => problem?.body.errors?.find((e) => e.field === `${section}.${name}`)?.message ?? (section === "" ? errors[name] : undefined);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm({ ...form, [key]: value });
  const text = <S extends "smsc" | "quicktelecom" | "imobis" | "smtp">(section: S, name: keyof Form[S] & string, label: string, type = "text") => (
    <Field label={label} error={err(section, name)}>
      <input
        type={type}
        value={String(form[section][name])}
        disabled={!editable}
        onChange={(event) => set(section, { ...form[section], [name]: event.target.value })}
      />
    </Field>
  );
  // A secret is never shown back: the field starts empty and says whether one is stored.
  const secretField = <S extends "smsc" | "quicktelecom" | "imobis" | "smtp">(section: S, name: keyof Form[S] & string, label: string, isSet: boolean) => (
    <Field label={label} error={err(section, name)}>
      <input
        type="password"
        autoComplete="new-password"
        value={String(form[section][name])}
        placeholder={isSet ? t("settings.secretSet") : t("settings.secretUnset")}
        disabled={!editable}
        onChange={(event) => set(section, { ...form[section], [name]: event.target.value })}
      />
    </Field>
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    if (form) save.mutate(form);
  }
  return (
    <form className="mailing-settings" onSubmit={submit} aria-labelledby="mailing-settings-title">
      <h2 id="mailing-settings-title">{t("settings.title")}</h2>
      {problem && <p role="alert" className="field-error">{problem.message}</p>}
      <fieldset>
        <legend>{t("settings.general")}</legend>
        <div className="form-grid">
          {(["clinic_name", "clinic_phone", "clinic_address", "sender_name", "phone_country"] as const).map((name) => (
            <Field key={name} label={t(`settings.${name}`)} error={errors[name]}>
              <input
                value={form.general[name]}
                disabled={!editable}
                onChange={(event) => set("general", { ...form.general, [name]: event.target.value })}
              />
            </Field>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("settings.sms")}</legend>
        <div className="form-grid">
          <Field label={t("settings.sms_provider")} error={errors.sms_provider}>
            <select value={form.sms_provider} disabled={!editable} onChange={(event) => set("sms_provider", event.target.value as Form["sms_provider"])}>
              {(["smsc", "quicktelecom", "imobis", "fake"] as const).map((p) => (
                <option key={p} value={p}>{t(`providers.${p}`)}</option>
              ))}
            </select>
          </Field>
        </div>
        <h3>{t("providers.smsc")}</h3>
        <div className="form-grid">
          {text("smsc", "base_url", t("settings.base_url"))}
          {text("smsc", "login", t("settings.login"))}
          {secretField("smsc", "password", t("settings.password"), stored.smsc.password_set)}
        </div>
        <h3>{t("providers.quicktelecom")}</h3>
        <div className="form-grid">
          {text("quicktelecom", "base_url", t("settings.base_url"))}
          {text("quicktelecom", "login", t("settings.login"))}
          {secretField("quicktelecom", "password", t("settings.password"), stored.quicktelecom.password_set)}
        </div>
        <h3>{t("providers.imobis")}</h3>
        <div className="form-grid">
          {text("imobis", "base_url", t("settings.base_url"))}
          {secretField("imobis", "token", t("settings.token"), stored.imobis.token_set)}
          {text("imobis", "ttl_seconds", t("settings.ttl_seconds"), "number")}
          <label className="check">
            <input
              type="checkbox"
              checked={form.imobis.sms_fallback}
              disabled={!editable}
              onChange={(event) => set("imobis", { ...form.imobis, sms_fallback: event.target.checked })}
            />
            {t("settings.sms_fallback")}
          </label>
        </div>
        {stored.imobis.channels.length > 0 && (
          <p className="muted">
            {t("settings.channels")}: {stored.imobis.channels.map((c) => c.channel).join(" → ")}
          </p>
        )}
      </fieldset>
      <fieldset>
        <legend>{t("settings.email")}</legend>
        <div className="form-grid">
          <Field label={t("settings.email_provider")} error={errors.email_provider}>
            <select value={form.email_provider} disabled={!editable} onChange={(event) => set("email_provider", event.target.value as Form["email_provider"])}>
              {(["smtp", "fake"] as const).map((p) => (
                <option key={p} value={p}>{t(`providers.${p}`)}</option>
              ))}
            </select>
          </Field>
          {text("smtp", "host", t("settings.host"))}
          {text("smtp", "port", t("settings.port"), "number")}
          {text("smtp", "login", t("settings.login"))}
          {secretField("smtp", "password", t("settings.password"), stored.smtp.password_set)}
          {secretField("smtp", "token", t("settings.smtpToken"), stored.smtp.token_set)}
          {text("smtp", "from_address", t("settings.from_address"), "email")}
          <Field label={t("settings.security")} error={err("smtp", "security")}>
            <select
              value={form.smtp.security}
              disabled={!editable}
              onChange={(event) => set("smtp", { ...form.smtp, security: event.target.value as Form["smtp"]["security"] })}
            >
              {(["starttls", "ssl", "none"] as const).map((s) => (
                <option key={s} value={s}>{t(`security.${s}`)}</option>
              ))}
            </select>
          </Field>
        </div>
        {stored.smtp.token_set && stored.smtp.token_kind && (
          <p className="muted">
            {t(`settings.tokenKind.${stored.smtp.token_kind}`)}
            {stored.smtp.certificate_expires_at && ` — ${t("settings.expires")} ${stored.smtp.certificate_expires_at.slice(0, 10).split("-").reverse().join(".")}`}
          </p>
        )}
      </fieldset>
      <p className="muted">{t("settings.secretHint")}</p>
      {editable && (
        <div className="form-actions">
          <button type="submit" disabled={save.isPending}>{t("save")}</button>
        </div>
      )}
    </form>
  );
}
