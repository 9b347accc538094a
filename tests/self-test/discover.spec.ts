import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '../../fixtures/index.ts';
import { seededAccounts } from '../../support/self-test/accounts.ts';
import { commandEnvironment, runHarness, runNode } from '../../support/self-test/nested-run.ts';
import { LATER_PRODUCT_SHAPE } from '../../support/self-test/reference-shapes.ts';
import { PRODUCTION_SHAPE, TARGET_VARIANTS, harnessSettingsFor, type TargetVariant } from '../../support/self-test/target-variants.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** Given to discover and the smoke run, never to be written: what the profile scan looks for. */
const SECRET_SETTINGS = ['TEST_USER_PASSWORD', 'TEST_USER2_PASSWORD', 'JWT_SECRET', 'BYPASS_KEY'];
const A_TOKEN = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/;

interface Profile {
  name: string;
  /** The file's text, or undefined when discover wrote none. */
  read(): string | undefined;
}

interface Discovered {
  exitCode: number | null;
  output: string;
  seconds: number;
  /** discover's transcript under the test's reports folder, when it wrote one. */
  transcript: string | undefined;
}

/** A profile name of the test's own; its .env file (discover writes it beside package.json) is removed after the test. */
const test = base.extend<{ profile: Profile }>({
  profile: async ({}, use, testInfo) => {
    const name = `discover-self-test-${randomUUID().slice(0, 8)}`;
    const path = join(REPO, `.env.${name}`);
    await use({ name, read: () => (existsSync(path) ? readFileSync(path, 'utf8') : undefined) });
    if (existsSync(path) && testInfo.status !== testInfo.expectedStatus) await testInfo.attach('profile', { path, contentType: 'text/plain' });
    rmSync(path, { force: true });
  },
});

/**
 * `npm run discover -- <args>` from the repository root, with only these settings and the test's own output
 * folders (the runner's own variables would confuse the smoke run discover starts).
 */
async function discover(args: string[], env: Record<string, string>, dir: string): Promise<Discovered> {
  const started = performance.now();
  const { exitCode, output } = await runNode(['--import', 'tsx', 'scripts/discover.ts', ...args], commandEnvironment(dir, env), 200_000);
  const transcripts = join(dir, 'reports', 'discover');
  const transcript = existsSync(transcripts) ? readFileSync(join(transcripts, `${args[args.indexOf('--profile') + 1]}.json`), 'utf8') : undefined;
  return { exitCode, output, seconds: (performance.now() - started) / 1000, transcript };
}

/** No password, key or token of the run in the text: the profile is meant to be committed and shared. */
function expectNoSecret(text: string | undefined, env: Record<string, string>): void {
  expect(text, 'discover wrote nothing to scan').toBeDefined();
  for (const setting of SECRET_SETTINGS.filter((name) => env[name])) expect(text, `the value of ${setting} is in the file`).not.toContain(env[setting]);
  expect(text, 'a token is in the file').not.toMatch(A_TOKEN);
}

/**
 * The page's own client taught the start message; where the page has no login form (an SSO page) discover
 * said so in one line and probed instead.
 */
function expectWatchedOrSaidWhyNot(output: string, service: Record<string, string>): void {
  if (service.UI_LOGIN === 'oauth') {
    expect(output).toMatch(/^ {2}the web client could not be watched to the end \(the page at \S+ shows no login form .*\): probing instead$/m);
  } else {
    expect(output).toMatch(/^ {2}✓ start message \(web client\): the page sent its prompt as /m);
  }
}

/** The settings a team hands discover for a variant: the address, the accounts, the key, and the bypass key when the variant has one. */
async function given(
  service: { baseUrl: string; authUrl: string; jwtSecret: string },
  databaseUrl: string,
  variant?: TargetVariant,
): Promise<Record<string, string>> {
  const bypassKey = variant ? harnessSettingsFor(variant, service).BYPASS_KEY : undefined;
  return {
    BASE_URL: service.baseUrl,
    JWT_SECRET: service.jwtSecret,
    ...(await seededAccounts(databaseUrl)),
    ...(bypassKey ? { BYPASS_KEY: bypassKey } : {}),
  };
}

test.describe.configure({ timeout: 240_000 });

const secretsOf = (env: Record<string, string>) => Object.fromEntries(SECRET_SETTINGS.filter((name) => env[name]).map((name) => [name, env[name]!]));

test.describe('discover, then smoke: every variant of the reference service, with no setting written by hand', () => {
  for (const variant of TARGET_VARIANTS.filter((row) => !row.fails)) {
    const production = variant.service === PRODUCTION_SHAPE;

    test(`${variant.name}: the profile discover writes makes the smoke run pass${production ? ' (discover verifies it itself)' : ''}`, async ({
      launchService,
      containers,
      profile,
    }, testInfo) => {
      const service = await launchService({ env: variant.service });
      const env = await given(service, containers.databaseUrl, variant);

      const run = await discover(['--profile', profile.name, ...(production ? [] : ['--no-verify'])], env, testInfo.outputPath('discover'));
      testInfo.annotations.push({ type: 'discover took', description: `${run.seconds.toFixed(1)} s` });
      expect(run.exitCode, run.output).toBe(0);
      expectWatchedOrSaidWhyNot(run.output, variant.service);
      expectNoSecret(profile.read(), env);
      expectNoSecret(run.transcript, env);
      if (production) {
        expect(run.output).toMatch(/^verdict: PASS \(\d+ passed, 0 failed, \d+ skipped\)$/m);
        return;
      }
      const smoke = await runHarness({
        dir: testInfo.outputPath('smoke'),
        args: ['--project=e2e', '--grep', variant.grep ?? '@smoke', '--workers=1'],
        env: { TARGET_PROFILE: profile.name, ...secretsOf(env) },
      });
      expect(smoke.exitCode, smoke.output).toBe(0);
      expect(smoke.verdict, smoke.output).toMatchObject({ verdict: 'PASS', tests: { failed: 0 } });
    });
  }
});

/** Shapes with fault rows in support/self-test/target-variants.ts: discover learns the healthy one, and its profile must still catch each fault. */
const FAULTED_SHAPES = [
  { name: 'the healthy production shape', service: PRODUCTION_SHAPE },
  { name: 'the healthy later product (learned from its web client alone)', service: LATER_PRODUCT_SHAPE },
];

for (const shape of FAULTED_SHAPES) {
  test(`under the profile discover wrote for ${shape.name}, each of its faults still fails at its stage`, async ({
    launchService,
    containers,
    profile,
  }, testInfo) => {
    // One discover run, then a smoke run per fault.
    test.setTimeout(420_000);
    const healthy = await launchService({ env: shape.service });
    const env = await given(healthy, containers.databaseUrl);
    const run = await discover(['--profile', profile.name, '--no-verify'], env, testInfo.outputPath('discover'));
    expect(run.exitCode, run.output).toBe(0);

    const inShape = (row: TargetVariant) => Object.entries(shape.service).every(([name, value]) => row.service[name] === value);
    const faultRows = TARGET_VARIANTS.filter((row) => row.fails && row.service.FAULTS && inShape(row));
    expect(faultRows.length, `the fault rows of ${shape.name} in support/self-test/target-variants.ts`).toBeGreaterThanOrEqual(4);
    for (const row of faultRows) {
      await test.step(`${row.service.FAULTS} fails at ${row.fails!.stage}`, async () => {
        const faulty = await launchService({ env: row.service });
        // The same profile pointed at another deployment: the shell's addresses and key win over the file's.
        const smoke = await runHarness({
          dir: testInfo.outputPath(row.service.FAULTS!.replace(/\W/g, '-')),
          args: ['--project=e2e', '--grep', row.grep ?? '@smoke', '--workers=1'],
          env: {
            TARGET_PROFILE: profile.name,
            ...secretsOf(env),
            BASE_URL: faulty.baseUrl,
            WS_URL: faulty.wsUrl,
            AUTH_URL: faulty.authUrl,
            JWT_SECRET: faulty.jwtSecret,
          },
        });
        expect(smoke.exitCode, smoke.output).toBe(1);
        expect(smoke.verdict, smoke.output).toMatchObject({ verdict: 'FAIL', failingStage: row.fails!.stage });
        expect(smoke.verdict!.failures.map((failure) => failure.message)).toContainEqual(expect.stringMatching(row.fails!.message));
        await faulty.stop();
      });
    }
  });
}

/** Security and isolation faults: discover names each as a finding and exits 1, with the profile still written. */
const FINDINGS: Array<{ name: string; service: Record<string, string>; finding: RegExp; verify?: true }> = [
  {
    name: 'a socket with no credential welcomed (accept_no_credential)',
    service: { TEST_MODE: 'true', FAULTS: 'accept_no_credential' },
    finding:
      /^ {2}! finding \[security\]: no credential on \/ws: the service welcomed the socket \(connection_established\) as user demo-user-001; it must refuse/m,
    verify: true,
  },
  {
    name: 'a bad token welcomed as a relaxed user (relaxed_bad_token)',
    service: { TEST_MODE: 'true', FAULTS: 'relaxed_bad_token' },
    finding:
      /^ {2}! finding \[security\]: a token signed by another key by subprotocol: the service welcomed the socket \(connection_established\) as user relaxed-user/m,
  },
  {
    name: 'the production shape with its alias open to a socket with no credential',
    service: { ...PRODUCTION_SHAPE, TEST_MODE: 'true', FAULTS: 'accept_no_credential:/api/v1/websocket' },
    finding:
      /^ {2}! finding \[security\]: no credential on \/api\/v1\/websocket: the service welcomed the socket \(connection_established\) as user demo-user-001/m,
  },
  {
    name: 'the later product, learned from its web client, with its socket open to no credential',
    service: { ...LATER_PRODUCT_SHAPE, FAULTS: 'accept_no_credential' },
    finding: /^ {2}! finding \[security\]: no credential on \/ws: the service welcomed the socket \(\w+\)/m,
  },
  {
    name: 'an unsigned token welcomed (accept_alg_none)',
    service: { TEST_MODE: 'true', FAULTS: 'accept_alg_none' },
    finding: /^ {2}! finding \[security\]: an unsigned token \(alg: none\) by subprotocol: the service welcomed the socket \(connection_established\)/m,
  },
  {
    name: 'a foreign Origin welcomed (accept_foreign_origin)',
    service: { TEST_MODE: 'true', FAULTS: 'accept_foreign_origin' },
    finding: /^ {2}! finding \[security\]: Origin https:\/\/evil\.example with a good token: the service welcomed the socket/m,
  },
  {
    name: 'a welcome naming a cut user id (welcome_wrong_user)',
    service: { TEST_MODE: 'true', FAULTS: 'welcome_wrong_user' },
    finding: /^ {2}! finding \[security\]: the welcome names user [0-9a-f]{8}\.\.\., but the page signed in as user [0-9a-f-]{36}$/m,
  },
  {
    name: "another user's socket receiving the run (cross_user_fanout)",
    service: { TEST_MODE: 'true', FAULTS: 'cross_user_fanout' },
    finding: /^ {2}! finding \[isolation\]: \d+ frame\(s\) of \S+'s run reached \S+'s page/m,
  },
];

test.describe('what a healthy service must not do is a finding, never a setting', () => {
  for (const row of FINDINGS) {
    test(`${row.name}: exits 1 naming it, the profile written${row.verify ? ', and the smoke run fails at security' : ''}`, async ({
      launchService,
      containers,
      profile,
    }, testInfo) => {
      const service = await launchService({ env: row.service });
      const env = await given(service, containers.databaseUrl);
      const run = await discover(['--profile', profile.name, ...(row.verify ? [] : ['--no-verify'])], env, testInfo.outputPath('discover'));

      expect(run.exitCode, run.output).toBe(1);
      expect(run.output).toMatch(row.finding);
      expect(run.output).toMatch(/^discover: \d+ finding\(s\) .*: the profile is written, the service is not healthy$/m);
      const text = profile.read();
      expectNoSecret(text, env);
      expect(text).toMatch(/^# Findings: what a healthy service must not do\./m);
      if (row.verify) expect(run.output).toMatch(/^verdict: FAIL at security \(/m);
    });
  }
});

test.describe('what discover cannot work with ends it with exit 2, naming what it tried', () => {
  test('an address where nothing listens: exit 2 in seconds, no profile', async ({ profile }, testInfo) => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));

    const run = await discover(
      ['--profile', profile.name],
      { BASE_URL: `http://127.0.0.1:${port}`, TEST_USER_EMAIL: 'ada@example.com', TEST_USER_PASSWORD: 'never-sent-anywhere' },
      testInfo.outputPath(),
    );
    expect(run.exitCode, run.output).toBe(2);
    expect(run.output).toContain(`discover: nothing discovered, no profile written: nothing answers at BASE_URL (http://127.0.0.1:${port}): check the address`);
    expect(run.output).toContain(`tried:\n  - GET http://127.0.0.1:${port}/health: ECONNREFUSED\n`);
    expect(run.seconds).toBeLessThan(10);
    expect(profile.read()).toBeUndefined();
  });

  test("a wrong password: exit 2, that one password tried once (by the page's own form), no other", async ({
    launchService,
    containers,
    profile,
  }, testInfo) => {
    const service = await launchService();
    const env = { ...(await given(service, containers.databaseUrl)), TEST_USER_PASSWORD: 'not-the-password-1' };
    const run = await discover(['--profile', profile.name, '--no-verify'], env, testInfo.outputPath());

    expect(run.exitCode, run.output).toBe(2);
    expect(run.output).toMatch(
      /could not log in as \S+; tried:\n {2}- the page's POST \/auth\/login refused \S+'s password \(401 .*invalid_credentials.*\): check TEST_USER_EMAIL and TEST_USER_PASSWORD \(no other password is tried\)\n/,
    );
    const transcript = JSON.parse(run.transcript!) as { http: Array<{ url: string }>; 'web client': Array<{ http: Array<{ url: string }> }> };
    const logins = [...transcript.http, ...transcript['web client'].flatMap(({ http }) => http)].filter(({ url }) => url.endsWith('/auth/login'));
    expect(logins, 'login attempts with the wrong password').toHaveLength(1);
    expect(
      transcript.http.filter(({ url }) => url.endsWith('/auth/login')),
      'probing tried no login after the page was refused',
    ).toHaveLength(0);
    expect(profile.read()).toBeUndefined();
  });

  test('a profile discover wrote earlier: exit 2 without --force, before anything is reached, the file untouched', async ({ profile }, testInfo) => {
    const path = join(REPO, `.env.${profile.name}`);
    const earlier = '# Written by `npm run discover -- --profile earlier` at 2026-12-01T00:00:00.000Z\nTARGET=external\n';
    writeFileSync(path, earlier);
    const run = await discover(
      ['--profile', profile.name],
      { BASE_URL: 'http://127.0.0.1:9', TEST_USER_EMAIL: 'ada@example.com', TEST_USER_PASSWORD: 'never-sent-anywhere' },
      testInfo.outputPath(),
    );
    expect(run.exitCode, run.output).toBe(2);
    expect(run.output).toContain(
      `  - --profile ${profile.name}: ${path} exists (discover wrote it earlier): pass --force to write over it, or choose another name\n`,
    );
    expect(profile.read()).toBe(earlier);
  });

  test('settings missing and an unknown option: exit 2 listing every problem, before anything is reached', async ({ profile }, testInfo) => {
    const run = await discover(['--profile', profile.name, '--bogus'], {}, testInfo.outputPath());
    expect(run.exitCode, run.output).toBe(2);
    expect(run.output).toMatch(/^discover: 4 problem\(s\); nothing was started:$/m);
    expect(run.output).toContain('  - unknown option --bogus: the options are --profile, --no-verify, --force, --help\n');
    for (const setting of ['BASE_URL', 'TEST_USER_EMAIL', 'TEST_USER_PASSWORD'])
      expect(run.output).toContain(`  - ${setting} is not set (required when TARGET=external)`);
    expect(profile.read()).toBeUndefined();
  });
});
