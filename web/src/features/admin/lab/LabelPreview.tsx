import { useTranslation } from "react-i18next";
import type { Order } from "./data";

/**
 * A printable preview of the order's tube labels: what the ZPL prints (patient, order, tube, barcode
 * number), as HTML, so a workstation without a Zebra printer can still print and check them.
 */
export function LabelPreview({ order }: { order: Order }) {
  const { t } = useTranslation("lab");
  return (
    <section aria-labelledby="lab-labels-title" className="lab-labels">
      <h3 id="lab-labels-title">{t("labels.title")}</h3>
      <ul className="lab-label-list">
        {order.samples.map((sample) => (
          <li key={sample.id} className="lab-label" aria-label={t("labels.one", { barcode: sample.barcode })}>
            <strong>{order.patient.short_name}</strong>
            <span>
              {t("labels.order", { number: order.number })} · {sample.container_name}
            </span>
            <span className="lab-barcode">{sample.barcode}</span>
          </li>
        ))}
      </ul>
      <button type="button" className="secondary" onClick={() => window.print()}>
        {t("labels.print")}
      </button>
    </section>
  );
}
