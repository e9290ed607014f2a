import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api } from "../../../api/client";
import { Field } from "../../../components/Field";
import { useClinic } from "../../../lib/clinic";
import { unwrap } from "../../../lib/problem";
import { clinicDateTime } from "../../../lib/time";
import { ondocKeys } from "./data";

/** Patients attached to ONDOC and those detached (MIS ID «-»), newest first; each opens its card. */
export function LinksTab() {
  const { t } = useTranslation("ondoc");
  const { zone } = useClinic();
  const [status, setStatus] = useState<"" | "attached" | "detached">("");
  const links = useQuery({
    queryKey: ondocKeys.links(status),
    queryFn: async () => unwrap(await api.GET("/api/ondoc/links", { params: { query: { status: status || null, limit: 500 } } })).items,
  });
  return (
    <div>
      <h2>{t("links.title")}</h2>
      <div className="toolbar">
        <Field label={t("links.status")}>
          <select value={status} onChange={(event) => setStatus(event.target.value as typeof status)}>
            <option value="">{t("all")}</option>
            <option value="attached">{t("links.attached")}</option>
            <option value="detached">{t("links.detached")}</option>
          </select>
        </Field>
      </div>
      {links.isError && <p role="alert">{links.error.message}</p>}
      {links.data?.length === 0 && <p className="muted">{t("links.empty")}</p>}
      {links.data && links.data.length > 0 && (
        <table className="list">
          <caption className="visually-hidden">{t("links.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("links.card")}</th>
              <th scope="col">{t("links.misId")}</th>
              <th scope="col">{t("links.ondocId")}</th>
              <th scope="col">{t("links.status")}</th>
              <th scope="col">{t("links.attachedAt")}</th>
              <th scope="col">{t("links.detachedAt")}</th>
            </tr>
          </thead>
          <tbody>
            {links.data.map((link) => (
              <tr key={link.id}>
                <td>
                  <Link to={`/patients/${link.patient_id}`}>{link.card_number ?? t("links.openCard")}</Link>
                </td>
                <td>{link.mis_id}</td>
                <td>{link.ondoc_patient_id}</td>
                <td>{t(`links.${link.status}`)}</td>
                <td>{clinicDateTime(link.attached_at, zone)}</td>
                <td>
                  {link.detached_at ? clinicDateTime(link.detached_at, zone) : "—"}
                  {link.detach_reason && <div className="muted">{link.detach_reason}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
