import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { useUser } from "../../../auth/AuthProvider";
import { useSettings } from "./data";
import { FakeBoxTab } from "./FakeBoxTab";
import { MessagesTab } from "./MessagesTab";
import { SchedulesTab } from "./SchedulesTab";
import { SettingsTab } from "./SettingsTab";
import { Tabs, type Tab } from "../../../components/Tabs";
import "./mailings.css";

/**
 * «Рассылки» (NOT-1..8): the providers (Служба → Настройки службы: «СМС», «Email-рассылка»), the
 * mailing schedules with their templates («График рассылки»), the delivery log and, when the
 * platform runs its in-process fakes, what they "sent". The chosen tab is in the address (?tab=).
 */
export default function MailingsPage() {
  const { t } = useTranslation("mailings");
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const reader = user.can("notifier.read");
  const settings = useSettings();
  // The fake boxes exist only in embedded mode, where the fake providers are chosen.
  const fakes =
    reader && settings.data && (settings.data.settings.sms_provider === "fake" || settings.data.settings.email_provider === "fake");
  const tabs: Tab[] = [
    ...(reader ? [{ id: "schedules", label: t("tabs.schedules"), panel: () => <SchedulesTab /> }] : []),
    ...(reader ? [{ id: "messages", label: t("tabs.messages"), panel: () => <MessagesTab /> }] : []),
    ...(reader ? [{ id: "settings", label: t("tabs.settings"), panel: () => <SettingsTab /> }] : []),
    ...(fakes ? [{ id: "fake", label: t("tabs.fake"), panel: () => <FakeBoxTab /> }] : []),
  ];
  if (tabs.length === 0) return <p role="alert">{t("noRights", { ns: "common" })}</p>;
  return (
    <section className="mailings" aria-labelledby="mailings-title">
      <h1 id="mailings-title">{t("title")}</h1>
      <Tabs
        label={t("title")}
        tabs={tabs}
        selected={params.get("tab") ?? tabs[0].id}
        onSelect={(id) => setParams({ tab: id }, { replace: true })}
      />
    </section>
  );
}
