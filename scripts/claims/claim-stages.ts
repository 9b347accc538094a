// THE table that ties what a status update talks about to the verdict stages that can support or
// refute it. Every keyword lives here, so a new phrasing is one row, and a reviewer reads one table.
import { STAGES, type Stage } from '../../support/verdict/stages.ts';

export interface Topic {
  /** How a row of the audit names what the claim is about. */
  name: string;
  keywords: RegExp;
  stages: readonly Stage[];
}

// config is left out of "every stage": a config failure is the harness's own settings, and says nothing
// about whether users can log in.
export const EVERY_STAGE = STAGES.filter((stage) => stage !== 'config');

export const TOPICS: readonly Topic[] = [
  {
    name: 'golden path',
    keywords: /golden[ -]?path|log ?in\b.*\bAI\b|\bAI responses?\b|end[ -]to[ -]end|\bE2E\b|user flows?|all systems|\bchat\b/i,
    stages: EVERY_STAGE,
  },
  { name: 'auth', keywords: /\bauth(?:entication|orization)?\b|\bJWT\b|\btokens?\b|\blog ?ins?\b|\bsign ?in\b/i, stages: ['auth', 'security'] },
  // Events travel over the socket: a socket that opens but drops tool_completed is not a working WebSocket.
  { name: 'websocket', keywords: /web ?sockets?|\bWS\b|\b1011\b/i, stages: ['websocket', 'agent-events'] },
  {
    name: 'events',
    keywords: /\bevents?\b|\bagent_(?:started|thinking|completed)\b|\btool_(?:executing|completed)\b|real[ -]?time (?:updates?|progress)|\bstreaming\b/i,
    stages: ['websocket', 'agent-events'],
  },
  { name: 'agent', keywords: /\bagents?\b/i, stages: ['agent-events', 'ai-response'] },
  {
    name: 'isolation',
    keywords:
      /isolat|multi[ -]?(?:user|tenan)|cross[ -]?(?:user|tenant)|other users?'s?|per[ -]user|concurrent users|tenants?\b|leak(?:s|ed|age)? (?:between|across)/i,
    stages: ['isolation'],
  },
  { name: 'infrastructure', keywords: /database|\bDB\b|postgres|cloud ?sql|\bredis\b|infrastructure/i, stages: ['infrastructure', 'persistence'] },
  // Readiness is the health tests, which belong to the infrastructure stage.
  { name: 'readiness', keywords: /readiness|\bhealth(?: ?checks?| endpoints?)?\b/i, stages: ['infrastructure'] },
  { name: 'persistence', keywords: /persist|\bstored\b|message history/i, stages: ['persistence'] },
  { name: 'ui', keywords: /front[ -]?end|\bUI\b|browser/i, stages: ['ui'] },
  // A slow login is what a 503 or a timeout looks like from the user's side.
  {
    name: 'latency',
    keywords:
      /latency|time ?outs?|tim(?:es|ed|ing) ?out|\b503\b|\bslow(?:er|ness)?\b|response times?|performan(?:t|ce)|\bp(?:50|90|95|99)\b|\bdelay(?:s|ed)?\b|\blate\b|\btakes? \d+(?:\.\d+)? ?(?:ms|s|seconds?)\b/i,
    stages: ['latency', 'auth'],
  },
  {
    name: 'security',
    keywords:
      /securi|\borigin\b|\bCORS\b|\bCSRF\b|\bXSS\b|inject|unauthori[sz]ed|forbidden|\b40[13]\b|refus|reject|access control|permissions?\b|(?:expired|invalid|forged|stolen) (?:tokens?|credentials?)/i,
    stages: ['security'],
  },
];

export interface Unmeasurable {
  /** Why the harness cannot judge it: shown in the audit instead of a measurement. */
  reason: string;
  keywords: RegExp;
}

/**
 * Claims that no test run can support, checked before the topics: "revenue protected because the golden
 * path works" must not borrow the golden path's PASS for its revenue half, so such a claim is never
 * counted as agreeing, whatever else it names.
 */
export const UNMEASURABLE: readonly Unmeasurable[] = [
  {
    reason: 'revenue and business impact are not measured by a test run',
    keywords: /\$\s?\d|\bMRR\b|\bARR\b|revenue|business (?:impact|value|continuity|logic|risk|status)|customer/i,
  },
  { reason: 'code-quality and compliance scores are not measured by a test run', keywords: /\bSSOT\b|compliance|architectur/i },
  { reason: 'an analysis (root cause, five whys) is not something a test run measures', keywords: /root cause|five whys|\bwhy #?\d/i },
  { reason: 'it describes an earlier state, not the one the run measured', keywords: /^\W*(?:previous(?:ly)?|before)\b/i },
];

export interface StageMapping {
  topics: string[];
  stages: Stage[];
  /** Set when the claim is one the harness cannot judge. */
  unmeasurable?: string;
}

/**
 * The topics a claim names and the stages they map to, in the verdict's order; or why it cannot be
 * judged. `subject` is the part of the claim that decides whether it can be (a table row's evidence
 * column does not).
 */
export function stagesForClaim(text: string, subject = text): StageMapping {
  const unmeasurable = UNMEASURABLE.find((row) => row.keywords.test(subject));
  if (unmeasurable) return { topics: [], stages: [], unmeasurable: unmeasurable.reason };
  const topics = TOPICS.filter((topic) => topic.keywords.test(text));
  const named = new Set(topics.flatMap((topic) => topic.stages));
  return { topics: topics.map((topic) => topic.name), stages: STAGES.filter((stage) => named.has(stage)) };
}
