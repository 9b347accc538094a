import type { Finding, Observation } from '../discovery.ts';
import { deriveConversation } from './derive-conversation.ts';
import { deriveLogin } from './derive-login.ts';
import { deriveSocket, type SocketCredential } from './derive-socket.ts';
import type { FrameShape } from './frame-shape.ts';
import type { NotLearned } from './learned.ts';
import type { WebClientRecording } from './recording.ts';

/** Everything one recording taught, and what the probes of the socket need to speak it. */
export interface Lesson {
  observations: Observation[];
  notLearned: NotLearned[];
  findings: Finding[];
  /** The page's access token and user, for the probes; never written. */
  token: string | undefined;
  userId: string | undefined;
  socket: { url: string; credential: SocketCredential; query: URLSearchParams; shape: FrameShape; welcomeType: string | undefined } | undefined;
}

export function learnFromRecording(recording: WebClientRecording): Lesson {
  const login = deriveLogin(recording);
  const socket = deriveSocket(recording, login.token);
  const conversation = socket.socket ? deriveConversation(recording, socket.socket, login.userId) : undefined;
  const parts = [login, socket, ...(conversation ? [conversation] : [])];
  const secrets = [recording.typed.password, login.token].filter((secret): secret is string => Boolean(secret));
  const { observations, notLearned } = withoutSecrets(
    parts.flatMap((part) => part.observations),
    secrets,
  );
  return {
    observations,
    notLearned: [...parts.flatMap((part) => part.notLearned), ...notLearned],
    findings: parts.flatMap((part) => part.findings ?? []),
    token: login.token,
    userId: login.userId,
    socket:
      socket.url && socket.credential && conversation
        ? { url: socket.url, credential: socket.credential, query: socket.query, shape: conversation.shape, welcomeType: conversation.welcomeType }
        : undefined,
  };
}

/**
 * The first account's settings, less each one whose value the second account's recording does not repeat:
 * what differs between two users (an id, a session value) is one user's or one session's, never a constant.
 */
export function keepWhatBothShare(first: Lesson, second: Lesson): Lesson {
  const secondValues = Object.assign({}, ...second.observations.map(({ settings }) => settings)) as Record<string, string>;
  const differing: string[] = [];
  const observations = first.observations.map((observation) => {
    const settings = Object.fromEntries(
      Object.entries(observation.settings).filter(([name, value]) => {
        const shared = secondValues[name] === undefined || secondValues[name] === value;
        if (!shared) differing.push(name);
        return shared;
      }),
    );
    return { ...observation, settings };
  });
  return {
    ...first,
    observations,
    notLearned: [
      ...first.notLearned,
      ...differing.map((name) => ({ settings: [name], why: "its value differs between the two accounts' recordings: it belongs to one user or session" })),
    ],
  };
}

/** A setting that would hold the password or a token is left out (and said so): a profile never holds a secret. */
function withoutSecrets(observations: readonly Observation[], secrets: readonly string[]): { observations: Observation[]; notLearned: NotLearned[] } {
  const notLearned: NotLearned[] = [];
  const kept = observations.map((observation) => ({
    ...observation,
    settings: Object.fromEntries(
      Object.entries(observation.settings).filter(([name, value]) => {
        const secret = secrets.some((one) => value.includes(one));
        if (secret) notLearned.push({ settings: [name], why: 'the page sent a token or password there, which a profile never holds' });
        return !secret;
      }),
    ),
  }));
  return { observations: kept, notLearned };
}
