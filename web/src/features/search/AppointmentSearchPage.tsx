export default function AppointmentSearchPage() {
  return <h1>AppointmentSearchPage</h1>;
}
