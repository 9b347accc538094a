import { test, expect } from '@playwright/test';
import { answerPattern, arithmeticPrompt, goldenPrompt } from '../../support/golden-path/nonce.ts';
import { CONTRACT_PROTOCOL } from '../../support/protocol/profile.ts';
import { judgeRefusal, type Refusal } from '../../support/ws/refusal.ts';

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
    // Written by a language model: thousands separators, markdown, a trailing period.
    ['The result is **337,491**.', '337491', true],
    ['337\u202f491', '337491', true],
    ['337\u2009491.', '337491', true],
    ['337 491', '337491', true],
    ["337'491", '337491', true],
    ['1,337,491', '337491', false],
    ['337,4910', '337491', false],
    ['337,491.5', '337491', false],
    ['337,49,1', '337491', false],
    ['**337,492**', '337491', false],
    ['91', '91', true],
  ];
  for (const [answer, expected, matches] of CASES) {
    test(`"${answer}" ${matches ? 'carries' : 'does not carry'} ${expected}`, () => {
      expect(answerPattern(expected).test(answer)).toBe(matches);
    });
  }

  test('GOLDEN_PROMPT asks for a code made for this run, and only that code passes', () => {
    const { prompt, needle, answer } = goldenPrompt('Reply with the code {{nonce}} and nothing else.');
    expect(prompt).toBe(`Reply with the code ${needle} and nothing else.`);
    expect(answer.test(`Sure: **${needle}**.`)).toBe(true);
    expect(answer.test(`${needle}0`)).toBe(false);
    expect(answer.test(goldenPrompt('{{nonce}}').needle)).toBe(false);
  });

  test('no GOLDEN_PROMPT means the arithmetic prompt', () => {
    expect(goldenPrompt(undefined).prompt).toMatch(/^What is \d+ \* \d+\?$/);
  });

  test('a prompt names its operands and expects their exact product', () => {
    const { prompt, needle, expectedAnswer } = arithmeticPrompt();
    const [a, b] = needle.split(' * ').map(Number);
    expect(prompt).toBe(`What is ${a} * ${b}?`);
    expect(expectedAnswer).toBe(String(a! * b!));
  });
});

test.describe('the WebSocket refusal check', () => {
  const welcome = { type: 'connection_established', user_id: 'relaxed-user', connection_id: 'c1' };
  const errorFrame = { type: 'error', code: 'AUTH_FAILED', message: 'token expired' };
  const CASES: Array<[refusal: Refusal, frames: Array<Record<string, unknown>>, refused: boolean, description: string]> = [
    [{ kind: 'http', status: 401 }, [], true, 'refused the upgrade with HTTP 401'],
    [{ kind: 'http', status: 403 }, [], true, 'refused the upgrade with HTTP 403'],
    [{ kind: 'http', status: 500 }, [], false, 'answered the upgrade with HTTP 500, which is not a refusal (401 or 403)'],
    [{ kind: 'close', code: 1008, reason: 'invalid_token: x' }, [], true, 'closed the socket with 1008 "invalid_token: x"'],
    [{ kind: 'close', code: 1003, reason: '' }, [], true, 'closed the socket with 1003'],
    [{ kind: 'close', code: 4401, reason: 'unauthorised' }, [], true, 'closed the socket with 4401 "unauthorised"'],
    // The real product accepts first, says why in an error frame, then closes 1008: still a refusal.
    [{ kind: 'close', code: 1008, reason: '' }, [errorFrame], true, 'closed the socket with 1008 after 1 error frame(s) (AUTH_FAILED: token expired)'],
    [
      { kind: 'close', code: 1011, reason: 'internal error' },
      [],
      false,
      'closed the socket with 1011 "internal error", which is not a refusal (1008, 1003 or 4000-4999)',
    ],
    [
      { kind: 'close', code: 1000, reason: '' },
      [errorFrame],
      false,
      'closed the socket with 1000 after 1 error frame(s) (AUTH_FAILED: token expired), which is not a refusal (1008, 1003 or 4000-4999)',
    ],
    // A welcome before the policy close: the credential got in, whatever came after.
    [{ kind: 'close', code: 1008, reason: '' }, [welcome], false, 'welcomed the socket (connection_established) as user relaxed-user'],
    [{ kind: 'accepted', received: ['connection_established'] }, [welcome], false, 'welcomed the socket (connection_established) as user relaxed-user'],
    [
      { kind: 'accepted', received: ['connection_established'] },
      [{ type: 'connection_established' }],
      false,
      'welcomed the socket (connection_established) as a user it did not name',
    ],
    [{ kind: 'accepted', received: ['agent_started'] }, [{ type: 'agent_started', run_id: 'r1' }], false, 'sent agent_started without a welcome'],
    [{ kind: 'accepted', received: [] }, [], false, 'left the socket open without a word'],
    [{ kind: 'accepted', received: ['error'] }, [errorFrame], false, 'left the socket open, having sent error'],
  ];
  for (const [refusal, frames, refused, description] of CASES) {
    test(`${JSON.stringify(refusal)} after ${JSON.stringify(frames)}: ${description}`, () => {
      expect(judgeRefusal(refusal, frames, CONTRACT_PROTOCOL)).toEqual({ refused, description });
    });
  }
});
