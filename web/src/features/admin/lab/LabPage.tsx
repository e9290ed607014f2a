// Placeholder: the back-office work replaces it.
export default function LabPage() {
  return null;
}
