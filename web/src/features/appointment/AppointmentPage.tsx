import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { useClinic } from "../../lib/clinic";
import { AppointmentCard, appointmentTitle } from "./AppointmentCard";
import { useAppointment } from "./data";

/** /appointments/:appointmentId — the appointment's card as a page (a link to send, a search result to open). */
export default function AppointmentPage() {
  const { t } = useTranslation("appointment");
  const { zone } = useClinic();
  const { appointmentId = "" } = useParams();
  const query = useAppointment(appointmentId);
  return (
    <section className="panel appointment-page">
      <p>
        <Link to="/schedule">{t("backToSchedule")}</Link>
      </p>
      <h1>{query.data ? appointmentTitle(query.data.appointment, zone) : t("title")}</h1>
      <AppointmentCard appointmentId={appointmentId} />
    </section>
  );
}
