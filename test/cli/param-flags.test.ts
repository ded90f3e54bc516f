/**
 * The one `--param` parser of the CLI (train and tune), and how a service's field errors are
 * worded as flags. Pure: no database.
 */
import { describe, expect, it } from 'vitest';
import { checkField, FieldError, PbiError, ValidationError } from '../../src/domain/errors.js';
import {
  collectParam,
  inFlagTerms,
  type ParamFlags,
  paramValue,
  singleValues,
} from '../../src/interfaces/cli/param-flags.js';

const parse = (...flags: string[]): ParamFlags =>
  flags.reduce<ParamFlags>((acc, f) => collectParam(f, acc), {});

function errorOf(fn: () => unknown): PbiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PbiError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('--param KEY=VALUE', () => {
  it('types values: null, booleans, decimal numbers, else a word', () => {
    expect(
      parse('max_depth=null', 'bootstrap=false', 'learningRate=0.05', 'max_features=sqrt', 'tol=1e-4'),
    ).toEqual({
      max_depth: [null],
      bootstrap: [false],
      learningRate: [0.05],
      max_features: ['sqrt'],
      tol: [1e-4],
    });
    expect(parse('alpha=1,10,auto')).toEqual({ alpha: [1, 10, 'auto'] });
  });

  it('hyperparameters are decimal: 0x10, 0b1 and 1_000 stay text for the service to refuse', () => {
    expect(paramValue('0x10')).toBe('0x10');
    expect(paramValue('0b1')).toBe('0b1');
    expect(paramValue('1_000')).toBe('1_000');
    expect(paramValue('Infinity')).toBe('Infinity');
    expect(paramValue('16')).toBe(16);
    expect(paramValue('.5')).toBe(0.5);
  });

  it('malformed flags and repeated keys are usage errors naming the flag', () => {
    for (const bad of ['alpha', 'alpha=', '=3', 'alpha=1,']) {
      const e = errorOf(() => parse(bad));
      expect(e.code).toBe('USAGE');
      expect(e.message).toMatch(/--param must look like KEY=VALUE/);
    }
    const twice = errorOf(() => parse('alpha=1', 'alpha=2'));
    expect(twice.message).toBe('--param alpha is given twice');
  });

  it('train takes one value per key', () => {
    expect(singleValues(parse('alpha=2', 'fit_intercept=true'))).toEqual({ alpha: 2, fit_intercept: true });
    const e = errorOf(() => singleValues(parse('alpha=1,2')));
    expect(e.code).toBe('USAGE');
    expect(e.issues[0]?.where).toBe('--param alpha');
  });
});

describe('service errors worded as flags', () => {
  it('params.KEY becomes --param KEY, listed fields their flags, in the message and the issues', () => {
    const e = new FieldError('invalid hyperparameters', [
      { where: 'params.alpha', reason: 'alpha of ridge must be a number (written in decimal), got "0x10"' },
      { where: 'folds', reason: 'expected a whole number from 2 to 100, got 1' },
    ]);
    const cli = inFlagTerms(e, { folds: '--folds' }) as FieldError;
    expect(cli.message).toBe(
      'invalid hyperparameters: --param alpha: alpha of ridge must be a number (written in decimal), got "0x10"; ' +
        '--folds: expected a whole number from 2 to 100, got 1',
    );
    expect(cli.issues.map((i) => i.where)).toEqual(['--param alpha', '--folds']);
    expect(cli.code).toBe('INVALID_INPUT');
  });

  it('a check of one field keeps its message and gets its flag; any other field is named as its flag', () => {
    const e = errorOf(() =>
      checkField('trials', () => {
        throw new ValidationError('too much work', [{ where: 'trials', reason: 'over the limit' }]);
      }),
    );
    const cli = inFlagTerms(e) as FieldError;
    expect(cli.message).toBe('too much work');
    expect(cli.issues[0]?.where).toBe('--trials');
    const date = new FieldError(
      (n) => `${n('forDate')} is not a draw day`,
      [{ where: 'forDate', reason: 'not a draw day' }],
    );
    expect((inFlagTerms(date) as FieldError).message).toBe('--for-date is not a draw day');
    // A plain validation error names no request field: it passes unchanged.
    const plain = new ValidationError('bad row', [{ where: 'draws.csv:3', reason: 'not a date' }]);
    expect(inFlagTerms(plain)).toBe(plain);
    const other = new Error('boom');
    expect(inFlagTerms(other, {})).toBe(other);
  });
});
