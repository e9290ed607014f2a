// Placeholder: the back-office work replaces it.
export default function DirectoriesPage() {
  return null;
}
