import { lazy } from "react";
import { useTranslation } from "react-i18next";
import { BrowserRouter, Navigate, Route, Routes } from "react-router-dom";
import { useAuth } from "./auth/AuthProvider";
import { LoginPage } from "./auth/LoginPage";
import { NoticeProvider } from "./components/Notice";
import { RequireRight, Shell } from "./layout/Shell";
import { ClinicProvider } from "./lib/clinic";
import { LiveProvider } from "./live/LiveProvider";

// Each screen is its own chunk: the first screen loads only what it shows.
const SchedulePage = lazy(() => import("./features/schedule/SchedulePage"));
const AppointmentPage = lazy(() => import("./features/appointment/AppointmentPage"));
const TrashPage = lazy(() => import("./features/trash/TrashPage"));
const PatientsPage = lazy(() => import("./features/patients/PatientsPage"));
const CardPage = lazy(() => import("./features/patients/CardPage"));
const AppointmentSearchPage = lazy(() => import("./features/search/AppointmentSearchPage"));
const FreeTimePage = lazy(() => import("./features/search/FreeTimePage"));

export function App() {
  const { t } = useTranslation();
  const { user } = useAuth();
  if (user === undefined) {
    return (
      <p role="status" className="page-status">
        {t("loading")}
      </p>
    );
  }
  if (user === null) return <LoginPage />;
  return (
    <ClinicProvider>
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
              <Route path="*" element={<p role="alert">{t("notFound")}</p>} />
            </Route>
          </Routes>
        </BrowserRouter>
        </NoticeProvider>
      </LiveProvider>
    </ClinicProvider>
  );
}
