import { test, expect } from '@playwright/test';
import { parseOptions } from '../../scripts/shared/options.ts';

const USAGE = 'usage: npm run example -- --runs N [--dry-run]';
const SPECS = { runs: { type: 'string', default: '20' }, label: { type: 'string' }, 'dry-run': { type: 'boolean' } } as const;
const OPTIONS = 'the options are --runs, --label, --dry-run, --help';

test.describe('parseOptions', () => {
  test('gives the values, with defaults for the options left out, and no problem', () => {
    expect(parseOptions(USAGE, SPECS, ['--label', 'nightly', '--dry-run'])).toEqual({
      values: { runs: '20', label: 'nightly', 'dry-run': true },
      problems: [],
    });
    expect(parseOptions(USAGE, SPECS, ['--runs=5'])).toEqual({ values: { runs: '5', label: undefined, 'dry-run': false }, problems: [] });
  });

  test('an unknown option is one line naming it and the options that exist, long or short', () => {
    expect(parseOptions(USAGE, SPECS, ['--bogus', '-q']).problems).toEqual([`unknown option --bogus: ${OPTIONS}`, `unknown option -q: ${OPTIONS}`]);
  });

  test('a stray argument is named, with the options that exist', () => {
    expect(parseOptions(USAGE, SPECS, ['--runs', '5', 'extra']).problems).toEqual([`unexpected argument "extra": ${OPTIONS}`]);
  });

  test('an option that needs a value and has none is named, also when the next option took its place', () => {
    expect(parseOptions(USAGE, SPECS, ['--label']).problems).toEqual(['--label needs a value']);
    expect(parseOptions(USAGE, SPECS, ['--runs=']).problems).toEqual(['--runs needs a value']);
    expect(parseOptions(USAGE, SPECS, ['--label', '--dry-run']).problems).toEqual(['--label needs a value (it was followed by --dry-run)']);
  });

  test('a switch given a value is named', () => {
    expect(parseOptions(USAGE, SPECS, ['--dry-run=yes']).problems).toEqual(['--dry-run takes no value (it was given "yes")']);
  });

  test('every problem is listed at once', () => {
    expect(parseOptions(USAGE, SPECS, ['--bogus', '--dry-run=1', 'stray', '--label'])).toMatchObject({ problems: { length: 4 } });
  });

  test("a value that starts with one dash is a value (a negative number is the command's to judge)", () => {
    expect(parseOptions(USAGE, SPECS, ['--runs', '-3'])).toEqual({ values: { runs: '-3', label: undefined, 'dry-run': false }, problems: [] });
  });
});
