import { test, expect } from '@playwright/test';
import { fillTemplate } from '../../support/json/template.ts';

test.describe('fillTemplate', () => {
  test('fills plain and dotted placeholders in every string value, nested ones included', () => {
    const template = '{"type":"user_message","payload":{"content":"{{text}}","thread_id":"{{handshake.thread_id}}","tags":["a-{{request_id}}"]}}';

    expect(fillTemplate(template, { text: 'What is 2 * 3?', request_id: 'r-1', handshake: { thread_id: 't-9' } }, 'START_MESSAGE')).toEqual({
      type: 'user_message',
      payload: { content: 'What is 2 * 3?', thread_id: 't-9', tags: ['a-r-1'] },
    });
  });

  test('a string that is one placeholder takes the value as it is, so a number stays a number', () => {
    expect(fillTemplate('{"seq":"{{handshake.seq}}","label":"n{{handshake.seq}}"}', { handshake: { seq: 7 } }, 'HANDSHAKE_REPLY')).toEqual({
      seq: 7,
      label: 'n7',
    });
  });

  test('a placeholder with no value is an error naming the setting and the placeholder, never an empty string', () => {
    expect(() => fillTemplate('{"thread_id":"{{handshake.thread_id}}"}', { handshake: {} }, 'START_MESSAGE')).toThrow(
      'START_MESSAGE names {{handshake.thread_id}}, which has no value here (no handshake, or its frame has no such field)',
    );
    expect(() => fillTemplate('{"email":"{{mail}}"}', { email: 'a@example.com' }, 'LOGIN_BODY')).toThrow('LOGIN_BODY names {{mail}}, which has no value here');
  });
});
