// Placeholder: the back-office work replaces it.
export default function UsersPage() {
  return null;
}
