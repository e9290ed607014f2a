export default function FreeTimePage() {
  return <h1>FreeTimePage</h1>;
}
