import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { useUser } from "../../../auth/AuthProvider";
import { Tabs, type Tab } from "../../../components/Tabs";
import { LabsTab } from "./LabsTab";
import { LinksTab } from "./LinksTab";
import { OrdersTab } from "./OrdersTab";
import { SettingsTab } from "./SettingsTab";
import "../profexam/profexam.css";
import "./lab.css";

/**
 * «Лаборатория» (LAB-1…9): orders with their samples, labels and results (the lab doctor's
 * worklist), the labs and their catalogues, test↔service links, the settings. The tab is in the address.
 */
export default function LabPage() {
  const { t } = useTranslation("lab");
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const tabs: Tab[] = [
    ...(user.can("lab.read")
      ? [
          { id: "orders", label: t("tabs.orders"), panel: () => <OrdersTab /> },
          { id: "labs", label: t("tabs.labs"), panel: () => <LabsTab /> },
          { id: "links", label: t("tabs.links"), panel: () => <LinksTab /> },
          { id: "settings", label: t("tabs.settings"), panel: () => <SettingsTab /> },
        ]
      : user.can("lab.settings")
        ? [{ id: "settings", label: t("tabs.settings"), panel: () => <SettingsTab /> }]
        : []),
  ];
  if (tabs.length === 0) return <p role="alert">{t("noRights", { ns: "common" })}</p>;
  return (
    <section className="lab-page" aria-labelledby="lab-title">
      <h1 id="lab-title">{t("title")}</h1>
      <Tabs label={t("title")} tabs={tabs} selected={params.get("tab") ?? tabs[0].id} onSelect={(id) => setParams({ tab: id }, { replace: true })} />
    </section>
  );
}
