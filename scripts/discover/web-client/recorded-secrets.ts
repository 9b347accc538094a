import { stringLeaves, parseJson } from './json-paths.ts';
import { SECRET_NAME } from '../../../support/evidence/redaction/secrets.ts';
import type { WebClientRecording } from './recording.ts';

/**
 * Every value of the recording that is a secret by where it sits (a field or header named like one, in
 * an HTTP body, a header or a frame), and the typed password: registered with the redactor, they never
 * reach the transcript, whatever the redactor's patterns would have missed (a `session_token`).
 */
export function secretsIn(recording: WebClientRecording): string[] {
  const secretLeaves = (value: unknown) =>
    stringLeaves(value)
      .filter(({ path }) => path.split('.').some((key) => SECRET_NAME.test(key)))
      .map(({ text }) => text);
  const values = [
    recording.typed.password,
    ...recording.http.flatMap((exchange) => [exchange.requestBody, exchange.responseBody, exchange.requestHeaders].flatMap(secretLeaves)),
    ...recording.sockets.flatMap((socket) => [
      ...secretLeaves(socket.requestHeaders),
      ...socket.frames.flatMap((frame) => secretLeaves(parseJson(frame.text))),
    ]),
    ...Object.entries(recording.localStorage).flatMap(([key, value]) => (SECRET_NAME.test(key) ? [value] : [])),
  ];
  // Short values (a "Bearer" scheme, a flag) are no secret, and redacting them would blot out ordinary words.
  return [...new Set(values.filter((value) => value.length >= 8))];
}
