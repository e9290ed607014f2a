// Placeholder: the back-office work replaces it.
export default function ProfexamPage() {
  return null;
}
