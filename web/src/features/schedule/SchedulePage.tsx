export default function SchedulePage() {
  return <h1>SchedulePage</h1>;
}
