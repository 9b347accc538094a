import { test, expect } from '@playwright/test';
import { describeExecutor, describeTarget, publicUrl } from '../../support/evidence/reporters/run-environment.ts';
import { reportLabelsOf } from '../../support/evidence/reporters/report-labels.ts';

test.describe('publicUrl', () => {
  test('drops user info, query and fragment, where credentials travel', () => {
    expect(publicUrl('https://ops:s3cret@staging.example.com/chat/?token=abc#x')).toBe('https://staging.example.com/chat');
  });

  test('is undefined for nothing or for something that is not a URL', () => {
    expect(publicUrl(undefined)).toBeUndefined();
    expect(publicUrl('not a url')).toBeUndefined();
  });
});

test.describe('describeTarget', () => {
  test('a local run is the bundled reference service', async () => {
    expect(await describeTarget({ TARGET: 'local', TARGET_PROFILE: 'dev', EVENT_FIELDS: 'essential' })).toEqual({
      kind: 'local',
      url: undefined,
      profile: 'dev',
      service: 'bundled reference service',
      differences: [expect.stringMatching(/^event fields: only those correctness needs/)],
    });
  });

  test('with settings the preflight would refuse, it still names what it can, without credentials', async () => {
    expect(await describeTarget({ TARGET: 'external', BASE_URL: 'https://ops:pw@staging.example.com' })).toEqual({
      kind: 'external',
      url: 'https://staging.example.com',
      profile: undefined,
      service: undefined,
      differences: [],
    });
  });
});

test.describe('describeExecutor', () => {
  test('GitHub Actions: the workflow run, its URL and number', () => {
    expect(
      describeExecutor({
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKFLOW: 'golden-path-smoke',
        GITHUB_RUN_NUMBER: '17',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'acme/chat',
        GITHUB_RUN_ID: '998877',
        REPORT_URL: 'https://r.example/17/',
      }),
    ).toEqual({
      name: 'GitHub Actions',
      type: 'github',
      buildName: 'golden-path-smoke #17',
      buildUrl: 'https://github.com/acme/chat/actions/runs/998877',
      buildOrder: 17,
      reportUrl: 'https://r.example/17/',
    });
  });

  test('another CI, and a local run', () => {
    expect(describeExecutor({ CI: 'true' })).toEqual({ name: 'CI', type: 'ci', reportUrl: undefined });
    expect(describeExecutor({})).toEqual({ name: 'local run', type: 'local', reportUrl: undefined });
  });
});

test.describe('reportLabelsOf', () => {
  const info = (file: string, tags: string[], titlePath: string[], annotations: Array<{ type: string; description?: string }> = []) => ({
    file,
    tags,
    titlePath,
    annotations,
    title: titlePath.at(-1)!,
  });

  test('epic from the folder, feature from the file, severity from the tags', () => {
    expect(reportLabelsOf(info('/repo/tests/golden-path/browser.spec.ts', ['@golden-path'], ['golden-path/browser.spec.ts', 'a user logs in']))).toEqual({
      epic: 'Golden path',
      feature: 'browser',
      story: 'a user logs in',
      severity: 'blocker',
      owner: undefined,
    });
  });

  test('story from the describe block; owner from an annotation', () => {
    expect(
      reportLabelsOf(
        info(
          '/repo/tests/auth/token-rejection.spec.ts',
          ['@smoke'],
          ['auth/token-rejection.spec.ts', 'tokens', 'alg none'],
          [{ type: 'owner', description: 'platform-team' }],
        ),
      ),
    ).toMatchObject({
      epic: 'Authentication and security',
      feature: 'token rejection',
      story: 'tokens',
      severity: 'critical',
      owner: 'platform-team',
    });
  });
});
