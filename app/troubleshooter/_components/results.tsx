// Results of a run, section by section like Cisco's System Troubleshooter page: the result mark,
// the test description, the Problem and the Solution (with its fix links), and the affected items
// expandable under each check.
import { Fragment } from 'react';
import type { ItemView, ResultView } from '../../../diagnostics/models/troubleshooter';
import styles from './diagnostics.module.css';
import { StatusMark } from './status-mark';

export function ItemsTable({ items, testId }: { items: ItemView[]; testId?: string }) {
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">Result</th>
            <th scope="col">Cluster / node</th>
            <th scope="col">Item</th>
            <th scope="col">Detail</th>
            <th scope="col">Fix</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i, k) => (
            <tr key={k} data-item={i.label} data-where={i.where}>
              <td>
                <StatusMark status={i.status} label={i.statusLabel} />
              </td>
              <td>{i.where}</td>
              <td>
                {i.label}
                {i.group && i.group !== i.label && <div className={styles.summaryLine}>{i.group}</div>}
              </td>
              <td>
                {i.detail}
                {i.ldap && <div className={styles.ldap}>LDAP entry {i.ldap}</div>}
              </td>
              <td>{i.fix && <a href={i.fix}>fix</a>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ResultsTable({ results }: { results: ResultView[] }) {
  return (
    <div className="table-wrap">
      <table className={styles.results}>
        <thead>
          <tr>
            <th scope="col">Result</th>
            <th scope="col">Test</th>
            <th scope="col">Problem</th>
            <th scope="col">Solution</th>
          </tr>
        </thead>
        <tbody>
          {results.map((r) => (
            <Fragment key={r.checkId}>
              <tr data-check={r.checkId} data-status={r.status}>
                <td>
                  <StatusMark status={r.status} label={r.statusLabel} />
                </td>
                <td className={styles.test}>
                  <span className={styles.checkId}>{r.checkId}</span>
                  {r.title}
                  <div className={styles.summaryLine}>{r.summary}</div>
                  {r.skippedWhy && <div className={styles.summaryLine}>{r.skippedWhy}</div>}
                </td>
                <td className={styles.problem}>{r.problem}</td>
                <td className={styles.solution}>
                  {r.solution}
                  {r.fix.map((f) => (
                    <a className={styles.fix} key={f.url} href={f.url}>
                      {f.label}
                    </a>
                  ))}
                </td>
              </tr>
              {r.itemCount > 0 && (
                <tr data-items-for={r.checkId} className={styles.itemsRow}>
                  <td />
                  <td colSpan={3}>
                    <details className={styles.items}>
                      <summary>
                        {r.itemCount.toLocaleString('en-US')} affected item{r.itemCount === 1 ? '' : 's'}
                      </summary>
                      <ItemsTable items={r.items} testId={`items-${r.checkId}`} />
                      {r.allItemsHref && (
                        <a href={r.allItemsHref}>
                          All {r.itemCount.toLocaleString('en-US')} affected items
                        </a>
                      )}
                    </details>
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
