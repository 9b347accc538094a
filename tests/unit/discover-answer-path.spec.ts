import { test, expect } from '@playwright/test';
import { answerPaths } from '../../scripts/discover/answer-path.ts';
import { answerAt } from '../../support/golden-path/answer.ts';
import { answerPattern, codePrompt } from '../../support/golden-path/nonce.ts';

const ids = { user_id: 'u1', thread_id: 't1', run_id: 'r1' };

test.describe('finding the answer in the completing event (ANSWER_PATH)', () => {
  test("the contract's answer is the final_response text", () => {
    const completion = { type: 'agent_completed', status: 'completed', final_response: '54431 * 319 = 17363489', ...ids };
    expect(answerPaths(completion, answerPattern('17363489'), 'What is 54431 * 319?')).toEqual(['final_response']);
  });

  test("the production shape's object answer: the text under final_response.response, read back by the harness's answerAt", () => {
    const completion = {
      type: 'agent_completed',
      final_response: { response: 'The result is 24,467,286.', status: 'success', metadata: { tools: ['calculator'] } },
      ...ids,
    };
    const [path] = answerPaths(completion, answerPattern('24467286'), 'What is 79698 * 307?');
    expect(path).toBe('final_response.response');
    expect(answerAt(completion, path)).toBe('The result is 24,467,286.');
  });

  test('an answer deep in an LLM-style output, array indices included', () => {
    const completion = { type: 'run.completed', output: [{ role: 'assistant', content: [{ type: 'output_text', text: 'It is **24,467,286**.' }] }], ...ids };
    expect(answerPaths(completion, answerPattern('24467286'), 'What is 79698 * 307?')).toEqual(['output.0.content.0.text']);
  });

  test('where the answer is in two places, the shallower comes first, then the one under an answer-like key', () => {
    const completion = { type: 'agent_completed', result: { text: '24467286', response: '24467286' }, summary: { notes: { last: '24467286' } }, ...ids };
    expect(answerPaths(completion, answerPattern('24467286'), 'What is 79698 * 307?')).toEqual(['result.response', 'result.text', 'summary.notes.last']);
  });

  test("text that repeats the prompt is an echo, not an answer: a code prompt's nonce is in both", () => {
    const prompt = codePrompt('Reply with the code {{nonce}}');
    const completion = { type: 'agent_completed', task_description: prompt.prompt, final_response: `Your code is ${prompt.expectedAnswer}.`, ...ids };
    expect(answerPaths(completion, prompt.answer, prompt.prompt)).toEqual(['final_response']);
  });

  test('a canned or fallback answer carries no nonce: no path', () => {
    const completion = { type: 'agent_completed', final_response: 'I am not sure, but the answer is most likely 42.', ...ids };
    expect(answerPaths(completion, answerPattern('24467286'), 'What is 79698 * 307?')).toEqual([]);
  });

  test("a number in the run's ids or a longer number is not the answer", () => {
    const completion = { type: 'agent_completed', final_response: 'The result is 244672860.', ...ids, run_id: 'run-24467286', thread_id: '24467286' };
    expect(answerPaths(completion, answerPattern('24467286'), 'What is 79698 * 307?')).toEqual([]);
  });
});
