import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { useUser } from "../../../auth/AuthProvider";
import { useNotice } from "../../../components/Notice";
import { ApiProblem, unwrap } from "../../../lib/problem";
import { downloadFile } from "../profexam/files";
import { lk, useOrder, type Order } from "./data";
import { LabelPreview } from "./LabelPreview";

const FLAG_CLASS: Record<string, string> = { low: "lab-flag-low", high: "lab-flag-high", critical: "lab-flag-critical", normal: "lab-flag-normal" };

/** One order: its samples and barcodes, labels (ZPL and a printable preview), sending, results with flags. */
export function OrderPanel({ orderId }: { orderId: string }) {
  const { t } = useTranslation("lab");
  const user = useUser();
  const notice = useNotice();
  const queryClient = useQueryClient();
  const loaded = useOrder(orderId);
  const [preview, setPreview] = useState(false);
  if (!loaded.data) return loaded.error ? <p role="alert">{(loaded.error as Error).message}</p> : null;
  const { order, etag } = loaded.data;

  async function act(action: "send" | "cancel") {
    try {
      const path = action === "send" ? "/api/lab/orders/{order_id}/send" : "/api/lab/orders/{order_id}/cancel";
      unwrap(
        await api.POST(path, {
          params: { path: { order_id: order.id }, header: { "If-Match": etag } },
          ...(action === "cancel" ? { body: {} } : {}),
        } as never),
      );
      notice(action === "send" ? t("orders.sent") : t("orders.cancelled"), "ok");
    } catch (error) {
      notice(error instanceof ApiProblem ? error.message : String(error), "error");
    }
    await queryClient.invalidateQueries({ queryKey: lk.order(order.id) });
    await queryClient.invalidateQueries({ queryKey: lk.orders });
  }

  async function labels() {
    try {
      await downloadFile(`/api/lab/orders/${order.id}/labels.zpl`, `labels-${order.number}.zpl`);
    } catch (error) {
      notice(error instanceof ApiProblem ? error.message : String(error), "error");
    }
  }

  const canCreate = user.can("lab.create_order");
  return (
    <section className="panel lab-order" aria-labelledby="lab-order-title">
      <h2 id="lab-order-title">
        {t("orders.title", { number: order.number })}{" "}
        <span className={`badge lab-status-${order.status}`}>{t(`status.${order.status}`)}</span>
      </h2>
      <p>
        {t("orders.patientLine", { name: order.patient.short_name, number: order.patient.card_number })}
        {order.note && <> · {order.note}</>}
      </p>
      <ExchangeLine order={order} />
      <div className="toolbar" role="toolbar" aria-label={t("orders.actions")}>
        {canCreate && order.status === "created" && (
          <button type="button" onClick={() => void act("send")}>
            {t("orders.send")}
          </button>
        )}
        <button type="button" className="secondary" onClick={() => void labels()}>
          {t("labels.download")}
        </button>
        <button type="button" className="secondary" aria-expanded={preview} onClick={() => setPreview(!preview)}>
          {t("labels.preview")}
        </button>
        {canCreate && ["created", "sent", "in_progress"].includes(order.status) && (
          <button type="button" className="danger" onClick={() => void act("cancel")}>
            {t("orders.cancel")}
          </button>
        )}
      </div>
      {preview && <LabelPreview order={order} />}
      <table className="list">
        <caption>{t("samples.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("samples.barcode")}</th>
            <th scope="col">{t("samples.container")}</th>
            <th scope="col">{t("samples.sample")}</th>
            <th scope="col">{t("samples.tests")}</th>
          </tr>
        </thead>
        <tbody>
          {order.samples.map((sample) => (
            <tr key={sample.id}>
              <td className="lab-barcode">{sample.barcode}</td>
              <td>{sample.container_name}</td>
              <td>{sample.sample_type ?? ""}</td>
              <td>{order.tests.filter((test) => test.sample_id === sample.id).map((test) => test.code).join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="list">
        <caption>{t("results.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("results.test")}</th>
            <th scope="col">{t("results.value")}</th>
            <th scope="col">{t("results.units")}</th>
            <th scope="col">{t("results.reference")}</th>
            <th scope="col">{t("results.flag")}</th>
          </tr>
        </thead>
        <tbody>
          {order.tests.map((test) => (
            <tr key={test.test_id}>
              <td>
                {test.code} — {test.name}
              </td>
              <td>{test.result?.value ?? <span className="muted">{t("results.waiting")}</span>}</td>
              <td>{test.result?.units ?? test.units ?? ""}</td>
              <td>{reference(test.result?.reference_low ?? test.reference_low, test.result?.reference_high ?? test.reference_high)}</td>
              <td>
                {test.result?.flag && (
                  <span className={`badge ${FLAG_CLASS[test.result.flag] ?? ""}`}>{t(`flags.${test.result.flag}`)}</span>
                )}
                {test.result?.corrected && <span className="muted"> {t("results.corrected")}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function reference(low: number | null, high: number | null): string {
  if (low == null && high == null) return "";
  return `${low ?? ""} – ${high ?? ""}`;
}

/** Where the exchange with the lab stands (LAB-8): the person sees the queue, the error, the cancellation. */
function ExchangeLine({ order }: { order: Order }) {
  const { t } = useTranslation("lab");
  const exchange = order.exchange;
  if (!exchange) return null;
  return (
    <p className="muted" role="status">
      {t(`exchange.${exchange.state}`)}
      {exchange.last_error && <> · {exchange.last_error_text ?? exchange.last_error}</>}
      {exchange.cancel && <> · {exchange.cancel.message}</>}
    </p>
  );
}
