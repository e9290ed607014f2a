import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { useUser } from "../../../auth/AuthProvider";
import { useNotice } from "../../../components/Notice";
import { useClinic } from "../../../lib/clinic";
import { problemText, unwrap } from "../../../lib/problem";
import { clinicDateTime } from "../../../lib/time";
import { PasswordDialog, SessionsDialog, UserDialog } from "./UserDialogs";
import { patchUser, useUsers, userKeys, type UserRead } from "./usersApi";

type Opened = { kind: "new" } | { kind: "edit" | "password" | "sessions"; user: UserRead };

/** «Пользователи»: the list, «Добавить пользователя», and what an administrator does to a user. */
export function UsersTab() {
  const { t } = useTranslation("users");
  const { t: common } = useTranslation();
  const { zone } = useClinic();
  const me = useUser();
  const users = useUsers();
  const queries = useQueryClient();
  const notice = useNotice();
  const [opened, setOpened] = useState<Opened | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  /** One action on a user, with its message; the API's refusal shown as it says it. */
  async function act(user: UserRead, action: () => Promise<unknown>, done: string) {
    setBusy(user.id);
    try {
      await action();
      notice(done, "ok");
      await queries.invalidateQueries({ queryKey: userKeys.users });
    } catch (error) {
      notice(problemText(error), "error");
    } finally {
      setBusy(null);
    }
  }

  const setActive = (user: UserRead, active: boolean) =>
    act(user, () => patchUser(user.id, { active }), t(active ? "users.activated" : "users.deactivated", { username: user.username }));
  const logoutEverywhere = (user: UserRead) =>
    act(
      user,
      async () => unwrap(await api.POST("/api/auth/users/{user_id}/logout", { params: { path: { user_id: user.id } } })),
      t("users.loggedOut", { username: user.username }),
    );
  const unlock = (user: UserRead) =>
    act(
      user,
      async () => unwrap(await api.POST("/api/auth/users/{user_id}/unlock", { params: { path: { user_id: user.id } } })),
      t("users.unlocked", { username: user.username }),
    );

  return (
    <section aria-labelledby="users-tab-title">
      <h2 id="users-tab-title" className="visually-hidden">
        {t("tabs.users")}
      </h2>
      <div className="toolbar">
        <button type="button" onClick={() => setOpened({ kind: "new" })}>
          {t("users.add")}
        </button>
      </div>
      {users.isPending && <p role="status">{common("loading")}</p>}
      {users.isError && <p role="alert">{problemText(users.error)}</p>}
      {users.data && (
        <table className="list users-table">
          <thead>
            <tr>
              <th scope="col">{t("users.username")}</th>
              <th scope="col">{t("users.fullName")}</th>
              <th scope="col">{t("users.roles")}</th>
              <th scope="col">{t("users.status")}</th>
              <th scope="col">{t("users.createdAt")}</th>
              <th scope="col">{t("users.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {users.data.map((user) => (
              <tr key={user.id} className={user.active ? undefined : "inactive-row"}>
                <td>{user.username}</td>
                <td>{user.full_name ?? ""}</td>
                <td>{user.roles.join(", ")}</td>
                <td>{user.active ? t("users.activeYes") : t("users.activeNo")}</td>
                <td>{clinicDateTime(user.created_at, zone)}</td>
                <td>
                  <div className="user-actions" role="group" aria-label={t("users.actionsOf", { username: user.username })}>
                    <button type="button" className="secondary" onClick={() => setOpened({ kind: "edit", user })}>
                      {t("users.edit")}
                    </button>
                    <button type="button" className="secondary" onClick={() => setOpened({ kind: "password", user })}>
                      {t("users.resetPassword")}
                    </button>
                    <button type="button" className="secondary" onClick={() => setOpened({ kind: "sessions", user })}>
                      {t("users.sessions")}
                    </button>
                    <button type="button" className="secondary" disabled={busy === user.id} onClick={() => void logoutEverywhere(user)}>
                      {t("users.logoutEverywhere")}
                    </button>
                    <button type="button" className="secondary" disabled={busy === user.id} onClick={() => void unlock(user)}>
                      {t("users.unlock")}
                    </button>
                    {user.id !== me.id && (
                      <button
                        type="button"
                        className={user.active ? "danger" : "secondary"}
                        disabled={busy === user.id}
                        onClick={() => void setActive(user, !user.active)}
                      >
                        {user.active ? t("users.deactivate") : t("users.activate")}
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {opened?.kind === "new" && <UserDialog user={null} onClose={() => setOpened(null)} />}
      {opened?.kind === "edit" && <UserDialog user={opened.user} onClose={() => setOpened(null)} />}
      {opened?.kind === "password" && <PasswordDialog user={opened.user} onClose={() => setOpened(null)} />}
      {opened?.kind === "sessions" && <SessionsDialog user={opened.user} onClose={() => setOpened(null)} />}
    </section>
  );
}
