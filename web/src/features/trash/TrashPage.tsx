export default function TrashPage() {
  return <h1>TrashPage</h1>;
}
