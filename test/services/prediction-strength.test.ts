/**
 * Belief strength on a real database: the seven strategies visibly differ at `raw` for one seed,
 * each set stores its strength, the output says what the strength cost on the real draws and why
 * the default is close to uniform, and a bad strength is refused with nothing stored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PbiError } from '../../src/domain/errors.js';
import { STRATEGY_NAMES } from '../../src/domain/strategy-names.js';
import { createTestDb, registerRidge, type TestDb } from './prediction-fixtures.js';

let db: TestDb;
afterEach(() => db?.cleanup());

const key = (t: { whites: readonly number[]; powerball: number }) => `${t.whites.join('-')}|${t.powerball}`;

describe('belief strength', () => {
  it('raw makes the seven strategies give different tickets for one seed; calibrated mostly does not, and says why', () => {
    db = createTestDb();
    const s = db.open();
    registerRidge(s, '2025-12-31');
    const raw = new Map<string, string[]>();
    const calibrated = new Map<string, string[]>();
    for (const name of STRATEGY_NAMES) {
      raw.set(name, s.predictor.generate({ strategy: name, seed: 11, strength: 'raw' }).tickets.map(key));
      calibrated.set(name, s.predictor.generate({ strategy: name, seed: 11 }).tickets.map(key));
    }
    // Raw: every pair of strategies gives a different set, and most share no ticket at all (the seed
    // drives one random stream, so tickets differ only where beliefs do).
    let pairsSharing = 0;
    for (const a of STRATEGY_NAMES)
      for (const b of STRATEGY_NAMES) {
        if (a >= b) continue;
        expect(raw.get(a)!.join(), `${a} vs ${b}`).not.toBe(raw.get(b)!.join());
        const shared = raw.get(a)!.filter((t) => raw.get(b)!.includes(t));
        expect(shared.length, `${a} vs ${b}`).toBeLessThanOrEqual(3);
        if (shared.length > 0) pairsSharing++;
      }
    // Raw frequency, dow and sum stay near uniform over 1,390 draws, so a few of their tickets coincide.
    expect(pairsSharing).toBeLessThanOrEqual(3);
    // Calibrated: the shrunk strategies collapse onto the same tickets — the reason for --strength.
    const same = STRATEGY_NAMES.filter(
      (n) => calibrated.get(n)!.join() === calibrated.get('frequency')!.join(),
    );
    expect(same.length).toBeGreaterThanOrEqual(4);
    const r = s.predictor.generate({ strategy: 'frequency', seed: 11 });
    expect(r.strength.whyCalibrated).toMatch(/Why calibrated is close to uniform/);
    expect(r.strength.costs[0]!.text).toMatch(
      /frequency at strength 0\.05 \(calibrated\): \+0\.0004 nats\/draw/,
    );
    s.close();
  });

  it('stores the strength with every set and shows what it costs', async () => {
    db = createTestDb();
    const s = db.open();
    const raw = s.predictor.generate({ strategy: 'frequency', seed: 2, strength: 'raw' });
    expect(raw.strength.label).toBe('raw');
    expect(raw.strength.beliefWeights).toEqual({ frequency: 1 });
    expect(raw.strength.costs[0]!.text).toBe(
      'raw frequency: −0.1097 nats/draw against chance, 95% CI −0.1374 to −0.0821 (walk-forward over 1,390 real current-era draws)',
    );
    expect(s.context.store.predictions.getSet(raw.setId).strength).toBe('raw');
    const mid = s.predictor.generate({ strategy: 'weighted', seed: 2, strength: 0.3 });
    expect(s.context.store.predictions.getSet(mid.setId).strength).toBe('0.3');
    expect(mid.strength.beliefWeights.recency).toBeCloseTo(0.3, 12);
    expect(mid.strength.costs.find((c) => c.strategy === 'recency')!.text).toMatch(
      /recency at strength 0\.3: −0\.0456 nats\/draw .*measured at strength 0\.3\b|recency at strength 0\.3: −0\.0456 nats\/draw/,
    );
    const def = s.predictor.generate({ strategy: 'dow', seed: 2 });
    expect(s.context.store.predictions.getSet(def.setId).strength).toBe('calibrated');
    s.close();
    const text = await db.pbi('predict', '--strategy', 'recency', '--strength', 'raw', '--seed', '1');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/strength raw/);
    expect(text.stdout).toMatch(
      /raw recency: −0\.6171 nats\/draw against chance, 95% CI −0\.6787 to −0\.5556/,
    );
    expect(text.stdout).toMatch(/× a random ticket, by this strategy's belief/);
    expect(text.stdout).toMatch(/Why calibrated is close to uniform/);
    const json = JSON.parse((await db.pbi('--json', 'predict', '--strength', '0.5', '--seed', '1')).stdout);
    expect(json.strength.label).toBe('0.5');
    expect(json.tickets[0].beliefMultiple).toBeGreaterThan(0);
    expect(json.tickets[0]).not.toHaveProperty('probability');
  });

  it('refuses a bad strength with exit 2 (usage), naming it, and stores nothing', async () => {
    db = createTestDb();
    const s = db.open();
    for (const bad of [1.5, -0.1, 'strong', '', 'NaN', '0.5x']) {
      let error: unknown;
      try {
        s.predictor.generate({ strength: bad });
      } catch (e) {
        error = e;
      }
      expect(error, String(bad)).toBeInstanceOf(PbiError);
      expect((error as PbiError).code).toBe('INVALID_INPUT');
      // The service names its own field; the CLI words it `--strength` (below).
      expect((error as PbiError).issues[0]!.where).toBe('strength');
    }
    expect(s.context.store.predictions.counts()).toEqual({ sets: 0, predictions: 0 });
    s.close();
    for (const bad of ['2', 'loud']) {
      const r = await db.pbi('predict', '--strength', bad);
      // A value refused for a flag is a usage error (DESIGN §6: exit 2), whichever layer refuses it.
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--strength must be calibrated, raw, or a number from 0 to 1/);
    }
    const again = db.open();
    expect(again.context.store.predictions.counts()).toEqual({ sets: 0, predictions: 0 });
    again.close();
  });
});
