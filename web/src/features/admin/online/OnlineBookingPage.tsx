import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { useUser } from "../../../auth/AuthProvider";
import { ApiKeysTab } from "./ApiKeysTab";
import { DiscountTab } from "./DiscountTab";
import { LinksTab } from "./LinksTab";
import { Tabs, type Tab } from "../../../components/Tabs";
import "./online.css";

/**
 * «Онлайн-запись» (SCH-13): the doctor↔service links («Настройка услуг»), the general discount
 * with a preview of the new prices, and the website widget's API keys. The chosen tab is in the
 * address (?tab=), so a reload stays on it.
 */
export default function OnlineBookingPage() {
  const { t } = useTranslation("online");
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const tabs: Tab[] = [
    ...(user.can("scheduling.read") ? [{ id: "links", label: t("tabs.links"), panel: () => <LinksTab /> }] : []),
    ...(user.can("scheduling.settings")
      ? [
          { id: "discount", label: t("tabs.discount"), panel: () => <DiscountTab /> },
          { id: "keys", label: t("tabs.keys"), panel: () => <ApiKeysTab /> },
        ]
      : []),
  ];
  if (tabs.length === 0) return <p role="alert">{t("noRights", { ns: "common" })}</p>;
  return (
    <section className="online-booking" aria-labelledby="online-booking-title">
      <h1 id="online-booking-title">{t("title")}</h1>
      <Tabs
        label={t("title")}
        tabs={tabs}
        selected={params.get("tab") ?? tabs[0].id}
        onSelect={(id) => setParams({ tab: id }, { replace: true })}
      />
    </section>
  );
}
