/** The agent's answer: its text, and the tools it called to reach it. */
export interface Answer {
  text: string;
  tools: string[];
}

/** How agent_completed carries the answer: the contract's text, or an object with the text under `response`, as the real product's supervisor sends it. */
export const ANSWER_SHAPES = ['string', 'object'] as const;
export type AnswerShape = (typeof ANSWER_SHAPES)[number];

export type FinalResponse = string | { response: string; status: 'success'; metadata: { tools: string[] } };

export function finalResponse(answer: Answer, shape: AnswerShape): FinalResponse {
  return shape === 'string' ? answer.text : { response: answer.text, status: 'success', metadata: { tools: answer.tools } };
}
