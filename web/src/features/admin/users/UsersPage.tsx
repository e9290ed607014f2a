import { useTranslation } from "react-i18next";
import { Navigate, NavLink, Route, Routes } from "react-router-dom";
import { useUser } from "../../../auth/AuthProvider";
import { AuditTab } from "./AuditTab";
import { RolesTab } from "./RolesTab";
import { UsersTab } from "./UsersTab";
import "./users.css";

/** The tabs and the right each needs: users and roles are managed with gateway.users, the log read with gateway.audit. */
const TABS = [
  { path: "list", labelKey: "tabs.users", right: "gateway.users", element: <UsersTab /> },
  { path: "roles", labelKey: "tabs.roles", right: "gateway.users", element: <RolesTab /> },
  { path: "audit", labelKey: "tabs.audit", right: "gateway.audit", element: <AuditTab /> },
];

/**
 * «Пользователи и права» (GW-2, GW-3; the source's «Пользователи и пароли»): users, roles and the
 * audit log, each at its own address (/admin/users/list, /roles, /audit).
 */
export default function UsersPage() {
  const { t } = useTranslation("users");
  const { t: common } = useTranslation();
  const user = useUser();
  const tabs = TABS.filter((tab) => user.can(tab.right));
  if (tabs.length === 0) return <p role="alert">{common("noRights")}</p>;
  return (
    <div className="users-page">
      <h1>{t("title")}</h1>
      <nav aria-label={t("tabs.label")} className="users-tabs">
        <ul>
          {tabs.map((tab) => (
            <li key={tab.path}>
              <NavLink to={`/admin/users/${tab.path}`}>{t(tab.labelKey)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<Navigate to={tabs[0]!.path} replace />} />
        {tabs.map((tab) => (
          <Route key={tab.path} path={tab.path} element={tab.element} />
        ))}
        <Route path="*" element={<p role="alert">{common("noRights")}</p>} />
      </Routes>
    </div>
  );
}
