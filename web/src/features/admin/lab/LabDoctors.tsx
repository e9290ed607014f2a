import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { useUser } from "../../../auth/AuthProvider";
import { Field } from "../../../components/Field";
import { useNotice } from "../../../components/Notice";
import { ApiProblem, toProblem, unwrap } from "../../../lib/problem";
import { useLabs } from "./data";

const doctorsKey = ["lab", "lab-doctors"] as const;

/**
 * Lab doctors (LAB-7): «Имеет доступ к лаборатории» and the «Лаборатория по умолчанию» that limits a
 * doctor's worklist to one lab (none: every lab, for users holding lab.all_labs).
 */
export function LabDoctors() {
  const { t } = useTranslation("lab");
  const user = useUser();
  const notice = useNotice();
  const queryClient = useQueryClient();
  const labs = useLabs();
  const doctors = useQuery({
    queryKey: doctorsKey,
    queryFn: async () => unwrap(await api.GET("/api/lab/lab-doctors", { params: { query: { limit: 500 } } })),
  });
  // The user list needs gateway.users; without it the rows show the user ids.
  const users = useQuery({
    queryKey: ["lab", "users"],
    enabled: user.can("gateway.users"),
    queryFn: async () => unwrap(await api.GET("/api/auth/users")).items,
  });
  const nameOf = (id: string) => users.data?.find((item) => item.id === id)?.username ?? id;
  const labName = (id: string | null | undefined) => (id ? (labs.data?.items.find((lab) => lab.id === id)?.name ?? id) : t("doctors.allLabs"));
  const [form, setForm] = useState({ user_id: "", lab_id: "", has_access: true, note: "" });
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const canEdit = user.can("lab.settings");

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    try {
      // The row's current version: a first setting needs none, a change names the one it was made from.
      const current = await api.GET("/api/lab/lab-doctors/{user_id}", { params: { path: { user_id: form.user_id } } });
      const etag = current.response.ok ? (current.response.headers.get("ETag") ?? undefined) : undefined;
      unwrap(
        await api.PUT("/api/lab/lab-doctors/{user_id}", {
          params: { path: { user_id: form.user_id }, header: etag ? { "If-Match": etag } : {} },
          body: { lab_id: form.lab_id || null, has_access: form.has_access, note: form.note || null },
        }),
      );
      notice(t("doctors.saved"), "ok");
      await queryClient.invalidateQueries({ queryKey: doctorsKey });
    } catch (error) {
      setProblem(toProblem(error));
    }
  }

  const errors = problem?.fieldErrors() ?? {};
  return (
    <section aria-labelledby="lab-doctors-title">
      <h3 id="lab-doctors-title">{t("doctors.title")}</h3>
      <table className="list">
        <thead>
          <tr>
            <th scope="col">{t("doctors.user")}</th>
            <th scope="col">{t("doctors.hasAccess")}</th>
            <th scope="col">{t("doctors.lab")}</th>
            <th scope="col">{t("doctors.note")}</th>
          </tr>
        </thead>
        <tbody>
          {(doctors.data?.items ?? []).map((doctor) => (
            <tr key={doctor.user_id}>
              <td>{nameOf(doctor.user_id)}</td>
              <td>{doctor.has_access ? t("labs.yes") : t("labs.no")}</td>
              <td>{labName(doctor.lab_id)}</td>
              <td>{doctor.note ?? ""}</td>
            </tr>
          ))}
          {doctors.data && doctors.data.items.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                {t("doctors.none")}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {canEdit && users.data && (
        <form onSubmit={submit} noValidate className="form-grid" aria-label={t("doctors.edit")}>
          <Field label={t("doctors.user")} error={errors.user_id}>
            <select value={form.user_id} onChange={(e) => setForm({ ...form, user_id: e.target.value })}>
              <option value="">—</option>
              {users.data.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.username}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("doctors.lab")} error={errors.lab_id}>
            <select value={form.lab_id} onChange={(e) => setForm({ ...form, lab_id: e.target.value })}>
              <option value="">{t("doctors.allLabs")}</option>
              {(labs.data?.items ?? []).map((lab) => (
                <option key={lab.id} value={lab.id}>
                  {lab.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("doctors.note")} error={errors.note}>
            <input value={form.note} onChange={(e) => setForm({ ...form, note: e.target.value })} />
          </Field>
          <label className="lab-check">
            <input type="checkbox" checked={form.has_access} onChange={(e) => setForm({ ...form, has_access: e.target.checked })} />{" "}
            {t("doctors.hasAccess")}
          </label>
          {problem && (
            <p role="alert" className="field-error">
              {problem.message}
            </p>
          )}
          <div className="form-actions">
            <button type="submit" disabled={!form.user_id}>
              {t("actions.save")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
