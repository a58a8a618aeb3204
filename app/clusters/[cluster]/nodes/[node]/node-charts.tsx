'use client';
// The node page's charts (recharts): one line chart per series over the selected range, in the
// sections of the series definitions; fixed height (no layout shift when live refresh brings new
// points), no animation (no flicker). State series (Replicate_State…) draw as steps with Cisco's
// meaning of each value.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartData } from '../../../../../collectors/views/charts';
import { formatState, formatTick, formatTime, formatValue } from '../../../../../collectors/views/format';
import styles from './node.module.css';

const COLORS = ['#0b5cad', '#c2410c', '#15803d', '#7c3aed', '#b91c1c', '#0e7490', '#a16207', '#be185d', '#4d7c0f', '#1d4ed8', '#9f1239', '#525252'];

export function NodeCharts({ sections, titles }: { sections: { group: string; charts: ChartData[] }[]; titles: Record<string, string> }) {
  return (
    <>
      {sections.map((s) => (
        <div key={s.group} className={styles.section} data-group={s.group}>
          {s.group && <h3>{titles[s.group] ?? s.group}</h3>}
          <div className={styles.charts}>
            {s.charts.map((c) => (
              <SeriesChart key={c.id} chart={c} />
            ))}
          </div>
        </div>
      ))}
    </>
  );
}

function SeriesChart({ chart: c }: { chart: ChartData }) {
  const span = c.to - c.from;
  const fmt = (v: number | null) => (c.unit === 'state' ? formatState(v, c.states) : formatValue(v, c.unit));
  const caption = c.lines.map((l) => `${c.lines.length > 1 ? `${l.label}: ` : ''}${fmt(l.last)}`).join(' · ');
  const stateMax = c.states ? Math.max(...Object.keys(c.states).map(Number)) : undefined;
  return (
    <figure className={styles.chart} data-series={c.id} data-points={c.rows.filter((r) => c.lines.some((l) => r[l.key] !== null)).length}>
      <figcaption className={styles.caption} title={c.description}>
        <span className={styles.title}>{c.title}</span>
        <span className={styles.latest} title={`Latest: ${caption}`}>
          {caption}
        </span>
      </figcaption>
      <div className={styles.plot} role="img" aria-label={`${c.title}: ${c.lines.map((l) => `${l.label} latest ${fmt(l.last)}, lowest ${fmt(l.min)}, highest ${fmt(l.max)}`).join('; ')}`}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={c.rows} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#e6e9ee" vertical={false} />
            <XAxis dataKey="t" type="number" scale="time" domain={[c.from, c.to]} tickFormatter={(t: number) => formatTick(t, span)} minTickGap={40} fontSize={11} />
            <YAxis
              width={74}
              fontSize={11}
              allowDecimals={c.unit !== 'state'}
              tickFormatter={(v: number) => (c.unit === 'state' ? String(v) : formatValue(v, c.unit))}
              domain={c.unit === 'state' ? [0, stateMax ?? 'auto'] : c.unit === 'ratio' ? [0, (max: number) => Math.max(1, max)] : [0, 'auto']}
            />
            <Tooltip labelFormatter={(t) => formatTime(Number(t))} formatter={(v) => fmt(typeof v === 'number' ? v : Number(v))} isAnimationActive={false} />
            {c.lines.length > 1 && <Legend wrapperStyle={{ fontSize: 11 }} />}
            {c.lines.map((l, i) => (
              <Line key={l.key} dataKey={l.key} name={l.label} stroke={COLORS[i % COLORS.length]} strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} type={c.unit === 'state' ? 'stepAfter' : 'linear'} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
