import { Suspense, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, Outlet } from "react-router-dom";
import { useUser } from "../auth/AuthProvider";
import { logout } from "../auth/session";
import { useClinic } from "../lib/clinic";
import { formatOffset, offsetMinutes } from "../lib/time";
import { useLiveState } from "../live/LiveProvider";
import { visibleSections } from "../features/admin/sections";
import { LanguageSwitch } from "./LanguageSwitch";

interface Section {
  to: string;
  label: string;
  right: string;
}

/** The signed-in frame: the sections this user may open, the live state, the user and «Выйти». */
export function Shell() {
  const { t } = useTranslation();
  const user = useUser();
  const clinic = useClinic();
  const live = useLiveState();
  const sections: Section[] = [
    { to: "/schedule", label: t("nav.schedule"), right: "scheduling.read" },
    { to: "/patients", label: t("nav.patients"), right: "patients.read" },
    { to: "/search", label: t("nav.search"), right: "scheduling.read" },
    { to: "/free-time", label: t("nav.freeTime"), right: "scheduling.read" },
    { to: "/trash", label: t("nav.trash"), right: "scheduling.read" },
  ];
  const backOffice = visibleSections(user.can).length > 0;
  const offset = formatOffset(offsetMinutes(new Date(), clinic.zone));
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">{t("appName")}</span>
        <nav aria-label={t("nav.label")}>
          <ul>
            {sections
              .filter((section) => user.can(section.right))
              .map((section) => (
                <li key={section.to}>
                  <NavLink to={section.to}>{section.label}</NavLink>
                </li>
              ))}
            {backOffice && (
              <li>
                <NavLink to="/admin">{t("nav.backOffice")}</NavLink>
              </li>
            )}
          </ul>
        </nav>
        <span className={`live live-${live}`} role="status" aria-live="polite">
          {t(`live.${live}`)}
        </span>
        <span className="clinic-zone" title={t("clinicZone", { zone: clinic.zone, offset })}>
          UTC{offset}
        </span>
        <LanguageSwitch />
        <span className="user">{user.username}</span>
        <button type="button" onClick={() => void logout()}>
          {t("logout")}
        </button>
      </header>
      <main className="content">
        <Suspense fallback={<p role="status">{t("loading")}</p>}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}

/** A section the user may not open shows why instead of failing calls. */
export function RequireRight({ right, children }: { right: string; children: ReactNode }) {
  const { t } = useTranslation();
  const user = useUser();
  return user.can(right) ? <>{children}</> : <p role="alert">{t("noRights")}</p>;
}
