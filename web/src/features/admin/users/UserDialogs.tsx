import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { Dialog } from "../../../components/Dialog";
import { Field } from "../../../components/Field";
import { useNotice } from "../../../components/Notice";
import { useClinic } from "../../../lib/clinic";
import { ApiProblem, problemText, unwrap } from "../../../lib/problem";
import { clinicDateTime } from "../../../lib/time";
import { patchUser, useRoles, userKeys, type UserRead } from "./usersApi";

/** The API's refusal: messages by field, and the rest for the form. */
function useRefusal() {
  const [fields, setFields] = useState<Record<string, string>>({});
  const [form, setForm] = useState<string | null>(null);
  return {
    fields,
    form,
    clear() {
      setFields({});
      setForm(null);
    },
    show(error: unknown, known: string[]) {
      const byField = error instanceof ApiProblem ? error.fieldErrors() : {};
      const mine = Object.fromEntries(Object.entries(byField).filter(([name]) => known.includes(name)));
      setFields(mine);
      setForm(Object.keys(mine).length > 0 ? null : problemText(error));
    },
  };
}

/** The roles of a user: a group of checkboxes named «Роли». */
function RolesChoice({ value, onChange, error }: { value: string[]; onChange(value: string[]): void; error?: string }) {
  const { t } = useTranslation("users");
  const roles = useRoles();
  return (
    <fieldset className="roles-choice">
      <legend>{t("users.roles")}</legend>
      {(roles.data ?? []).map((role) => (
        <label key={role.id} className="inline">
          <input
            type="checkbox"
            checked={value.includes(role.name)}
            onChange={(event) =>
              onChange(event.target.checked ? [...value, role.name] : value.filter((name) => name !== role.name))
            }
          />
          {role.name}
          {role.description && <span className="muted"> — {role.description}</span>}
        </label>
      ))}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}

/** «Добавить пользователя» (username, ФИО, password, roles) or «Изменить» (ФИО, roles). */
export function UserDialog({ user, onClose }: { user: UserRead | null; onClose(): void }) {
  const { t } = useTranslation("users");
  const { t: common } = useTranslation();
  const queries = useQueryClient();
  const notice = useNotice();
  const refusal = useRefusal();
  const [username, setUsername] = useState(user?.username ?? "");
  const [fullName, setFullName] = useState(user?.full_name ?? "");
  const [password, setPassword] = useState("");
  const [roles, setRoles] = useState<string[]>(user?.roles ?? []);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    refusal.clear();
    try {
      if (user) {
        await patchUser(user.id, { full_name: fullName.trim(), roles });
        notice(t("users.saved"), "ok");
      } else {
        const body = { username: username.trim(), password, full_name: fullName.trim() || null, roles };
        unwrap(await api.POST("/api/auth/users", { body }));
        notice(t("users.created", { username: body.username }), "ok");
      }
      await queries.invalidateQueries({ queryKey: userKeys.users });
      onClose();
    } catch (error) {
      refusal.show(error, ["username", "password", "full_name", "roles"]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={user ? t("users.editTitle", { username: user.username }) : t("users.newTitle")} open onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <div className="form-grid">
          {!user && (
            <Field label={t("users.username")} error={refusal.fields.username}>
              <input value={username} onChange={(event) => setUsername(event.target.value)} autoComplete="off" aria-required />
            </Field>
          )}
          <Field label={t("users.fullName")} error={refusal.fields.full_name}>
            <input value={fullName} onChange={(event) => setFullName(event.target.value)} autoComplete="off" />
          </Field>
          {!user && (
            <Field label={t("users.password")} error={refusal.fields.password}>
              <input
                type="password"
                value={password}
                onChange={(event) => setPassword(event.target.value)}
                autoComplete="new-password"
                aria-required
                placeholder={t("users.passwordHint")}
              />
            </Field>
          )}
        </div>
        <RolesChoice value={roles} onChange={setRoles} error={refusal.fields.roles} />
        {refusal.form && (
          <p role="alert" className="form-error">
            {refusal.form}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="secondary" onClick={onClose}>
            {common("actions.cancel")}
          </button>
          <button type="submit" disabled={busy}>
            {common("actions.save")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** «Сменить пароль»: an administrator sets a new one; the user's sessions end. */
export function PasswordDialog({ user, onClose }: { user: UserRead; onClose(): void }) {
  const { t } = useTranslation("users");
  const { t: common } = useTranslation();
  const notice = useNotice();
  const refusal = useRefusal();
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    refusal.clear();
    try {
      await patchUser(user.id, { password });
      notice(t("users.passwordSet", { username: user.username }), "ok");
      onClose();
    } catch (error) {
      refusal.show(error, ["password"]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={t("users.resetTitle", { username: user.username })} open onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field label={t("users.newPassword")} error={refusal.fields.password}>
          <input
            type="password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            autoComplete="new-password"
            placeholder={t("users.passwordHint")}
          />
        </Field>
        {refusal.form && (
          <p role="alert" className="form-error">
            {refusal.form}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="secondary" onClick={onClose}>
            {common("actions.cancel")}
          </button>
          <button type="submit" disabled={busy}>
            {common("actions.save")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** «Сеансы»: where and since when the user is logged in (times on the clinic's clock). */
export function SessionsDialog({ user, onClose }: { user: UserRead; onClose(): void }) {
  const { t } = useTranslation("users");
  const { t: common } = useTranslation();
  const { zone } = useClinic();
  const sessions = useQuery({
    queryKey: userKeys.sessions(user.id),
    queryFn: async () =>
      unwrap(await api.GET("/api/auth/users/{user_id}/sessions", { params: { path: { user_id: user.id } } })),
  });
  return (
    <Dialog title={t("users.sessionsTitle", { username: user.username })} open onClose={onClose} className="sessions-dialog">
      {sessions.isPending && <p role="status">{common("loading")}</p>}
      {sessions.isError && <p role="alert">{problemText(sessions.error)}</p>}
      {sessions.data?.length === 0 && <p>{t("users.noSessions")}</p>}
      {sessions.data && sessions.data.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t("users.sessionStarted")}</th>
              <th scope="col">{t("users.sessionUsed")}</th>
              <th scope="col">{t("users.sessionExpires")}</th>
              <th scope="col">{t("users.sessionAddress")}</th>
              <th scope="col">{t("users.sessionAgent")}</th>
            </tr>
          </thead>
          <tbody>
            {sessions.data.map((session) => (
              <tr key={session.id}>
                <td>{clinicDateTime(session.created_at, zone)}</td>
                <td>{clinicDateTime(session.last_used_at, zone)}</td>
                <td>{clinicDateTime(session.expires_at, zone)}</td>
                <td>{session.client_address ?? ""}</td>
                <td className="user-agent">{session.user_agent ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Dialog>
  );
}
