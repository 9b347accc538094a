import WebSocket from 'ws';

export type SentFrame = Record<string, any>;

const DEFAULT_WAIT_MS = 10_000;

/**
 * A WebSocket client for the shapes' tests that keeps every frame exactly as the service sent it: the
 * harness's own client reads frames through its protocol profile, which is what these shapes change.
 */
export class FrameSocket {
  readonly frames: SentFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  /** The subprotocol the server selected, once open. */
  protocol = '';
  readonly #socket: WebSocket;
  readonly #listeners = new Set<() => void>();
  #isClosed = false;

  constructor(url: string, options: { protocols?: string[]; headers?: Record<string, string> } = {}) {
    this.#socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers, handshakeTimeout: DEFAULT_WAIT_MS });
    this.#socket.on('open', () => (this.protocol = this.#socket.protocol));
    this.#socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()));
      for (const listener of this.#listeners) listener();
    });
    this.#socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      this.#socket.on('close', (code, reason) => {
        this.#isClosed = true;
        for (const listener of this.#listeners) listener();
        resolve({ code, reason: reason.toString() });
      }),
    );
  }

  /** The first frame from index `from` on that matches; fails when the socket closes or time runs out first. */
  waitFor(predicate: (frame: SentFrame) => boolean, description: string, from = 0, timeoutMs = DEFAULT_WAIT_MS): Promise<SentFrame> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = this.frames.slice(from).find(predicate);
        if (match) return done(() => resolve(match));
        if (this.#isClosed) return done(() => reject(new Error(`the socket closed before ${description}; frames: ${JSON.stringify(this.frames)}`)));
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`no ${description} within ${timeoutMs} ms; frames: ${JSON.stringify(this.frames)}`))),
        timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        settle();
      };
      this.#listeners.add(check);
      check();
    });
  }

  /** Sends a frame and resolves with every frame sent after it, up to the first that matches `last`. */
  async exchange(frame: unknown, last: (sent: SentFrame) => boolean, description: string): Promise<SentFrame[]> {
    const from = this.frames.length;
    this.send(frame);
    const end = await this.waitFor(last, description, from);
    return this.frames.slice(from, this.frames.indexOf(end, from) + 1);
  }

  send(frame: unknown): void {
    this.#socket.send(JSON.stringify(frame));
  }

  sendRaw(text: string): void {
    this.#socket.send(text);
  }

  close(): void {
    this.#socket.close();
  }
}
