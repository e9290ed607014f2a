import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas } from "../../../api/client";
import { useUser } from "../../../auth/AuthProvider";
import { useNotice } from "../../../components/Notice";
import { ApiProblem, unwrap } from "../../../lib/problem";
import { lk, useLabs } from "./data";
import { LabDoctors } from "./LabDoctors";

type Settings = Schemas["LabLabSettingsRead"];

/** «Лаборатория → Основное / Платные услуги» (LAB-1): the switches of the source's system settings. */
export function SettingsTab() {
  const { t } = useTranslation("lab");
  const loaded = useQuery({
    queryKey: lk.settings,
    queryFn: async () => {
      const result = await api.GET("/api/lab/settings");
      return { settings: unwrap(result), etag: result.response.headers.get("ETag") ?? "*" };
    },
  });
  if (!loaded.data) return loaded.error ? <p role="alert">{(loaded.error as Error).message}</p> : <p>{t("loading", { ns: "common" })}</p>;
  return (
    <>
      <SettingsForm key={loaded.data.etag} settings={loaded.data.settings} etag={loaded.data.etag} />
      <LabDoctors />
    </>
  );
}

function SettingsForm({ settings, etag }: { settings: Settings; etag: string }) {
  const { t } = useTranslation("lab");
  const user = useUser();
  const notice = useNotice();
  const queryClient = useQueryClient();
  const labs = useLabs();
  const [form, setForm] = useState(settings);
  const canEdit = user.can("lab.settings");

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      unwrap(
        await api.PUT("/api/lab/settings", {
          params: { header: { "If-Match": etag } },
          body: {
            use_new_laboratory: form.use_new_laboratory,
            create_on_charge: form.create_on_charge,
            create_on_charge_lab_ids: form.create_on_charge_lab_ids,
            send_automatically: form.send_automatically,
          },
        }),
      );
      notice(t("settings.saved"), "ok");
    } catch (error) {
      notice(error instanceof ApiProblem ? error.message : String(error), "error");
    }
    await queryClient.invalidateQueries({ queryKey: lk.settings });
  }

  const box = (name: "use_new_laboratory" | "create_on_charge" | "send_automatically") => (
    <label className="lab-check">
      <input type="checkbox" disabled={!canEdit} checked={form[name]} onChange={(e) => setForm({ ...form, [name]: e.target.checked })} />{" "}
      {t(`settings.${name}`)}
    </label>
  );
  return (
    <form onSubmit={submit} noValidate className="lab-settings">
      <fieldset>
        <legend>{t("settings.main")}</legend>
        {box("use_new_laboratory")}
        {box("send_automatically")}
      </fieldset>
      <fieldset>
        <legend>{t("settings.paid")}</legend>
        {box("create_on_charge")}
        <ul className="lab-service-list">
          {(labs.data?.items ?? []).map((lab) => (
            <li key={lab.id}>
              <label>
                <input
                  type="checkbox"
                  disabled={!canEdit}
                  checked={form.create_on_charge_lab_ids.includes(lab.id)}
                  onChange={(e) =>
                    setForm({
                      ...form,
                      create_on_charge_lab_ids: e.target.checked
                        ? [...form.create_on_charge_lab_ids, lab.id]
                        : form.create_on_charge_lab_ids.filter((id) => id !== lab.id),
                    })
                  }
                />{" "}
                {lab.name}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      {canEdit && (
        <div className="form-actions">
          <button type="submit">{t("actions.save")}</button>
        </div>
      )}
    </form>
  );
}
