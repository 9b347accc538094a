// npm run discover -- --profile NAME [--no-verify] [--force]
// Learns how an unknown chat service speaks by watching its own web client in Chromium (sign in, ask, see the
// answer, every HTTP exchange and socket frame recorded); without a page, or where the page did not show
// everything, by probing (login, WebSocket paths and transports, a run in each known start-message shape, the UI).
// Writes .env.NAME, the profile `TARGET_PROFILE=NAME npm run smoke` reads: every
// setting it chose, under a comment saying what it saw, and no secret. What a healthy service must not do is a
// finding, never a setting. Then it runs the smoke suite with the profile, unless --no-verify.
// Exit 0: written and verified (with --no-verify: written, nothing found wrong); 1: written, with findings or a
// failed smoke run; 2: bad options or settings, or nothing could be discovered (each attempt listed); 130/143:
// interrupted.
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { Browser } from '@playwright/test';
import { loadEnvFiles } from '../support/config/env-files.ts';
import { registerConfiguredSecrets } from '../support/evidence/redaction/secrets.ts';
import type { RecordingSocket } from '../support/ws/recording-socket.ts';
import { Discovery, NothingDiscovered } from './discover/discovery.ts';
import { readInputs, SECRET_SETTINGS, type DiscoverInputs } from './discover/inputs.ts';
import { discoverLogin } from './discover/login.ts';
import { profileClash, profilePath, profileProblems, renderProfile } from './discover/profile-file.ts';
import { readRun } from './discover/protocol-profile.ts';
import { discoverRun } from './discover/run.ts';
import { discoverSocket } from './discover/socket.ts';
import { summaryTable } from './discover/summary.ts';
import { checkReachable, discoverReadiness } from './discover/target.ts';
import { writeTranscript } from './discover/transcript.ts';
import { discoverUi } from './discover/ui.ts';
import { runSmoke } from './discover/verify.ts';
import { probePageSocket } from './discover/web-client/socket-probes.ts';
import { watchWebClient, type Watched } from './discover/web-client/watch.ts';
import { exitWithProblems, parseOptions } from './shared/options.ts';

const USAGE = `usage: npm run discover -- --profile NAME [--no-verify] [--force]
  reads BASE_URL, TEST_USER_EMAIL, TEST_USER_PASSWORD (and WS_URL, TEST_USER2_EMAIL, TEST_USER2_PASSWORD, JWT_SECRET,
  BYPASS_KEY when given) from the shell or .env; watches the service's web client (else probes), writes .env.NAME
  (over an earlier one only with --force) and reports/discover/NAME.json, then runs TARGET_PROFILE=NAME npm run smoke
  unless --no-verify`;

const { values, problems } = parseOptions(USAGE, { profile: { type: 'string' }, 'no-verify': { type: 'boolean' }, force: { type: 'boolean' } });
const name = values.profile;
if (name === undefined) problems.push('--profile is missing: name the profile to write, e.g. --profile staging (it becomes .env.staging)');
else if (!/^[\w-]+$/.test(name)) problems.push(`--profile ${name} is not a profile name: use letters, digits, - and _ (it becomes .env.<name>)`);
else {
  const clash = profileClash(name, values.force === true);
  if (clash) problems.push(clash);
}

// The shell as given, for the smoke run; discover itself also reads .env (never an old .env.NAME: what it
// is about to find out must not be steered by what it wrote last time).
const shellEnv = { ...process.env };
const env: NodeJS.ProcessEnv = { ...process.env, TARGET_PROFILE: undefined };
loadEnvFiles(env);
const { inputs, problems: settingProblems } = readInputs(env);
problems.push(...settingProblems);
if (problems.length > 0 || !inputs || !name) exitWithProblems('discover', USAGE, problems);
registerConfiguredSecrets(env);

const sockets: RecordingSocket[] = [];
let browser: Browser | undefined;
let smoke: ChildProcess | undefined;
let profileWritten = false;
let interrupted = false;
const stopEverything = async () => {
  for (const socket of sockets) socket.close();
  await browser?.close().catch(() => undefined);
};
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(
      `\ndiscover: interrupted: ${smoke ? 'stopping the smoke run' : 'closing its sockets and browser'}; ${profileWritten ? `${profilePath(name)} is written` : 'no profile is written'}`,
    );
    const smokeEnded = smoke && new Promise((resolve) => smoke!.once('close', resolve));
    smoke?.kill('SIGINT');
    void Promise.all([stopEverything(), smokeEnded]).finally(() => process.exit(code));
  });
}

const started = performance.now();
let watched: Watched | undefined;
const discovery = new Discovery((line) => console.log(line));
console.log(`discover: looking at ${inputs.baseUrl} for profile ${name}`);
try {
  console.log('\nthe target');
  await checkReachable(inputs.baseUrl, discovery);
  await discoverReadiness(inputs.baseUrl, discovery);
  console.log('\nthe web client');
  watched = await watchWebClient(inputs, discovery, (launched) => (browser = launched));
  if (watched.complete && watched.socket) {
    // The page showed how it logs in, connects, starts a run and gets its answer: what is left to find out is
    // what its socket must refuse, asked the page's way.
    console.log('\nwhat the socket must refuse');
    await probePageSocket(watched.socket, inputs.jwtSecret, discovery);
  } else {
    if (watched.failure) console.log(`  the web client could not be watched to the end (${watched.failure}): probing instead`);
    await probeAsBefore(inputs, discovery);
  }
} catch (error) {
  // Interrupted: what broke is the closing browser or socket; the interruption exits.
  if (interrupted) await new Promise<never>(() => {});
  await stopEverything();
  if (!(error instanceof NothingDiscovered)) throw error;
  const transcript = writeTranscript(name, inputs.baseUrl, discovery);
  const recording = watched?.failure ? `the web client could not be watched (${watched.failure}), and probing found nothing either: ` : '';
  console.error(`\ndiscover: nothing discovered, no profile written: ${recording}${error.message}\n(what it saw: ${transcript})`);
  process.exit(2);
}

const secrets = Object.fromEntries(SECRET_SETTINGS.filter((setting) => env[setting]).map((setting) => [setting, env[setting]!]));
const text = renderProfile({
  name,
  baseUrl: inputs.baseUrl,
  writtenAt: new Date(),
  observations: discovery.observations,
  findings: discovery.findings,
  secretsToExport: inputs.givenSecrets,
});
const chosen = { TARGET: 'external', BASE_URL: inputs.baseUrl, ...discovery.settings() };
const invalid = profileProblems(text, chosen, secrets);
const transcript = writeTranscript(name, inputs.baseUrl, discovery);
if (invalid.length > 0) {
  console.error(
    `\ndiscover: the profile it chose does not hold up, so none was written (a bug in discover; please report it with ${transcript}):\n${invalid.map((problem) => `  - ${problem}`).join('\n')}`,
  );
  process.exit(1);
}
writeFileSync(profilePath(name), text);
profileWritten = true;

console.log(`\n${summaryTable(discovery)}`);
console.log(`\nwrote ${profilePath(name)} and ${transcript} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
const overridden = Object.entries(chosen).filter(
  ([setting, value]) => shellEnv[setting] !== undefined && shellEnv[setting] !== '' && shellEnv[setting] !== value,
);
for (const [setting, value] of overridden)
  console.log(`note: the shell sets ${setting}=${shellEnv[setting]}, which wins over the profile's ${value}: unset it for the smoke run`);
const unexported = inputs.givenSecrets.filter((setting) => !shellEnv[setting]);
if (unexported.length > 0) console.log(`note: ${unexported.join(', ')} came from .env, not the shell; the smoke run reads .env too`);

let verified = true;
if (values['no-verify']) {
  console.log(`\nnot verified (--no-verify): run TARGET_PROFILE=${name} npm run smoke`);
} else {
  console.log(`\nverifying: TARGET_PROFILE=${name} npm run smoke -- --workers=1\n`);
  const { exitCode, verdict } = await runSmoke(name, shellEnv, (child) => (smoke = child));
  // Interrupted: the smoke run's end is not its verdict, and the interruption's exit code is the one to give.
  if (interrupted) await new Promise<never>(() => {});
  smoke = undefined;
  verified = exitCode === 0;
  if (!verdict) console.log(`\nverdict: none written (the smoke run exited ${exitCode}; see its output above)`);
  else {
    const counts = `${verdict.tests.passed} passed, ${verdict.tests.failed} failed, ${verdict.tests.skipped} skipped`;
    console.log(`\nverdict: ${verdict.verdict}${verdict.failingStage ? ` at ${verdict.failingStage}` : ''} (${counts})`);
    for (const failure of verdict.failures.slice(0, 5)) console.log(`  ✘ [${failure.stage}] ${failure.test}: ${failure.message.split('\n')[0]}`);
  }
}
const findings = discovery.findings.length;
if (findings > 0)
  console.log(`\ndiscover: ${findings} finding(s) (listed above and in ${profilePath(name)}): the profile is written, the service is not healthy`);
process.exit(findings > 0 || !verified ? 1 : 0);

/** Today's probing, for a target without a page, or one whose page did not show everything: the contract's login, each socket path and transport, each known start message, the UI. */
async function probeAsBefore(inputs: DiscoverInputs, discovery: Discovery): Promise<void> {
  console.log('\nlogin');
  const login = await discoverLogin(inputs, discovery);
  console.log('\nthe socket');
  const socketChoice = await discoverSocket(inputs, login, discovery);
  console.log('\na run');
  const run = await discoverRun(inputs, login, socketChoice, discovery, (socket) => sockets.push(socket));
  const protocol = run && readRun(run, socketChoice, login.user.userId, discovery);
  for (const socket of sockets) socket.close();
  console.log('\nthe UI');
  if (protocol) {
    await discoverUi({ inputs, login, socketChoice, protocol }, discovery, (launched) => (browser = launched));
  } else {
    discovery.observe('UI', 'not found', 'not looked at: no run started over the socket, so an answer in the page could not be awaited', {
      LOGIN_STRATEGY: login.way === 'bypass' ? 'bypass' : 'ui',
    });
  }
}
