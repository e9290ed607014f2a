import { useTranslation } from "react-i18next";
import { Dialog } from "../../components/Dialog";
import { useClinic } from "../../lib/clinic";
import { AppointmentCard, appointmentTitle } from "./AppointmentCard";
import { useAppointment } from "./data";

export interface AppointmentPanelProps {
  appointmentId: string;
  onClose(): void;
}

/** The appointment's card in a dialog over the schedule (or «Корзина»): titled with the patient and time. */
export default function AppointmentPanel({ appointmentId, onClose }: AppointmentPanelProps) {
  const { t } = useTranslation("appointment");
  const { zone } = useClinic();
  const query = useAppointment(appointmentId);
  const title = query.data ? appointmentTitle(query.data.appointment, zone) : t("title");
  return (
    <Dialog title={title} open onClose={onClose} className="wide appointment-dialog">
      <AppointmentCard appointmentId={appointmentId} onGone={onClose} />
    </Dialog>
  );
}
