// Shown while a page's first render streams in (navigation), never during live refresh.
export default function Loading() {
  return (
    <div className="loading" role="status" aria-live="polite">
      <p>Loading…</p>
    </div>
  );
}
