import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { useUser } from "../../../auth/AuthProvider";
import { Tabs, type Tab } from "../../../components/Tabs";
import { LinksTab } from "./LinksTab";
import { MappingsTab } from "./MappingsTab";
import { QueueTab } from "./QueueTab";
import { SettingsTab } from "./SettingsTab";
import { SyncTab } from "./SyncTab";
import "../mailings/mailings.css";

/**
 * «ONDOC» (OND-1..8): the integration's settings (Сервер, Access tokens, Часовой пояс), attached
 * patients, directory mappings, «Синхронизировать сейчас» and the outbound queue with «Повторить».
 */
export default function OndocPage() {
  const { t } = useTranslation("ondoc");
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const reader = user.can("ondoc.read");
  const tabs: Tab[] = [
    ...(reader || user.can("ondoc.settings") ? [{ id: "settings", label: t("tabs.settings"), panel: () => <SettingsTab /> }] : []),
    ...(reader
      ? [
          { id: "links", label: t("tabs.links"), panel: () => <LinksTab /> },
          { id: "mappings", label: t("tabs.mappings"), panel: () => <MappingsTab /> },
          { id: "sync", label: t("tabs.sync"), panel: () => <SyncTab /> },
          { id: "queue", label: t("tabs.queue"), panel: () => <QueueTab /> },
        ]
      : []),
  ];
  if (tabs.length === 0) return <p role="alert">{t("noRights", { ns: "common" })}</p>;
  return (
    <section className="ondoc" aria-labelledby="ondoc-title">
      <h1 id="ondoc-title">{t("title")}</h1>
      <Tabs
        label={t("title")}
        tabs={tabs}
        selected={params.get("tab") ?? tabs[0].id}
        onSelect={(id) => setParams({ tab: id }, { replace: true })}
      />
    </section>
  );
}
