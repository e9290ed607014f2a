import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { useDoctors, useServices } from "../../../api/directories";
import { useUser } from "../../../auth/AuthProvider";
import { Dialog } from "../../../components/Dialog";
import { Field } from "../../../components/Field";
import { useNotice } from "../../../components/Notice";
import { problemText, unwrap } from "../../../lib/problem";
import { ONLINE_KEY, useLinks, type Link } from "./data";
import { LinkDialog } from "./LinkDialog";
import { formatMoney, hundredths } from "./pricing";

/** «Настройка услуг»: which doctor offers which service online, at what price and prepayment. */
export function LinksTab() {
  const { t, i18n } = useTranslation("online");
  const user = useUser();
  const notice = useNotice();
  const queries = useQueryClient();
  const links = useLinks();
  const doctors = useDoctors();
  const services = useServices();
  const [doctorFilter, setDoctorFilter] = useState("");
  const [editing, setEditing] = useState<Link | "new" | null>(null);
  const [deleting, setDeleting] = useState<Link | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const canEdit = user.can("scheduling.directories");
  const doctorName = new Map((doctors.data ?? []).map((d) => [d.id, d.name]));
  const serviceName = new Map((services.data ?? []).map((s) => [s.id, s.name]));
  const shown = (links.data ?? [])
    .filter((link) => !doctorFilter || link.doctor_id === doctorFilter)
    .sort((a, b) =>
      `${doctorName.get(a.doctor_id) ?? ""} ${serviceName.get(a.service_id) ?? ""}`.localeCompare(
        `${doctorName.get(b.doctor_id) ?? ""} ${serviceName.get(b.service_id) ?? ""}`,
        "ru",
      ),
    );
  const money = (value: string | null | undefined) => formatMoney(hundredths(value), i18n.language);

  async function changed() {
    await queries.invalidateQueries({ queryKey: ONLINE_KEY });
  }

  async function remove(link: Link) {
    setDeleteError(null);
    try {
      unwrap(await api.DELETE("/api/scheduling/online/links/{link_id}", { params: { path: { link_id: link.id } } }));
      notice(t("links.deleted"), "ok");
      setDeleting(null);
      await changed();
    } catch (error) {
      setDeleteError(problemText(error));
    }
  }

  return (
    <section aria-labelledby="online-links-title">
      <h2 id="online-links-title">{t("links.title")}</h2>
      <div className="toolbar">
        <Field label={t("links.specialist")}>
          <select value={doctorFilter} onChange={(event) => setDoctorFilter(event.target.value)}>
            <option value="">{t("links.allDoctors")}</option>
            {(doctors.data ?? []).map((doctor) => (
              <option key={doctor.id} value={doctor.id}>
                {doctor.name}
              </option>
            ))}
          </select>
        </Field>
        {canEdit && (
          <button type="button" onClick={() => setEditing("new")}>
            {t("links.add")}
          </button>
        )}
      </div>
      {links.isError ? (
        <p role="alert">{problemText(links.error)}</p>
      ) : !links.data ? (
        <p role="status">{t("loading")}</p>
      ) : shown.length === 0 ? (
        <p className="muted">{t("links.empty")}</p>
      ) : (
        <table className="list">
          <caption className="visually-hidden">{t("links.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("links.doctor")}</th>
              <th scope="col">{t("links.service")}</th>
              <th scope="col">{t("links.mode")}</th>
              <th scope="col">{t("links.price")}</th>
              <th scope="col">{t("links.prepaymentAmount")}</th>
              <th scope="col">{t("links.discountPercent")}</th>
              {canEdit && <th scope="col">{t("actionsColumn")}</th>}
            </tr>
          </thead>
          <tbody>
            {shown.map((link) => {
              const name = `${doctorName.get(link.doctor_id) ?? t("unknown")} — ${serviceName.get(link.service_id) ?? t("unknown")}`;
              return (
                <tr key={link.id}>
                  <td>{doctorName.get(link.doctor_id) ?? t("unknown")}</td>
                  <td>{serviceName.get(link.service_id) ?? t("unknown")}</td>
                  <td>{t(`modes.${link.mode}`)}</td>
                  <td>
                    {money(link.price)}
                    {link.price && !link.show_price && <span className="muted"> ({t("links.hidden")})</span>}
                  </td>
                  <td>{link.prepayment_required ? money(link.prepayment_amount) : "—"}</td>
                  <td>
                    {link.discount_on_prepayment ? `${link.discount_percent ?? 0} %` : "—"}
                    {link.round_to_rubles && <span className="muted"> ({t("links.rounded")})</span>}
                  </td>
                  {canEdit && (
                    <td className="row-actions">
                      <button type="button" className="secondary" aria-label={t("links.editOf", { name })} onClick={() => setEditing(link)}>
                        {t("edit")}
                      </button>
                      <button
                        type="button"
                        className="danger"
                        aria-label={t("links.deleteOf", { name })}
                        onClick={() => {
                          setDeleteError(null);
                          setDeleting(link);
                        }}
                      >
                        {t("delete")}
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {editing && (
        <LinkDialog key={editing === "new" ? "new" : editing.id} link={editing === "new" ? null : editing} onClose={() => setEditing(null)} onSaved={changed} />
      )}
      {deleting && (
        <Dialog title={t("links.deleteTitle")} open onClose={() => setDeleting(null)}>
          <p>
            {t("links.deleteQuestion", {
              doctor: doctorName.get(deleting.doctor_id) ?? t("unknown"),
              service: serviceName.get(deleting.service_id) ?? t("unknown"),
            })}
          </p>
          {deleteError && (
            <p role="alert" className="form-error">
              {deleteError}
            </p>
          )}
          <div className="form-actions">
            <button type="button" className="secondary" onClick={() => setDeleting(null)}>
              {t("cancel")}
            </button>
            <button type="button" className="danger" onClick={() => void remove(deleting)}>
              {t("delete")}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
