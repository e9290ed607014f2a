// Placeholder: the back-office work replaces it.
export default function MailingsPage() {
  return null;
}
