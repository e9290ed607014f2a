import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { Dialog } from "../../../components/Dialog";
import { Field } from "../../../components/Field";
import { useNotice } from "../../../components/Notice";
import { useClinic } from "../../../lib/clinic";
import { ApiProblem, problemText, unwrap } from "../../../lib/problem";
import { clinicDateTime } from "../../../lib/time";
import { API_KEYS_KEY, ONLINE_KEY, useApiKeys, type ApiKey, type CreatedKey } from "./data";

/**
 * The website widget's API keys: created with a label, the key itself shown once (only its hash
 * is kept), revoked for good; the list shows each key's first characters and its last use.
 */
export function ApiKeysTab() {
  const { t } = useTranslation("online");
  const { zone } = useClinic();
  const notice = useNotice();
  const queries = useQueryClient();
  const apiKeys = useApiKeys();
  const [label, setLabel] = useState("");
  const [labelError, setLabelError] = useState<string | undefined>();
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create() {
    if (!label.trim()) return setLabelError(t("errors.required"));
    setBusy(true);
    setLabelError(undefined);
    try {
      const key = unwrap(await api.POST("/api/scheduling/online/api-keys", { body: { label: label.trim() } }));
      setCreated(key);
      setLabel("");
      await queries.invalidateQueries({ queryKey: ONLINE_KEY });
    } catch (error) {
      setLabelError(error instanceof ApiProblem ? (error.fieldErrors().label ?? problemText(error)) : problemText(error));
    } finally {
      setBusy(false);
    }
  }

  async function revoke(key: ApiKey) {
    setRevokeError(null);
    try {
      unwrap(await api.DELETE("/api/scheduling/online/api-keys/{key_id}", { params: { path: { key_id: key.id } } }));
      notice(t("keys.revoked", { label: key.label }), "ok");
      setRevoking(null);
      await queries.invalidateQueries({ queryKey: API_KEYS_KEY });
    } catch (error) {
      setRevokeError(problemText(error));
    }
  }

  return (
    <section aria-labelledby="online-keys-title">
      <h2 id="online-keys-title">{t("keys.title")}</h2>
      <p className="muted">{t("keys.explain")}</p>
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
      >
        <Field label={t("keys.label")} error={labelError}>
          <input value={label} maxLength={200} onChange={(event) => setLabel(event.target.value)} />
        </Field>
        <button type="submit" disabled={busy}>
          {t("keys.create")}
        </button>
      </form>
      {apiKeys.isError ? (
        <p role="alert">{problemText(apiKeys.error)}</p>
      ) : !apiKeys.data ? (
        <p role="status">{t("loading")}</p>
      ) : apiKeys.data.length === 0 ? (
        <p className="muted">{t("keys.empty")}</p>
      ) : (
        <table className="list">
          <caption className="visually-hidden">{t("keys.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("keys.label")}</th>
              <th scope="col">{t("keys.prefix")}</th>
              <th scope="col">{t("keys.createdAt")}</th>
              <th scope="col">{t("keys.lastUsedAt")}</th>
              <th scope="col">{t("actionsColumn")}</th>
            </tr>
          </thead>
          <tbody>
            {apiKeys.data.map((key) => (
              <tr key={key.id}>
                <td>{key.label}</td>
                <td>
                  <code>{key.prefix}…</code>
                </td>
                <td>{clinicDateTime(key.created_at, zone)}</td>
                <td>{key.last_used_at ? clinicDateTime(key.last_used_at, zone) : t("keys.neverUsed")}</td>
                <td>
                  <button
                    type="button"
                    className="danger"
                    aria-label={t("keys.revokeOf", { label: key.label })}
                    onClick={() => {
                      setRevokeError(null);
                      setRevoking(key);
                    }}
                  >
                    {t("keys.revoke")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {created && <CreatedKeyDialog created={created} onClose={() => setCreated(null)} />}
      {revoking && (
        <Dialog title={t("keys.revokeTitle")} open onClose={() => setRevoking(null)}>
          <p>{t("keys.revokeQuestion", { label: revoking.label })}</p>
          {revokeError && (
            <p role="alert" className="form-error">
              {revokeError}
            </p>
          )}
          <div className="form-actions">
            <button type="button" className="secondary" onClick={() => setRevoking(null)}>
              {t("cancel")}
            </button>
            <button type="button" className="danger" onClick={() => void revoke(revoking)}>
              {t("keys.revoke")}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

/** The new key, shown this once, with a copy button and the warning that it cannot be shown again. */
function CreatedKeyDialog({ created, onClose }: { created: CreatedKey; onClose(): void }) {
  const { t } = useTranslation("online");
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "select" | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied("yes");
    } catch {
      // No clipboard (plain http, or denied): select the key so Ctrl+C copies it.
      input.current?.select();
      setCopied("select");
    }
  }

  return (
    <Dialog title={t("keys.createdTitle", { label: created.label })} open onClose={onClose}>
      <p role="alert" className="key-warning">
        {t("keys.once")}
      </p>
      <Field label={t("keys.key")}>
        <input ref={input} readOnly value={created.key} className="secret" onFocus={(event) => event.target.select()} />
      </Field>
      <p role="status" className="muted">
        {copied === "yes" ? t("keys.copied") : copied === "select" ? t("keys.selectToCopy") : ""}
      </p>
      <div className="form-actions">
        <button type="button" className="secondary" onClick={() => void copy()}>
          {t("keys.copy")}
        </button>
        <button type="button" onClick={onClose}>
          {t("keys.done")}
        </button>
      </div>
    </Dialog>
  );
}
