import { test, expect } from '../../fixtures/index.ts';
import type { ChatSocketFactory } from '../../fixtures/chat-socket.ts';
import { answerAt } from '../../support/golden-path/answer.ts';
import { goldenPrompt } from '../../support/golden-path/nonce.ts';
import { awaitCompletion, openWelcomed } from '../../support/golden-path/run-observer.ts';
import { awaitOwnRun, sendTurn, withAccountTurn } from '../../support/golden-path/turn.ts';
import { signIn, type Session } from '../../support/client/session.ts';
import type { HarnessSettings } from '../../support/config/settings.ts';
import { inStage } from '../../support/verdict/in-stage.ts';
import type { RecordingSocket } from '../../support/ws/recording-socket.ts';

const WAIT_MS = 5000;
const RUN_WAIT_MS = 15_000;
/** The contract's frame limit: larger frames are closed with 1009. */
const MAX_FRAME_BYTES = 64 * 1024;
/** Close codes that answer a bad frame on purpose; 1006 (no close frame) and 1011 (server error) are crashes. */
const DELIBERATE_CLOSES = new Set([1000, 1002, 1003, 1007, 1008, 1009]);

// A service that fell over once on a hostile frame has a finding, whatever a second attempt does.
test.describe.configure({ retries: 0 });

/** What the service did with a frame it must not act on: an error frame or a deliberate close is an answer; silence or a crash is not. */
async function answerTo(socket: RecordingSocket, frame: string): Promise<string | undefined> {
  const reply = socket.waitForNext('an answer to the hostile frame', WAIT_MS).catch(() => undefined);
  socket.send(frame);
  const answer = await reply;
  if (answer?.type === 'error') return undefined;
  const closed = socket.ending.closed ?? (await Promise.race([socket.closed, new Promise<undefined>((resolve) => setTimeout(resolve, WAIT_MS))]));
  if (closed && (DELIBERATE_CLOSES.has(closed.code) || (closed.code >= 4000 && closed.code <= 4999))) return undefined;
  if (closed)
    return `the socket ended with ${closed.code}${closed.reason ? ` "${closed.reason}"` : ''}, not an error frame or a deliberate close: the service failed on it`;
  return `the service answered ${answer ? String(answer.type) : 'nothing'} within ${WAIT_MS} ms, not an error frame or a close`;
}

/** A whole golden path on a new socket: the service that met the hostile frame still serves the next user. */
async function expectNextGoldenPath(chatSocket: ChatSocketFactory, settings: HarnessSettings, email: string, session: Session) {
  const socket = await openWelcomed(chatSocket, session, WAIT_MS);
  const golden = goldenPrompt(settings.goldenPrompt);
  await withAccountTurn(settings.target, email, async () => {
    const turn = sendTurn(socket, golden, session.userId);
    const { runId } = await awaitOwnRun(socket, turn, RUN_WAIT_MS);
    const completion = await awaitCompletion(socket, runId, RUN_WAIT_MS);
    expect(socket).toHaveCompleteRun({ runId, userId: session.userId, threadId: turn.threadId });
    expect(answerAt(completion!), 'the run after the hostile frame').toMatch(golden.answer);
  });
}

test.describe('hostile frames', () => {
  // Smoke: a JSON frame of a type the service does not know is what any client of another version sends.
  test(
    'a frame of an unknown type gets an error frame or a close, and the service serves the next golden path',
    { tag: ['@smoke'] },
    async ({ chatService, testUser, chatSocket, settings }) => {
      const session = await inStage('auth', 'the user logs in', () => signIn(chatService.baseUrl, testUser, settings.login));
      const socket = await inStage('websocket', 'a socket opens and is welcomed', () => openWelcomed(chatSocket, session, WAIT_MS));
      await inStage('security', 'a frame of type "no_such_frame_type" is answered with an error frame or a close', async () => {
        expect(await answerTo(socket, JSON.stringify({ type: 'no_such_frame_type', payload: {} }))).toBeUndefined();
      });
      await inStage('security', 'the next golden path on a new socket still passes', () => expectNextGoldenPath(chatSocket, settings, testUser.email, session));
    },
  );

  // Not smoke: these are the frames that crash a fragile parser, and a crash would take a shared staging down for everyone.
  test('a frame that is not JSON and a frame over 64 KiB are answered, never crash the service, and the next golden path passes', async ({
    chatService,
    testUser,
    chatSocket,
    settings,
  }) => {
    const session = await inStage('auth', 'the user logs in', () => signIn(chatService.baseUrl, testUser, settings.login));
    const [garbled, oversized] = await inStage('websocket', 'two sockets open and are welcomed', () =>
      Promise.all([openWelcomed(chatSocket, session, WAIT_MS), openWelcomed(chatSocket, session, WAIT_MS)]),
    );
    await inStage('security', 'a frame that is not JSON is answered with an error frame or a close', async () => {
      expect(await answerTo(garbled, '{"type": "user_message", "text": ')).toBeUndefined();
    });
    await inStage('security', 'a frame over 64 KiB is closed with 1009', async () => {
      oversized.send(JSON.stringify({ type: 'ping', padding: 'x'.repeat(MAX_FRAME_BYTES) }));
      const closed = await Promise.race([oversized.closed, new Promise<undefined>((resolve) => setTimeout(resolve, WAIT_MS))]);
      expect(
        closed?.code,
        `a ${MAX_FRAME_BYTES + 30}-byte frame: ${closed ? `closed with ${closed.code}` : `the socket stayed open, having sent ${oversized.types().join(', ')}`}`,
      ).toBe(1009);
    });
    await inStage('security', 'the next golden path on a new socket still passes', () => expectNextGoldenPath(chatSocket, settings, testUser.email, session));
  });
});
