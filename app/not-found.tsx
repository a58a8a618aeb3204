import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="notice">
      <h1>Not found</h1>
      <p>
        No such page, cluster or node in the running configuration. Start from the <Link href="/">overview</Link>.
      </p>
    </section>
  );
}
