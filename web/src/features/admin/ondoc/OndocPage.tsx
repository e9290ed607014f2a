// Placeholder: the back-office work replaces it.
export default function OndocPage() {
  return null;
}
