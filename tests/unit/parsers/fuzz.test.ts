// Property-based tests of every parser (tests/fuzz/harness.ts): a few thousand cases in `npm test`;
// `npm run fuzz` runs ≥ 100,000 per parser. Fixed seed, so a failure here is reproducible.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parserKinds } from '../../../collectors/parsers/index';
import { checkOneRow, checkTyped, cleanBases, corpus, inputArb, ROW_KINDS } from '../../fuzz/harness';

const SEED = 20_260_310;

describe('parsers under fuzzing', () => {
  for (const kind of parserKinds) {
    it(`${kind}: arbitrary text and mutated captures give a result or a ParseError, never anything else`, () => {
      fc.assert(
        fc.property(inputArb(kind), (input) => {
          const problem = checkTyped(kind, input, 1000);
          if (problem) throw new Error(problem);
        }),
        { numRuns: 150, seed: SEED },
      );
    });
  }

  for (const kind of ROW_KINDS) {
    it(`${kind}: a damaged record line costs that record only`, () => {
      const bases = cleanBases(kind);
      expect(bases.length, `${kind} has no clean capture with two records`).toBeGreaterThan(0);
      fc.assert(
        fc.property(fc.constantFrom(...bases), fc.nat(), fc.nat(), (base, pick, cut) => {
          const problem = checkOneRow(kind, base, pick, cut);
          if (problem) throw new Error(problem);
        }),
        { numRuns: 100, seed: SEED },
      );
    });
  }

  it('64 KB of repeated captures parse within the time limit', () => {
    for (const kind of parserKinds) {
      for (const base of corpus(kind).slice(0, 2)) {
        const big = base.repeat(Math.ceil(65_536 / Math.max(1, base.length))).slice(0, 65_536);
        const problem = checkTyped(kind, big, 1000);
        expect(problem, `${kind}`).toBeUndefined();
      }
    }
  });
});
