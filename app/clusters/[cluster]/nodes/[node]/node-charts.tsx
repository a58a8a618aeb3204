'use client';
// The node page's charts (recharts): one line chart per series over the selected range, fixed
// height (no layout shift when live refresh brings new points), no animation (no flicker).
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartData } from '../../../../../collectors/views/charts';
import { formatTick, formatTime, formatValue } from '../../../../../collectors/views/format';
import styles from './node.module.css';

const COLORS = ['#0b5cad', '#c2410c', '#15803d', '#7c3aed', '#b91c1c', '#0e7490', '#a16207', '#be185d', '#4d7c0f', '#1d4ed8', '#9f1239', '#525252'];

export function NodeCharts({ charts }: { charts: ChartData[] }) {
  return (
    <div className={styles.charts}>
      {charts.map((c) => (
        <SeriesChart key={c.id} chart={c} />
      ))}
    </div>
  );
}

function SeriesChart({ chart: c }: { chart: ChartData }) {
  const span = c.to - c.from;
  const caption = c.lines.map((l) => `${c.lines.length > 1 ? `${l.label}: ` : ''}${formatValue(l.last, c.unit)}`).join(' · ');
  return (
    <figure className={styles.chart} data-series={c.id} data-points={c.rows.filter((r) => c.lines.some((l) => r[l.key] !== null)).length}>
      <figcaption className={styles.caption}>
        <span className={styles.title}>{c.title}</span>
        <span className={styles.latest} title="Latest value in the range">
          {caption}
        </span>
      </figcaption>
      <div className={styles.plot} role="img" aria-label={`${c.title}: ${c.lines.map((l) => `${l.label} latest ${formatValue(l.last, c.unit)}, lowest ${formatValue(l.min, c.unit)}, highest ${formatValue(l.max, c.unit)}`).join('; ')}`}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={c.rows} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#e6e9ee" vertical={false} />
            <XAxis dataKey="t" type="number" scale="time" domain={[c.from, c.to]} tickFormatter={(t: number) => formatTick(t, span)} minTickGap={40} fontSize={11} />
            <YAxis width={68} fontSize={11} tickFormatter={(v: number) => formatValue(v, c.unit)} domain={c.unit === 'ratio' ? [0, (max: number) => Math.max(1, max)] : ['auto', 'auto']} />
            <Tooltip labelFormatter={(t) => formatTime(Number(t))} formatter={(v) => formatValue(typeof v === 'number' ? v : Number(v), c.unit)} isAnimationActive={false} />
            {c.lines.length > 1 && <Legend wrapperStyle={{ fontSize: 11 }} />}
            {c.lines.map((l, i) => (
              <Line key={l.key} dataKey={l.key} name={l.label} stroke={COLORS[i % COLORS.length]} strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} type="linear" />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
