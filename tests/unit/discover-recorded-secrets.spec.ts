import { test, expect } from '@playwright/test';
import { secretsIn } from '../../scripts/discover/web-client/recorded-secrets.ts';
import type { WebClientRecording } from '../../scripts/discover/web-client/recording.ts';

test('the secrets of a recording: the typed password and every value under a secret-like name, in bodies, headers, frames and storage', () => {
  const recording: WebClientRecording = {
    pageUrl: 'http://127.0.0.1:41000',
    typed: { email: 'ada@example.com', password: 'typed-password-1', prompts: [{ prompt: 'What is 2 * 3?', expectedAnswer: '6' }] },
    http: [
      {
        at: 1,
        method: 'POST',
        url: 'http://127.0.0.1:41000/auth/login',
        requestHeaders: { cookie: 'sid=cookie-value-123', accept: '*/*' },
        requestBody: { email: 'ada@example.com', password: 'typed-password-1' },
        status: 200,
        responseBody: { token: 'opaque-access-token', user: { id: 'user-id-not-secret' } },
      },
    ],
    sockets: [
      {
        at: 2,
        url: 'ws://127.0.0.1:41000/ws',
        offeredProtocols: [],
        requestHeaders: {},
        frames: [
          {
            at: 3,
            direction: 'received',
            text: JSON.stringify({ type: 'handshake_response', thread_id: 'thread-id-not-secret', session_token: 'a-session-value' }),
          },
        ],
      },
    ],
    localStorage: { auth_token: 'stored-token-value', theme: 'dark-mode-theme' },
  };
  expect(secretsIn(recording).sort()).toEqual(
    ['a-session-value', 'sid=cookie-value-123', 'opaque-access-token', 'stored-token-value', 'typed-password-1'].sort(),
  );
});
