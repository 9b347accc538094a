import { randomUUID } from 'node:crypto';
import { test, expect } from '../../fixtures/index.ts';
import { goldenPrompt } from '../../support/golden-path/nonce.ts';
import { awaitCompletion, openWelcomed } from '../../support/golden-path/run-observer.ts';
import { awaitOwnRun, sendTurn, startMessage, startMessageNamesThread, withAccountTurn } from '../../support/golden-path/turn.ts';
import { signIn } from '../../support/client/session.ts';
import { inStage } from '../../support/verdict/in-stage.ts';

const RUN_WAIT_MS = 15_000;
const WELCOME_WAIT_MS = 5000;
/** After the refusal, how long nothing more of the intruder's message may arrive anywhere. */
const QUIET_AFTER_REFUSAL_MS = 500;

// A conversation let into once by another user is a finding, whatever a second attempt does.
test.describe.configure({ retries: 0 });

test.describe('thread ownership', { tag: ['@smoke'] }, () => {
  test("a user cannot post into another user's conversation, nor read it", async ({ chatService, testUser, secondUser, chatSocket, settings }) => {
    const [owner, intruder] = await inStage('auth', 'both users log in', () =>
      Promise.all([signIn(chatService.baseUrl, testUser, settings.login), signIn(chatService.baseUrl, secondUser, settings.login)]),
    );
    const [ownerSocket, intruderSocket] = await inStage('websocket', 'each opens a socket', () =>
      Promise.all([openWelcomed(chatSocket, owner, WELCOME_WAIT_MS), openWelcomed(chatSocket, intruder, WELCOME_WAIT_MS)]),
    );
    test.skip(
      !startMessageNamesThread(settings.protocol),
      'START_MESSAGE names no thread ({{thread_id}} or {{handshake.thread_id}}): the harness cannot name a conversation',
    );
    const ownerPrompt = goldenPrompt(settings.goldenPrompt);
    const { runId: ownerRun, threadId } = await inStage('agent-events', 'the owner has a conversation in a thread of its own', () =>
      withAccountTurn(settings.target, testUser.email, async () => {
        const turn = sendTurn(ownerSocket, ownerPrompt, owner.userId);
        const { runId } = await awaitOwnRun(ownerSocket, turn, RUN_WAIT_MS);
        await awaitCompletion(ownerSocket, runId, RUN_WAIT_MS);
        expect(ownerSocket).toHaveCompleteRun({ runId, userId: owner.userId, threadId: turn.threadId });
        return { runId, threadId: turn.threadId! };
      }),
    );

    // Both accounts' turns are held: on a shared target, another test's run of either account would look like this message's.
    await inStage('security', "the other user's message naming that thread is refused, and no run starts in it", () =>
      withAccountTurn(settings.target, testUser.email, () =>
        withAccountTurn(settings.target, secondUser.email, async () => {
          const ownerFramesBefore = ownerSocket.frames.length;
          const framesBefore = new Set(intruderSocket.frames.map(({ frame }) => frame));
          // Heartbeats and the like are no answer: an error, a close, or a frame of a run is.
          const reply = intruderSocket.waitFor(
            (frame) => !framesBefore.has(frame) && (frame.type === 'error' || frame.run_id !== undefined),
            'an answer to the message naming the foreign thread',
            RUN_WAIT_MS,
          );
          // The owner's thread where the intruder's own would go, whether the harness chose it or a handshake handed it out.
          const intrusion = startMessage(goldenPrompt(settings.goldenPrompt).prompt, { threadId, requestId: randomUUID() }, settings.protocol, {
            ...intruderSocket.handshake,
            thread_id: threadId,
          });
          const sentAt = intruderSocket.send(intrusion);
          const answered = await reply.catch((error: Error) => (intruderSocket.ending.closed ? undefined : Promise.reject(error)));
          await new Promise((resolve) => setTimeout(resolve, QUIET_AFTER_REFUSAL_MS));
          const answer = intruderSocket.frames.filter(({ at }) => at >= sentAt).map(({ frame }) => frame);
          const runFrames = answer.filter((frame) => frame.type !== 'error' && frame.run_id !== undefined);
          expect(
            runFrames,
            `the service ran the message in thread ${threadId} of user ${owner.userId}: ${runFrames.map((frame) => frame.type).join(', ')}`,
          ).toEqual([]);
          expect(
            answered === undefined || answered.type === 'error',
            `the service neither refused the message nor closed the socket; it sent: ${answer.map((frame) => frame.type).join(', ') || 'nothing'}`,
          ).toBe(true);
          // Frames of no run (heartbeats) aside, anything of a run or of the thread is the intruder's message reaching the owner.
          const reachedOwner = ownerSocket.frames
            .slice(ownerFramesBefore)
            .map(({ frame }) => frame)
            .filter((frame) => frame.run_id !== undefined || frame.thread_id === threadId);
          expect(reachedOwner, "the owner's socket received something of the other user's message").toEqual([]);
        }),
      ),
    );
    await inStage('isolation', "the other user received nothing of the owner's conversation", async () => {
      expect(intruderSocket.framesOfRun(ownerRun)).toEqual([]);
      expect(intruderSocket.frames.filter(({ frame }) => JSON.stringify(frame).includes(ownerPrompt.needle))).toEqual([]);
      expect(intruderSocket).toBeOwnedBy(intruder.userId);
    });
  });
});
