import { describe, expect, it } from 'vitest';
import {
  chiSquareSurvival,
  lnGamma,
  percentileOfSorted,
  regularizedGammaP,
  regularizedGammaQ,
} from '../../src/services/analysis-stats.js';

describe('gamma functions and the chi-square tail (references from scipy)', () => {
  it('lnGamma matches factorials', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 13);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(lnGamma(101)).toBeCloseTo(363.73937555556347, 9);
  });

  it('regularized gamma on both sides of a + 1', () => {
    expect(regularizedGammaQ(0.5, 0.001)).toBeCloseTo(0.9643294082703201, 12);
    expect(regularizedGammaP(30, 25)).toBeCloseTo(0.1821039159774551, 12);
    expect(regularizedGammaP(1, 2) + regularizedGammaQ(1, 2)).toBeCloseTo(1, 14);
    expect(regularizedGammaQ(1, 2)).toBeCloseTo(Math.exp(-2), 14);
  });

  it('chi-square critical values give p = 0.05, and the far tail keeps its precision', () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 12);
    expect(chiSquareSurvival(18.307038053275146, 10)).toBeCloseTo(0.05, 12);
    expect(chiSquareSurvival(4, 2)).toBeCloseTo(Math.exp(-2), 14);
    const tail = chiSquareSurvival(500, 68);
    expect(tail / 4.796156278648077e-67).toBeCloseTo(1, 8);
    expect(chiSquareSurvival(0.5, 68)).toBeCloseTo(1, 12);
    expect(chiSquareSurvival(0, 5)).toBe(1);
  });

  it('percentiles interpolate like numpy', () => {
    expect(percentileOfSorted([15, 36, 147, 150], 5)).toBeCloseTo(18.15, 12);
    expect(percentileOfSorted([1], 50)).toBe(1);
    expect(Number.isNaN(percentileOfSorted([], 50))).toBe(true);
  });
});
