import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useUser } from "../../../auth/AuthProvider";
import { useOrganizations } from "./data";
import { Exams } from "./Exams";
import { Mappings } from "./Mappings";
import { Contracts, NewOrganization } from "./Organizations";
import { Tabs } from "../../../components/Tabs";
import "./profexam.css";

/**
 * «Профосмотр» (PRO-1…8): as in the source, choose the organisation in the list, then its
 * contracts, its exams (with their employees, the Excel import and calculations) or its codes of
 * harmful factors.
 */
export default function ProfexamPage() {
  const { t } = useTranslation("profexam");
  const user = useUser();
  const organizations = useOrganizations();
  const [orgId, setOrgId] = useState<string | null>(null);
  const [tab, setTab] = useState("exams");
  if (!user.can("profexam.read")) return <p role="alert">{t("noRights", { ns: "common" })}</p>;
  const canWrite = user.can("profexam.write");
  const org = organizations.data?.items.find((item) => item.id === orgId);
  return (
    <section className="profexam" aria-labelledby="profexam-title">
      <h1 id="profexam-title">{t("title")}</h1>
      <div className="pe-layout">
        <aside className="panel pe-orgs" aria-labelledby="pe-orgs-title">
          <h2 id="pe-orgs-title">{t("organizations.title")}</h2>
          <ul className="pe-org-list">
            {(organizations.data?.items ?? []).map((item) => (
              <li key={item.id}>
                <button
                  type="button"
                  className={item.id === orgId ? undefined : "secondary"}
                  aria-pressed={item.id === orgId}
                  onClick={() => setOrgId(item.id)}
                >
                  {item.name}
                </button>
              </li>
            ))}
            {organizations.data && organizations.data.items.length === 0 && <li className="muted">{t("organizations.none")}</li>}
          </ul>
          {canWrite && <NewOrganization onCreated={(created) => setOrgId(created.id)} />}
        </aside>
        <div className="pe-main">
          {org ? (
            <>
              <h2>{org.name}</h2>
              <Tabs
                label={org.name}
                selected={tab}
                onSelect={setTab}
                tabs={[
                  { id: "exams", label: t("tabs.exams"), panel: () => <Exams key={org.id} org={org} canWrite={canWrite} /> },
                  { id: "contracts", label: t("tabs.contracts"), panel: () => <Contracts key={org.id} org={org} canWrite={canWrite} /> },
                  {
                    id: "factors",
                    label: t("tabs.factors"),
                    panel: () => <Mappings key={org.id} org={org} canEdit={user.can("profexam.directories")} />,
                  },
                ]}
              />
            </>
          ) : (
            <p className="muted">{t("organizations.choose")}</p>
          )}
        </div>
      </div>
    </section>
  );
}
