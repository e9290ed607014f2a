export default function CardPage() {
  return <h1>CardPage</h1>;
}
