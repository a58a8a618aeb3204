// The cluster and node choosers most filter bars start with (values in the query string).
export function ScopeFilters({ clusters, nodes, cluster, node }: { clusters: string[]; nodes: string[]; cluster?: string; node?: string }) {
  return (
    <>
      <label>
        Cluster
        <select name="cluster" defaultValue={cluster ?? ''}>
          <option value="">All clusters</option>
          {clusters.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      <label>
        Node
        <select name="node" defaultValue={node ?? ''}>
          <option value="">All nodes</option>
          {nodes.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </label>
    </>
  );
}
