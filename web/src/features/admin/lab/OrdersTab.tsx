import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useUser } from "../../../auth/AuthProvider";
import { Field } from "../../../components/Field";
import { useClinic } from "../../../lib/clinic";
import { clinicDateTime } from "../../../lib/time";
import { ORDER_STATUSES, useLabs, useOrders } from "./data";
import { NewOrderDialog } from "./NewOrderDialog";
import { OrderPanel } from "./OrderPanel";

/**
 * Orders («Заказы») and the lab doctor's worklist: the API itself limits a lab doctor to their lab,
 * so the same list is their worklist; a status filter narrows it to what is waiting.
 */
export function OrdersTab() {
  const { t } = useTranslation("lab");
  const user = useUser();
  const clinic = useClinic();
  const labs = useLabs();
  const [filter, setFilter] = useState({ status: "", lab_id: "" });
  const orders = useOrders(filter);
  const [chosen, setChosen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const labName = (id: string) => labs.data?.items.find((lab) => lab.id === id)?.name ?? "";
  return (
    <div>
      <div className="toolbar">
        {user.can("lab.create_order") && (
          <button type="button" onClick={() => setCreating(true)}>
            {t("orders.new")}
          </button>
        )}
        <Field label={t("orders.status")}>
          <select value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value })}>
            <option value="">{t("orders.allStatuses")}</option>
            {ORDER_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`status.${status}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("orders.lab")}>
          <select value={filter.lab_id} onChange={(e) => setFilter({ ...filter, lab_id: e.target.value })}>
            <option value="">{t("orders.allLabs")}</option>
            {(labs.data?.items ?? []).map((lab) => (
              <option key={lab.id} value={lab.id}>
                {lab.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <table className="list">
        <caption>{t("orders.worklist")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("orders.number")}</th>
            <th scope="col">{t("orders.created")}</th>
            <th scope="col">{t("orders.patient")}</th>
            <th scope="col">{t("orders.lab")}</th>
            <th scope="col">{t("orders.status")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("orders.open")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(orders.data?.items ?? []).map((order) => (
            <tr key={order.id} aria-selected={order.id === chosen}>
              <td>{order.number}</td>
              <td>{clinicDateTime(order.created_at, clinic.zone)}</td>
              <td>{order.patient_short_name}</td>
              <td>{labName(order.lab_id)}</td>
              <td>
                <span className={`badge lab-status-${order.status}`}>{t(`status.${order.status}`)}</span>
              </td>
              <td>
                <button type="button" className="secondary" onClick={() => setChosen(order.id)}>
                  {t("orders.openNumber", { number: order.number })}
                </button>
              </td>
            </tr>
          ))}
          {orders.data && orders.data.items.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                {t("orders.none")}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {chosen && <OrderPanel key={chosen} orderId={chosen} />}
      {creating && (
        <NewOrderDialog
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            setChosen(id);
          }}
        />
      )}
    </div>
  );
}
