// Placeholder: the back-office work replaces it.
export default function WorkSchedulesPage() {
  return null;
}
