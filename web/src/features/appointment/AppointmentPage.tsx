// Placeholder; the appointment-actions work replaces it.
export default function AppointmentPage() {
  return null;
}
