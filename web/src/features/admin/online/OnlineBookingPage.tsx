// Placeholder: the back-office work replaces it.
export default function OnlineBookingPage() {
  return null;
}
