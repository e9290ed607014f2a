import { useTranslation } from "react-i18next";
import { Navigate, NavLink, Outlet } from "react-router-dom";
import { useUser } from "../../auth/AuthProvider";
import { visibleSections } from "./sections";

/** «Настройки»: the back office's menu on the left, the chosen screen on the right. */
export default function AdminLayout() {
  const { t } = useTranslation();
  const user = useUser();
  const sections = visibleSections(user.can);
  if (sections.length === 0) return <p role="alert">{t("noRights")}</p>;
  return (
    <div className="admin">
      <nav aria-label={t("nav.backOffice")} className="admin-menu">
        <ul>
          {sections.map((section) => (
            <li key={section.path}>
              <NavLink to={`/admin/${section.path}`}>{t(section.labelKey)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="admin-screen">
        <Outlet />
      </div>
    </div>
  );
}

/** /admin opens the first section this user may see. */
export function AdminIndex() {
  const user = useUser();
  const first = visibleSections(user.can)[0];
  return first ? <Navigate to={`/admin/${first.path}`} replace /> : null;
}
