import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { normaliseFrame } from '../protocol/normalise.ts';
import { activeProtocol, type Envelope, type ProtocolProfile } from '../protocol/profile.ts';
import type { TranscriptEntry } from '../protocol/sequence.ts';

export const WS_AUTH_TRANSPORTS = ['subprotocol', 'header', 'query', 'ticket'] as const;
export type WsAuthTransport = (typeof WS_AUTH_TRANSPORTS)[number];

export type WsCredential = { transport: 'subprotocol' | 'header' | 'query'; token: string } | { transport: 'ticket'; ticket: string } | { transport: 'none' };

/** A received frame: `frame` holds its fields lifted to one level whatever the envelope; `raw` is as sent. */
export interface RecordedFrame extends TranscriptEntry {
  envelope: Envelope;
  raw: unknown;
}

export interface CloseRecord {
  code: number;
  reason: string;
  at: number;
}

export interface RefusedUpgrade {
  status: number;
  body: string;
}

const DEFAULT_WAIT_MS = 10_000;

export interface ConnectOptions {
  origin?: string;
  /** How to read the service's frames; the process's active profile by default. */
  protocol?: ProtocolProfile;
}

/**
 * An independent WebSocket client that records every frame it receives, with its arrival time, and how
 * it closed. Waiters can be set up before the action that triggers what they wait for.
 */
export class RecordingSocket {
  readonly frames: RecordedFrame[] = [];
  /** What this client sent, with the time it left. */
  readonly sent: TranscriptEntry[] = [];
  /** Resolves when the socket closes, with the close code and reason. */
  readonly closed: Promise<CloseRecord>;
  /** Resolves when the server refused the upgrade with an HTTP response; never resolves otherwise. */
  readonly refused: Promise<RefusedUpgrade>;
  /** The subprotocol the server selected, once open. */
  protocol = '';
  /** The frame that opened the service's handshake, once it is complete (see HANDSHAKE_FRAME); its values fill {{handshake.<path>}}. */
  handshake: Record<string, unknown> | undefined;

  readonly #socket: WebSocket;
  readonly #started = performance.now();
  readonly #listeners = new Set<() => void>();
  #closeRecord: CloseRecord | undefined;
  #refusal: RefusedUpgrade | undefined;

  private constructor(url: string, credential: WsCredential, options: ConnectOptions) {
    const { credentials } = options.protocol ?? activeProtocol();
    const target = new URL(url);
    for (const [name, value] of new URLSearchParams(credentials.query ?? '')) target.searchParams.set(name, value);
    const headers: Record<string, string> = { ...credentials.headers };
    let protocols: string[] = [];
    switch (credential.transport) {
      case 'subprotocol':
        protocols = credentials.subprotocols.map((template) => template.replaceAll('{{token}}', credential.token));
        break;
      case 'header':
        headers.Authorization = `Bearer ${credential.token}`;
        break;
      case 'query':
        target.searchParams.set('token', credential.token);
        break;
      case 'ticket':
        target.searchParams.set('ticket', credential.ticket);
        break;
    }
    this.#socket = new WebSocket(target, protocols, { headers, origin: options.origin, handshakeTimeout: DEFAULT_WAIT_MS });
    this.refused = new Promise((resolve) => {
      this.#socket.on('unexpected-response', (request, response: IncomingMessage) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => {
          this.#refusal = { status: response.statusCode ?? 0, body };
          resolve(this.#refusal);
          request.destroy();
        });
      });
    });
    this.closed = new Promise((resolve) => {
      this.#socket.on('close', (code, reason) => {
        this.#closeRecord = { code, reason: reason.toString(), at: this.#elapsed() };
        resolve(this.#closeRecord);
        this.#notify();
      });
    });
    this.#socket.on('error', () => {
      // A refused upgrade or a reset surfaces through `refused` and `closed`.
    });
    this.#socket.on('open', () => (this.protocol = this.#socket.protocol));
    this.#socket.on('message', (data) => {
      let raw: unknown = data.toString();
      try {
        raw = JSON.parse(raw as string);
      } catch {
        // Not JSON: normaliseFrame marks it __invalid__ and the checks report it.
      }
      const { fields, envelope } = normaliseFrame(raw, options.protocol ?? activeProtocol());
      this.frames.push({ at: this.#elapsed(), frame: fields, envelope, raw });
      this.#notify();
    });
  }

  /** How the socket closed, or the HTTP refusal of its upgrade, for the transcript; undefined while neither happened. */
  get ending(): { closed?: CloseRecord; refused?: RefusedUpgrade } {
    return { closed: this.#closeRecord, refused: this.#refusal };
  }

  static connect(url: string, credential: WsCredential, options: ConnectOptions = {}): RecordingSocket {
    return new RecordingSocket(url, credential, options);
  }

  /** Sends a frame and returns when it left, on the transcript's clock. */
  send(frame: Record<string, unknown> | string): number {
    const at = this.#elapsed();
    this.#socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    this.sent.push({ at, frame: typeof frame === 'string' ? { type: '__raw__', raw: frame } : frame });
    return at;
  }

  sendRaw(data: string | Buffer): void {
    this.#socket.send(data);
  }

  close(): void {
    if (this.#socket.readyState === WebSocket.OPEN || this.#socket.readyState === WebSocket.CONNECTING) this.#socket.close(1000);
  }

  /** The first frame (already received or still to come) that matches, or a rejection after `timeoutMs`. */
  waitFor(predicate: (frame: Record<string, unknown>) => boolean, description: string, timeoutMs = DEFAULT_WAIT_MS) {
    return this.#waitUntil(() => this.frames.find((recorded) => predicate(recorded.frame))?.frame, description, timeoutMs);
  }

  /** The first frame to arrive after this call, or a rejection after `timeoutMs` or on close. */
  waitForNext(description: string, timeoutMs = DEFAULT_WAIT_MS) {
    const seen = this.frames.length;
    return this.#waitUntil(() => this.frames[seen]?.frame, description, timeoutMs);
  }

  waitForType(type: string, timeoutMs = DEFAULT_WAIT_MS) {
    return this.waitFor((frame) => frame.type === type, `a "${type}" frame`, timeoutMs);
  }

  /** Now, on the transcript's clock: to time something this socket did not send. */
  elapsed(): number {
    return this.#elapsed();
  }

  framesOfRun(runId: unknown): Record<string, unknown>[] {
    return this.frames.filter((recorded) => recorded.frame.run_id === runId).map((recorded) => recorded.frame);
  }

  types(): string[] {
    return this.frames.map((recorded) => String(recorded.frame.type));
  }

  #waitUntil<T>(probe: () => T | undefined, description: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found !== undefined) {
          finish();
          resolve(found);
        } else if (this.#closeRecord) {
          finish();
          reject(
            new Error(
              `waited for ${description}, but the socket closed (${this.#closeRecord.code} ${this.#closeRecord.reason}); received: ${this.#receivedSummary()}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`waited ${timeoutMs} ms for ${description}; received: ${this.#receivedSummary()}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
      check();
    });
  }

  /** The types received, a repeated one counted (`heartbeat ×41`), so a wait's failure stays one readable line. */
  #receivedSummary(): string {
    const runs: Array<{ type: string; count: number }> = [];
    for (const type of this.types()) {
      const last = runs.at(-1);
      if (last?.type === type) last.count += 1;
      else runs.push({ type, count: 1 });
    }
    return runs.map(({ type, count }) => (count > 1 ? `${type} ×${count}` : type)).join(', ') || 'nothing';
  }

  #notify() {
    for (const listener of [...this.#listeners]) listener();
  }

  #elapsed() {
    return Math.round((performance.now() - this.#started) * 1000) / 1000;
  }
}
