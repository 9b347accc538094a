import { mkdirSync, writeFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import type { Observation } from '../../scripts/discover/discovery.ts';
import { PROFILE_HEADER, profileClash, profileProblems, renderProfile } from '../../scripts/discover/profile-file.ts';

const BASE_URL = 'http://127.0.0.1:41749';
const ACCOUNT = { TEST_USER_EMAIL: 'ada@example.com' };
const SECRETS = { TEST_USER_PASSWORD: 'a-long-password-0123' };

const observation = (subject: string, settings: Record<string, string>, saw = 'seen'): Observation => ({ subject, status: 'found', saw, settings });
const render = (observations: Observation[]) =>
  renderProfile({
    name: 'staging',
    baseUrl: BASE_URL,
    writtenAt: new Date('2026-11-29T17:00:00Z'),
    observations,
    findings: [],
    secretsToExport: ['TEST_USER_PASSWORD'],
  });

test.describe('the profile file discover writes', () => {
  test('every value reads back exactly, whatever it holds: JSON, a # (a comment in a bare dotenv value), both kinds of quote', () => {
    const chosen = {
      ...ACCOUNT,
      START_MESSAGE: '{"type":"user_message","payload":{"text":"{{text}}","references":[],"thread_id":"{{thread_id}}"}}',
      UI_SELECTORS: JSON.stringify({ 'chat-input': '#prompt', 'chat-send': "button[aria-label='Send']", 'assistant-message': 'role=article[name="Answer"]' }),
      EVENT_NAME_MAP: '{}',
      RUN_EXTRA_EVENTS: '',
    };
    const text = render([observation('login', ACCOUNT), observation('the rest', chosen)]);
    expect(profileProblems(text, { TARGET: 'external', BASE_URL, ...chosen }, SECRETS)).toEqual([]);
  });

  test('it says what was seen above each setting, which secrets to export, and holds none of them', () => {
    const text = render([observation('login', ACCOUNT, 'POST /auth/login answered 200\nin 59 ms')]);
    expect(text.startsWith(PROFILE_HEADER)).toBe(true);
    expect(text).toContain('# login (found): POST /auth/login answered 200 in 59 ms\nTEST_USER_EMAIL=ada@example.com\n');
    expect(text).toContain('#   export TEST_USER_PASSWORD=…\n#   TARGET_PROFILE=staging npm run smoke');
    expect(text).not.toContain(SECRETS.TEST_USER_PASSWORD);
  });

  test('a setting chosen twice is written once, where it was last chosen', () => {
    const text = render([observation('first look', { LOGIN_STRATEGY: 'ui' }), observation('UI', { LOGIN_STRATEGY: 'api-token' })]);
    expect(text.match(/^LOGIN_STRATEGY=/gm)).toHaveLength(1);
    expect(text).toMatch(/# UI \(found\): seen\nLOGIN_STRATEGY=api-token/);
  });

  test('a secret in the text, or a value the suite refuses, is a problem that stops the write', () => {
    const leaky = render([observation('login', { ...ACCOUNT, READINESS_PATH: `/ready?key=${SECRETS.TEST_USER_PASSWORD}` })]);
    expect(profileProblems(leaky, {}, SECRETS)).toEqual(['the value of TEST_USER_PASSWORD is in the file']);
    const malformed = render([observation('login', { ...ACCOUNT, WS_ENVELOPE: 'wrapped' })]);
    expect(profileProblems(malformed, {}, SECRETS)).toEqual([expect.stringMatching(/^WS_ENVELOPE must be one of auto, root, payload, data/)]);
  });

  test('a .env.<name> discover did not write (.env.engine, a hand-made profile) is never overwritten', ({}, testInfo) => {
    const directory = testInfo.outputPath('repo');
    mkdirSync(directory, { recursive: true });
    writeFileSync(`${directory}/.env.engine`, 'export DOCKER_HOST=unix:///run/podman/podman.sock\n');
    writeFileSync(`${directory}/.env.staging`, render([observation('login', ACCOUNT)]));
    expect(profileClash('engine', true, directory)).toMatch(/^--profile engine: .*\.env\.engine exists and was not written by discover: choose another name/);
    expect(profileClash('staging', false, directory)).toMatch(
      /^--profile staging: .*\.env\.staging exists \(discover wrote it earlier\): pass --force to write over it/,
    );
    expect(profileClash('staging', true, directory)).toBeUndefined();
    expect(profileClash('new', false, directory)).toBeUndefined();
  });
});
