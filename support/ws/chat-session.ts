import { passwordLogin } from '../client/http.ts';
import { RecordingSocket } from './recording-socket.ts';

/** Logs the user in over HTTP and opens a socket with the subprotocol transport, welcomed and ready. */
export async function openSocketAs(service: { baseUrl: string; wsUrl: string }, user: { email: string; password: string }) {
  const { access_token } = await passwordLogin(service.baseUrl, user);
  const socket = RecordingSocket.connect(service.wsUrl, { transport: 'subprotocol', token: access_token });
  await socket.waitForType('connection_established');
  return socket;
}

/**
 * Sends a prompt and resolves with the run id once the first frame of a new run has arrived: whatever
 * its type, since a faulty service may drop or reorder agent_started.
 */
export async function startRun(socket: RecordingSocket, text: string, threadId?: string): Promise<unknown> {
  const knownRuns = new Set(socket.frames.map(({ frame }) => frame.run_id));
  const first = socket.waitFor((frame) => frame.run_id !== undefined && !knownRuns.has(frame.run_id), `the first frame of the run of "${text}"`);
  socket.send({ type: 'user_message', text, ...(threadId ? { thread_id: threadId } : {}) });
  return (await first).run_id;
}

/** Sends a prompt and resolves with the frames of its run once agent_completed has arrived. */
export async function completeRun(socket: RecordingSocket, text: string, threadId?: string) {
  const runId = await startRun(socket, text, threadId);
  await socket.waitFor((frame) => frame.type === 'agent_completed' && frame.run_id === runId, `agent_completed of "${text}"`);
  return socket.framesOfRun(runId);
}
