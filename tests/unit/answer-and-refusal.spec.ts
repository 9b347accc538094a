import { test, expect } from '@playwright/test';
import { answerPattern, arithmeticPrompt } from '../../support/golden-path/nonce.ts';
import { isAuthRefusal, isRefused, type Refusal } from '../../support/ws/refusal.ts';

test.describe('the answer check', () => {
  const CASES: Array<[answer: string, expected: string, matches: boolean]> = [
    ['48213 * 7 = 337491', '337491', true],
    ['337491', '337491', true],
    ['The result is 337491.', '337491', true],
    ["I'm having trouble reaching my tools right now, but the answer is most likely 42.", '337491', false],
    ['48213 * 7 = 3374910', '337491', false],
    ['48213 * 7 = 1337491', '337491', false],
    ['The total is 337491.5', '337491', false],
    ['', '337491', false],
  ];
  for (const [answer, expected, matches] of CASES) {
    test(`"${answer}" ${matches ? 'carries' : 'does not carry'} ${expected}`, () => {
      expect(answerPattern(expected).test(answer)).toBe(matches);
    });
  }

  test('a prompt names its operands and expects their exact product', () => {
    const { prompt, needle, expectedAnswer } = arithmeticPrompt();
    const [a, b] = needle.split(' * ').map(Number);
    expect(prompt).toBe(`What is ${a} * ${b}?`);
    expect(expectedAnswer).toBe(String(a! * b!));
  });
});

test.describe('the WebSocket refusal check', () => {
  const CASES: Array<[refusal: Refusal, auth: boolean, refused: boolean]> = [
    [{ kind: 'http', status: 401 }, true, true],
    [{ kind: 'close', code: 1008, reason: 'invalid_token: x' }, true, true],
    [{ kind: 'http', status: 403 }, false, true],
    [{ kind: 'close', code: 1011, reason: 'internal error' }, false, true],
    [{ kind: 'accepted', received: ['connection_established'] }, false, false],
    [{ kind: 'accepted', received: [] }, false, false],
  ];
  for (const [refusal, auth, refused] of CASES) {
    test(`${JSON.stringify(refusal)} is ${auth ? '' : 'not '}an auth refusal and ${refused ? '' : 'not '}a refusal`, () => {
      expect(isAuthRefusal(refusal)).toBe(auth);
      expect(isRefused(refusal)).toBe(refused);
    });
  }
});
