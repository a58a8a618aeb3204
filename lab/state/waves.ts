// Deterministic smooth signals with closed-form integrals, so cumulative raws (counter, rate,
// percent kinds) stay exactly consistent with the instantaneous values at any read time.
import { unit } from './rng';

const PERIODS_S = [420, 1380, 4260]; // 7, 23 and 71 minutes
const W_DAY = (2 * Math.PI) / 86_400;

function params(seed: number, key: string) {
  return PERIODS_S.map((period, k) => ({
    w: (2 * Math.PI) / (period * (0.8 + 0.4 * unit(seed, key, 'f', k))),
    phi: 2 * Math.PI * unit(seed, key, 'p', k),
    a: [0.5, 0.3, 0.2][k],
  }));
}

const cache = new Map<string, ReturnType<typeof params>>();
function p(seed: number, key: string) {
  const id = `${seed}:${key}`;
  let v = cache.get(id);
  if (!v) {
    if (cache.size > 50_000) cache.clear();
    v = params(seed, key);
    cache.set(id, v);
  }
  return v;
}

/** Smooth noise in [-1, 1] at time t (seconds). */
export function wave(seed: number, key: string, t: number): number {
  let s = 0;
  for (const { w, phi, a } of p(seed, key)) s += a * Math.sin(w * t + phi);
  return s;
}

/** ∫₀ᵗ wave dt. */
export function waveIntegral(seed: number, key: string, t: number): number {
  let s = 0;
  for (const { w, phi, a } of p(seed, key)) s += (a / w) * (Math.cos(phi) - Math.cos(w * t + phi));
  return s;
}

/** Share of users logged in at epoch-seconds t: 0.2 at 02:00 UTC, 0.9 at 14:00 UTC. */
export function activity(t: number): number {
  return 0.55 + 0.35 * Math.sin(W_DAY * (t - 8 * 3600));
}

/** ∫ activity dt from 0 to t (epoch seconds). */
export function activityIntegral(t: number): number {
  return 0.55 * t - (0.35 / W_DAY) * (Math.cos(W_DAY * (t - 8 * 3600)) - Math.cos(-W_DAY * 8 * 3600));
}
