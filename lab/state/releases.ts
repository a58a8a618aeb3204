// Releases the lab can play (lab option `version`): the CLI prints each release's layout
// (lab/ssh/commands/*). A release is named by its major.minor ("10.5") or given as a full build
// ("10.5.2.15900-8"); the builds below are the lab's defaults for each product, chosen from
// public captures of that release where there is one (docs/captures.md cites them).
import type { Product } from '../model';

export const RELEASES = ['9.1', '10.5', '11.5', '12.5', '14', '15'] as const;
export type Release = (typeof RELEASES)[number];

const BUILDS: Record<Release, Record<Product, string>> = {
  // CUCM 9.0.1.10000-9000 / 9.1 layouts: Cisco CUCM administration guide (runtimestate example).
  '9.1': { cucm: '9.1.2.10000-28', imp: '9.1.1.10000-5' },
  // TechNote 215013 (CUCM 10.5.2.15900-8).
  '10.5': { cucm: '10.5.2.15900-8', imp: '10.5.2.21900-5' },
  // TechNote 215537 (CUCM 11.5(1)SU5).
  '11.5': { cucm: '11.5.1.15900-18', imp: '11.5.1.15900-2' },
  // TechNote 221038 (CUCM 12.5.1.16900-48).
  '12.5': { cucm: '12.5.1.16900-48', imp: '12.5.1.16900-3' },
  // dCloud capture (ccm14_0_1_11900_132).
  '14': { cucm: '14.0.1.11900-132', imp: '14.0.1.11900-9' },
  '15': { cucm: '15.0.1.12900-234', imp: '15.0.1.12900-15' },
};

/** The release of a version string: "10.5.2.15900-8" → "10.5", "15.0.1.12900-15" → "15", "14" → "14". */
export function releaseOf(version: string): Release {
  const m = /^(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (!m) throw new RangeError(`version '${version}' is not a release (one of ${RELEASES.join(', ')}) or a build like 10.5.2.15900-8`);
  const major = Number(m[1]);
  const minor = Number(m[2] ?? 0);
  const name = major >= 14 ? String(major) : `${major}.${minor}`;
  if (!(RELEASES as readonly string[]).includes(name)) throw new RangeError(`release ${name} is not one the lab can play (${RELEASES.join(', ')})`);
  return name as Release;
}

/** The full build a cluster reports: a full version as given, else the lab's default build of that release. */
export function buildOf(version: string, product: Product): string {
  const release = releaseOf(version);
  return /^\d+\.\d+\.\d+\.\d+-\d+$/.test(version.trim()) ? version.trim() : BUILDS[release][product];
}

/** Ordering helper: true when `release` is at least `than`. */
export function atLeast(release: Release, than: Release): boolean {
  return RELEASES.indexOf(release) >= RELEASES.indexOf(than);
}
