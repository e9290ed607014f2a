import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { Dialog } from "../../../components/Dialog";
import { Field } from "../../../components/Field";
import { useNotice } from "../../../components/Notice";
import { ApiProblem, problemText, unwrap } from "../../../lib/problem";
import { groupRights, prefixOf, toggled } from "./rules";
import { useRightsCatalogue, useRoles, userKeys, type RoleRead } from "./usersApi";

type Opened = { kind: "new" } | { kind: "edit" | "delete"; role: RoleRead };

/** «Роли»: each role with its rights; a role's rights chosen from the catalogue. */
export function RolesTab() {
  const { t } = useTranslation("users");
  const { t: common } = useTranslation();
  const roles = useRoles();
  const [opened, setOpened] = useState<Opened | null>(null);
  return (
    <section aria-labelledby="roles-tab-title">
      <h2 id="roles-tab-title" className="visually-hidden">
        {t("tabs.roles")}
      </h2>
      <div className="toolbar">
        <button type="button" onClick={() => setOpened({ kind: "new" })}>
          {t("roles.add")}
        </button>
      </div>
      {roles.isPending && <p role="status">{common("loading")}</p>}
      {roles.isError && <p role="alert">{problemText(roles.error)}</p>}
      {roles.data && (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t("roles.name")}</th>
              <th scope="col">{t("roles.description")}</th>
              <th scope="col">{t("roles.rights")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("users.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {roles.data.map((role) => (
              <tr key={role.id}>
                <td>{role.name}</td>
                <td>{role.description}</td>
                <td className="rights-cell">{role.rights.join(", ")}</td>
                <td>
                  <div className="row-actions">
                    <button type="button" className="secondary" onClick={() => setOpened({ kind: "edit", role })}>
                      {t("roles.edit")}
                    </button>
                    <button type="button" className="secondary" onClick={() => setOpened({ kind: "delete", role })}>
                      {t("roles.delete")}
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {opened?.kind === "new" && <RoleDialog role={null} onClose={() => setOpened(null)} />}
      {opened?.kind === "edit" && <RoleDialog role={opened.role} onClose={() => setOpened(null)} />}
      {opened?.kind === "delete" && <DeleteRoleDialog role={opened.role} onClose={() => setOpened(null)} />}
    </section>
  );
}

/** A role's form: name (new roles only), description, and the rights catalogue grouped by service. */
function RoleDialog({ role, onClose }: { role: RoleRead | null; onClose(): void }) {
  const { t } = useTranslation("users");
  const { t: common } = useTranslation();
  const queries = useQueryClient();
  const notice = useNotice();
  const catalogue = useRightsCatalogue();
  const [current, setCurrent] = useState<RoleRead | null>(role);
  const [name, setName] = useState(role?.name ?? "");
  const [description, setDescription] = useState(role?.description ?? "");
  const [rights, setRights] = useState<string[]>(role?.rights ?? []);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFieldErrors({});
    setFormError(null);
    try {
      if (current) {
        unwrap(
          await api.PATCH("/api/auth/roles/{role_id}", {
            params: { path: { role_id: current.id }, header: { "If-Match": `"${current.version}"` } },
            body: { description, rights },
          }),
        );
        notice(t("roles.saved", { name: current.name }), "ok");
      } else {
        unwrap(await api.POST("/api/auth/roles", { body: { name: name.trim(), description, rights } }));
        notice(t("roles.created", { name: name.trim() }), "ok");
      }
      await queries.invalidateQueries({ queryKey: userKeys.roles });
      onClose();
    } catch (error) {
      await refused(error);
    } finally {
      setBusy(false);
    }
  }

  async function refused(error: unknown) {
    if (error instanceof ApiProblem && error.status === 412 && current) {
      // Someone changed the role meanwhile: open their version instead of overwriting it.
      const fresh = unwrap(await api.GET("/api/auth/roles")).items.find((item) => item.id === current.id);
      if (fresh) {
        setCurrent(fresh);
        setDescription(fresh.description);
        setRights(fresh.rights);
      }
      return setFormError(t("roles.changedMeanwhile"));
    }
    const byField = error instanceof ApiProblem ? error.fieldErrors() : {};
    const known = Object.fromEntries(Object.entries(byField).filter(([field]) => ["name", "description"].includes(field)));
    setFieldErrors(known);
    // A refused grant (rights the current user does not hold) or an unknown right: the API's own words.
    if (Object.keys(known).length === 0 || byField.rights) setFormError(byField.rights ?? problemText(error));
  }

  const groups = groupRights(catalogue.data ?? {});
  const has = (right: string) => rights.includes(right);
  return (
    <Dialog title={current ? t("roles.editTitle", { name: current.name }) : t("roles.newTitle")} open onClose={onClose} className="role-dialog">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <div className="form-grid">
          {!current && (
            <Field label={t("roles.name")} error={fieldErrors.name}>
              <input value={name} onChange={(event) => setName(event.target.value)} aria-required placeholder={t("roles.nameHint")} />
            </Field>
          )}
          <Field label={t("roles.description")} error={fieldErrors.description}>
            <input value={description} onChange={(event) => setDescription(event.target.value)} />
          </Field>
        </div>
        <fieldset className="rights-catalogue">
          <legend>{t("roles.rights")}</legend>
          {catalogue.isPending && <p role="status">{common("loading")}</p>}
          {catalogue.isError && <p role="alert">{problemText(catalogue.error)}</p>}
          {has("*") && (
            <label className="inline">
              <input type="checkbox" checked onChange={(event) => setRights(toggled(rights, "*", event.target.checked))} />
              {t("roles.allRights")} <code>*</code>
            </label>
          )}
          {groups.map((group) => {
            const prefix = prefixOf(group);
            return (
              <fieldset key={group.service} className="rights-group">
                <legend>{t(`services.${prefix}`, { defaultValue: group.service })}</legend>
                <label className="inline">
                  <input
                    type="checkbox"
                    checked={has(`${prefix}.*`)}
                    onChange={(event) => setRights(toggled(rights, `${prefix}.*`, event.target.checked))}
                  />
                  {t("roles.allOfService")} <code>{prefix}.*</code>
                </label>
                {group.rights.map((item) => (
                  <label key={item.right} className="inline right">
                    <input
                      type="checkbox"
                      checked={has(item.right)}
                      onChange={(event) => setRights(toggled(rights, item.right, event.target.checked))}
                    />
                    <span>
                      {t(`rights.${item.right}`, { defaultValue: item.description })} <code>{item.right}</code>
                    </span>
                  </label>
                ))}
              </fieldset>
            );
          })}
        </fieldset>
        {formError && (
          <p role="alert" className="form-error">
            {formError}
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

/** «Удалить» a role, with confirmation; the API's refusal (the admin role, the last full administrator) shown. */
function DeleteRoleDialog({ role, onClose }: { role: RoleRead; onClose(): void }) {
  const { t } = useTranslation("users");
  const { t: common } = useTranslation();
  const queries = useQueryClient();
  const notice = useNotice();
  const [refusal, setRefusal] = useState<string | null>(null);

  async function confirm() {
    try {
      unwrap(
        await api.DELETE("/api/auth/roles/{role_id}", {
          params: { path: { role_id: role.id }, header: { "If-Match": `"${role.version}"` } },
        }),
      );
      notice(t("roles.deleted", { name: role.name }), "ok");
      await queries.invalidateQueries({ queryKey: userKeys.roles });
      await queries.invalidateQueries({ queryKey: userKeys.users });
      onClose();
    } catch (error) {
      setRefusal(problemText(error));
    }
  }

  return (
    <Dialog title={t("roles.deleteTitle")} open onClose={onClose}>
      <p>{t("roles.confirmDelete", { name: role.name })}</p>
      {refusal && (
        <p role="alert" className="form-error">
          {refusal}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="secondary" onClick={onClose}>
          {refusal ? common("actions.close") : common("actions.cancel")}
        </button>
        {!refusal && (
          <button type="button" className="danger" onClick={() => void confirm()}>
            {common("actions.delete")}
          </button>
        )}
      </div>
    </Dialog>
  );
}
