import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AdmZip from 'adm-zip';
import { test, expect } from '../../fixtures/temp-dir.ts';
import { REDACTED, Redactor } from '../../support/evidence/redaction/redact.ts';
import { findSecrets, scrubRunOutput } from '../../support/evidence/redaction/scrub.ts';

const PASSWORD = 'CANARY-pw-q8Zr2LmW';
const TICKET = 'CANARY-ticket-7f3a9b1c';
const SIGNING_KEY = 'CANARY-signing-key-0123456789abcdef0123';
// A real HS256 token's shape; its parts are not secrets of this test, only its shape is.
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiZXhwIjoxNzk1MzMwNTUzfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

test.describe('Redactor', () => {
  const redactor = new Redactor([PASSWORD, TICKET, SIGNING_KEY]);

  const cases: Array<{ title: string; text: string; secret: string }> = [
    { title: 'an Authorization header', text: `Authorization: Bearer ${JWT}`, secret: JWT },
    { title: 'an Authorization header with an opaque token', text: 'authorization: Bearer opaque-token-123456', secret: 'opaque-token-123456' },
    { title: 'a JWT in a jwt-auth subprotocol', text: `Sec-WebSocket-Protocol: jwt-auth, jwt-auth.${JWT}`, secret: JWT },
    { title: 'a malformed token in a jwt-auth subprotocol', text: 'jwt-auth.garbage-not-a-jwt', secret: 'garbage-not-a-jwt' },
    { title: 'a token in a URL', text: `wss://chat.example.com/ws?token=${JWT}&v=2`, secret: JWT },
    { title: 'a ticket in a URL', text: `ws://127.0.0.1:4000/ws?ticket=${TICKET}`, secret: TICKET },
    { title: 'a password in a JSON body', text: `{"email":"a@b.test","password":"${PASSWORD}"}`, secret: PASSWORD },
    {
      title: 'a password in JSON inside a JSON string',
      text: JSON.stringify({ postData: JSON.stringify({ password: 'unregistered-Pw-1' }) }),
      secret: 'unregistered-Pw-1',
    },
    { title: 'a typed password in a step title', text: `Fill "${PASSWORD}" getByTestId('login-password')`, secret: PASSWORD },
    { title: 'a cookie in a trace header pair', text: '{"name":"Cookie","value":"session=s3ss10n-v4lue"}', secret: 's3ss10n-v4lue' },
    { title: 'a Set-Cookie header line', text: 'set-cookie: refresh=r3fr3sh-v4lue; HttpOnly', secret: 'r3fr3sh-v4lue' },
    { title: 'a JWT inside base64', text: `basic ${Buffer.from(`token:${JWT}`).toString('base64')}`, secret: Buffer.from(`token:${JWT}`).toString('base64') },
    {
      title: 'a password inside base64, at any alignment',
      text: `x${Buffer.from(`..${PASSWORD}..`).toString('base64')}`,
      secret: Buffer.from(`..${PASSWORD}..`).toString('base64').slice(4, 20),
    },
    { title: 'a URL-encoded password', text: `password=${encodeURIComponent(PASSWORD)}`, secret: encodeURIComponent(PASSWORD) },
    { title: 'a signing key in an environment dump', text: `JWT_SECRET=${SIGNING_KEY}`, secret: SIGNING_KEY },
    { title: 'a password in a database URL', text: 'postgres://app:hunter2hunter2@db:5432/chat', secret: 'hunter2hunter2' },
    { title: 'a GitHub token', text: 'GITHUB_TOKEN is ghp_0123456789abcdefghijklmnopqrstuvwxyzAB', secret: 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB' },
  ];

  for (const { title, text, secret } of cases) {
    test(`removes ${title}`, () => {
      expect(text).toContain(secret);
      const redacted = redactor.redact(text);
      expect(redacted).not.toContain(secret);
      expect(redacted).toContain(REDACTED);
    });
  }

  test('leaves evidence without secrets as it is', () => {
    const transcript = JSON.stringify({
      at: 12.5,
      frame: { type: 'agent_completed', run_id: '36d2f1c0-0000-4000-8000-aaaaaaaaaaaa', final_response: '86270 * 190 = 16391300' },
    });
    expect(redactor.redact(transcript)).toBe(transcript);
    expect(redactor.redact('the user alice@golden-path.test logged in; status 200 in 12 ms')).toBe(
      'the user alice@golden-path.test logged in; status 200 in 12 ms',
    );
  });

  test('redactValue keeps the structure and clears fields named like secrets', () => {
    expect(redactor.redactValue({ request: { email: 'a@b.test', password: 'anything-at-all' }, response: { access_token: JWT, user: { id: 'u1' } } })).toEqual({
      request: { email: 'a@b.test', password: REDACTED },
      response: { access_token: REDACTED, user: { id: 'u1' } },
    });
  });
});

test.describe('the post-run scrub and the canary search', () => {
  /** A run's output in `root`, with the secrets in every place one has been seen to land. */
  function plantedRunOutput(root: string): string {
    mkdirSync(join(root, 'reports/allure-results'), { recursive: true });
    mkdirSync(join(root, 'test-results/golden-path'), { recursive: true });
    writeFileSync(join(root, 'reports/results.json'), JSON.stringify({ steps: [{ title: `Fill "${PASSWORD}"` }] }));
    writeFileSync(join(root, 'reports/allure-results/abc-attachment.txt'), `connected with ?ticket=${TICKET}\n`);
    const trace = new AdmZip();
    trace.addFile(
      'trace.network',
      Buffer.from(
        JSON.stringify({ request: { headers: [{ name: 'Authorization', value: `Bearer ${JWT}` }], postData: JSON.stringify({ password: PASSWORD }) } }),
      ),
    );
    trace.addFile('resources/page.html', Buffer.from(`<input value="${PASSWORD}">`));
    trace.addFile('resources/shot.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
    writeFileSync(join(root, 'test-results/golden-path/trace.zip'), trace.toBuffer());
    const embedded = new AdmZip();
    embedded.addFile('report.json', Buffer.from(JSON.stringify({ error: `login failed for key ${SIGNING_KEY}` })));
    writeFileSync(
      join(root, 'reports/index.html'),
      `<script>window.report = "data:application/zip;base64,${embedded.toBuffer().toString('base64')}";</script>`,
    );
    writeFileSync(join(root, 'reports/allure-results/def-attachment.json'), JSON.stringify({ basic: Buffer.from(`user:${PASSWORD}`).toString('base64') }));
    return root;
  }

  test('the search finds every planted secret when nothing scrubs (so a bypassed redactor fails the canary test)', async ({ makeTempDir }) => {
    const root = plantedRunOutput(await makeTempDir('scrub-'));
    const sightings = findSecrets([join(root, 'reports'), join(root, 'test-results')], [PASSWORD, TICKET, SIGNING_KEY]);
    const places = sightings.map(({ secret, where }) => `${secret} @ ${where}`);
    expect(places).toEqual(
      expect.arrayContaining([
        `${PASSWORD} @ results.json`,
        `${TICKET} @ allure-results/abc-attachment.txt`,
        `${PASSWORD} @ golden-path/trace.zip!trace.network`,
        `${PASSWORD} @ golden-path/trace.zip!resources/page.html`,
        `${SIGNING_KEY} @ index.html (embedded zip)!report.json`,
        `${PASSWORD} @ allure-results/def-attachment.json`,
      ]),
    );
  });

  test('after the scrub the search finds none, binary files are kept byte for byte, and zips still open', async ({ makeTempDir }) => {
    const root = plantedRunOutput(await makeTempDir('scrub-'));
    const png = new AdmZip(readFileSync(join(root, 'test-results/golden-path/trace.zip'))).getEntry('resources/shot.png')!.getData();

    const changed = scrubRunOutput([join(root, 'reports'), join(root, 'test-results')], new Redactor([PASSWORD, TICKET, SIGNING_KEY]));

    expect(changed).toBe(5);
    expect(findSecrets([join(root, 'reports'), join(root, 'test-results')], [PASSWORD, TICKET, SIGNING_KEY])).toEqual([]);
    const trace = new AdmZip(readFileSync(join(root, 'test-results/golden-path/trace.zip')));
    expect(trace.getEntry('resources/shot.png')!.getData()).toEqual(png);
    expect(trace.getEntry('trace.network')!.getData().toString()).toContain(`"name":"Authorization","value":"${REDACTED}"`);
  });
});
