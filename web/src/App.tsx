import { useQueryClient } from "@tanstack/react-query";
import { lazy, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { BrowserRouter, Navigate, Route, Routes } from "react-router-dom";
import { useAuth } from "./auth/AuthProvider";
import { LoginPage } from "./auth/LoginPage";
import { NoticeProvider } from "./components/Notice";
import { RequireRight, Shell } from "./layout/Shell";
import { prefetchSchedule } from "./features/schedule/scheduleQuery";
import { SCHEDULE_PATH } from "./boot";
import { ClinicProvider } from "./lib/clinic";
import { screen } from "./lib/screen";
import { LiveProvider } from "./live/LiveProvider";

// Each screen is its own chunk: the first screen loads only what it shows.
const SchedulePage = screen(() => import("./features/schedule/SchedulePage"));
const AppointmentPage = lazy(() => import("./features/appointment/AppointmentPage"));
const TrashPage = lazy(() => import("./features/trash/TrashPage"));
const PatientsPage = lazy(() => import("./features/patients/PatientsPage"));
const CardPage = lazy(() => import("./features/patients/CardPage"));
const AppointmentSearchPage = lazy(() => import("./features/search/AppointmentSearchPage"));
const FreeTimePage = lazy(() => import("./features/search/FreeTimePage"));
const AdminLayout = lazy(() => import("./features/admin/AdminLayout"));
const AdminIndex = lazy(() => import("./features/admin/AdminLayout").then((m) => ({ default: m.AdminIndex })));
const DirectoriesPage = lazy(() => import("./features/admin/directories/DirectoriesPage"));
const WorkSchedulesPage = lazy(() => import("./features/admin/schedules/WorkSchedulesPage"));
const OnlineBookingPage = lazy(() => import("./features/admin/online/OnlineBookingPage"));
const MailingsPage = lazy(() => import("./features/admin/mailings/MailingsPage"));
const OndocPage = lazy(() => import("./features/admin/ondoc/OndocPage"));
const ProfexamPage = lazy(() => import("./features/admin/profexam/ProfexamPage"));
const LabPage = lazy(() => import("./features/admin/lab/LabPage"));
const UsersPage = lazy(() => import("./features/admin/users/UsersPage"));

/** The code of the screen at `pathname`, asked for while the session is restored (see lib/screen.tsx). */
export function preloadFirstScreen(pathname: string): void {
  if (SCHEDULE_PATH.test(pathname)) void SchedulePage.preload().catch(() => undefined); // the route retries
}

export function App() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const queries = useQueryClient();
  const signedIn = Boolean(user);
  useEffect(() => {
    if (signedIn) prefetchSchedule(queries, null, window.location); // a day in the address needs no zone
  }, [signedIn, queries]);
  if (user === undefined) {
    return (
      <p role="status" className="page-status">
        {t("loading")}
      </p>
    );
  }
  if (user === null) return <LoginPage />;
  return (
    <ClinicProvider onZone={(zone) => prefetchSchedule(queries, zone, window.location)}>
      <LiveProvider>
        <NoticeProvider>
        <BrowserRouter>
          <Routes>
            <Route element={<Shell />}>
              <Route index element={<Navigate to="/schedule" replace />} />
              <Route path="login" element={<Navigate to="/schedule" replace />} />
              <Route path="schedule" element={<RequireRight right="scheduling.read"><SchedulePage /></RequireRight>} />
              <Route path="appointments/:appointmentId" element={<RequireRight right="scheduling.read"><AppointmentPage /></RequireRight>} />
              <Route path="trash" element={<RequireRight right="scheduling.read"><TrashPage /></RequireRight>} />
              <Route path="patients" element={<RequireRight right="patients.read"><PatientsPage /></RequireRight>} />
              <Route path="patients/:cardId" element={<RequireRight right="patients.read"><CardPage /></RequireRight>} />
              <Route path="search" element={<RequireRight right="scheduling.read"><AppointmentSearchPage /></RequireRight>} />
              <Route path="free-time" element={<RequireRight right="scheduling.read"><FreeTimePage /></RequireRight>} />
              <Route path="admin" element={<AdminLayout />}>
                <Route index element={<AdminIndex />} />
                <Route path="directories/*" element={<RequireRight right="scheduling.directories"><DirectoriesPage /></RequireRight>} />
                <Route path="schedules" element={<RequireRight right="scheduling.schedules"><WorkSchedulesPage /></RequireRight>} />
                <Route path="online" element={<OnlineBookingPage />} />
                <Route path="mailings/*" element={<MailingsPage />} />
                <Route path="ondoc/*" element={<OndocPage />} />
                <Route path="profexam/*" element={<RequireRight right="profexam.read"><ProfexamPage /></RequireRight>} />
                <Route path="lab/*" element={<LabPage />} />
                <Route path="users/*" element={<UsersPage />} />
              </Route>
              <Route path="*" element={<p role="alert">{t("notFound")}</p>} />
            </Route>
          </Routes>
        </BrowserRouter>
        </NoticeProvider>
      </LiveProvider>
    </ClinicProvider>
  );
}
