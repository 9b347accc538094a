import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { test, expect } from '../../fixtures/index.ts';
import { passwordLogin } from '../../support/client/http.ts';

function seed(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'reference-service/src/seed.ts', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test.describe('seed command', () => {
  test('creates a user, and on a second run resets the password of the same user', async ({ referenceService, containers }) => {
    const email = `seed-${randomUUID()}@golden-path.test`;
    const first = seed([`--email=${email}`, '--password=first-password'], { DATABASE_URL: containers.databaseUrl });
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^created user ${email} \\(id [0-9a-f-]{36}\\)$`, 'm'));

    const second = seed([`--email=${email}`, '--password=second-password'], { DATABASE_URL: containers.databaseUrl });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain(`updated the password of user ${email}`);
    expect(second.stdout.match(/id ([0-9a-f-]{36})/)?.[1]).toBe(first.stdout.match(/id ([0-9a-f-]{36})/)?.[1]);

    await expect(passwordLogin(referenceService.baseUrl, { email, password: 'first-password' })).rejects.toThrow(/401/);
    await expect(passwordLogin(referenceService.baseUrl, { email, password: 'second-password' })).resolves.toMatchObject({ user: { email } });
  });

  test('--users-file creates many users in one run, each able to log in', async ({ referenceService, containers }, testInfo) => {
    const users = Array.from({ length: 5 }, (_, index) => ({ email: `batch-${index}-${randomUUID()}@golden-path.test`, password: `password-${index}-long` }));
    const file = testInfo.outputPath('users.csv');
    writeFileSync(file, users.map(({ email, password }) => `${email},${password}`).join('\n'));

    const result = seed([`--users-file=${file}`], { DATABASE_URL: containers.databaseUrl });

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(
      users.map(({ email }) => expect.stringMatching(new RegExp(`^created user ${email} \\(id [0-9a-f-]{36}\\)$`))),
    );
    for (const user of users) await expect(passwordLogin(referenceService.baseUrl, user)).resolves.toMatchObject({ user: { email: user.email } });
  });

  test('--users-file names each bad line, and seeds nothing', async ({ containers }, testInfo) => {
    const file = testInfo.outputPath('users.csv');
    writeFileSync(
      file,
      `good-${randomUUID()}@golden-path.test,long-enough-password\nnot-an-email,long-enough-password\nshort-${randomUUID()}@golden-path.test,short\n`,
    );

    const result = seed([`--users-file=${file}`], { DATABASE_URL: containers.databaseUrl });

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/line 2 of --users-file: email must be an email address; line 3 of --users-file: password must be at least 8 characters/);
    expect(result.stdout).toBe('');
  });

  test('names every missing input and prints its usage', async () => {
    const result = seed(['--email=not-an-email'], {});
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--email must be an email address; --password is required; DATABASE_URL must be set/);
    expect(result.stderr).toMatch(/usage: npm run service:seed/);
  });
});
