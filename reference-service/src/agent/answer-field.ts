import type { FinalResponse } from './answer-shape.ts';

/** The field of agent_completed that holds the answer: the contract's `final_response`, or `result` / `response` as other services name it. */
export const ANSWER_FIELDS = ['final_response', 'result', 'response'] as const;
export type AnswerField = (typeof ANSWER_FIELDS)[number];

export type AnswerFields = Partial<Record<AnswerField, FinalResponse>>;

export function answerUnder(field: AnswerField, answer: FinalResponse): AnswerFields {
  return { [field]: answer };
}
