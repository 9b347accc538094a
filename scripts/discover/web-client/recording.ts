/**
 * What the service's own web client did while a person's steps were played in Chromium: every HTTP
 * exchange of the page, every socket with every frame, and localStorage after the login. Plain data (no
 * class, no RegExp), so that a unit test can build one and the transcript can hold it after redaction.
 */
export interface WebClientRecording {
  /** The page the browser opened (BASE_URL). */
  pageUrl: string;
  /** What was typed: the account, and each prompt in turn with the answer it must get. */
  typed: { email: string; password: string; prompts: TypedPrompt[] };
  http: RecordedExchange[];
  sockets: RecordedWebSocket[];
  /** localStorage of the page's origin once the chat was open. */
  localStorage: Record<string, string>;
}

export interface TypedPrompt {
  prompt: string;
  expectedAnswer: string;
}

export interface RecordedExchange {
  at: number;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  /** The request body, parsed when it is JSON. */
  requestBody?: unknown;
  status?: number;
  /** The response body, parsed when it is JSON. */
  responseBody?: unknown;
}

export interface RecordedWebSocket {
  at: number;
  /** The address the page opened, query included. */
  url: string;
  /** Sec-WebSocket-Protocol as the browser offered it, split. */
  offeredProtocols: string[];
  /** The upgrade request's headers (Cookie included, when the page had one). */
  requestHeaders: Record<string, string>;
  frames: RecordedWebSocketFrame[];
}

export interface RecordedWebSocketFrame {
  at: number;
  direction: 'sent' | 'received';
  text: string;
}
