// The runs of a page's kind, newest first, each linking to its results; and the page's notice when
// diagnostics cannot show anything.
export interface HistoryRow {
  id: number;
  href: string;
  kind: string;
  startedAt: string;
  actor: string;
  origin: string;
  statusLabel: string;
  result: string;
}

export function History({ rows, current, showKind = false }: { rows: HistoryRow[]; current?: number; showKind?: boolean }) {
  return (
    <section>
      <h2>History</h2>
      {rows.length === 0 ? (
        <p className="hint">No runs recorded.</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="history">
            <thead>
              <tr>
                <th scope="col">Run</th>
                {showKind && <th scope="col">Kind</th>}
                <th scope="col">Started</th>
                <th scope="col">By</th>
                <th scope="col">Status</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((h) => (
                <tr key={h.id} aria-current={h.id === current ? 'true' : undefined}>
                  <td>
                    <a href={h.href}>#{h.id}</a>
                  </td>
                  {showKind && <td>{h.kind}</td>}
                  <td>{h.startedAt}</td>
                  <td>
                    {h.actor} ({h.origin})
                  </td>
                  <td>{h.statusLabel}</td>
                  <td>{h.result}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function Notice({ title, message }: { title: string; message: string }) {
  return (
    <section className="notice">
      <h1>{title}</h1>
      <p>{message}</p>
    </section>
  );
}
