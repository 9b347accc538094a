// The reference chat UI: plain browser JavaScript, no build step.
const config = JSON.parse(document.getElementById('ui-config').textContent);
// This deployment's WebSocket variant (envelopes, event names, welcome type, accepted transports, start message shape,
// type key, id names, wrapper, handshake, answer field) and its login path.
const protocol = JSON.parse(document.getElementById('ui-protocol').textContent);
const contractNames = Object.fromEntries(Object.entries(protocol.eventNames).map(([contract, sent]) => [sent, contract]));
const contractIds = Object.fromEntries(Object.entries(protocol.idNames).map(([contract, sent]) => [sent, contract]));
// The auth host (AUTH_PORT), as the page was told it; empty when the auth routes are on this host.
const authUrl = document.querySelector('meta[name="auth-url"]').content;
const HANDSHAKE_TYPES = ['handshake_response', 'handshake_complete'];
const TOKEN_KEY = 'netra_access_token';
// The attribute of this deployment's test hooks (UI_TEST_ID_ATTRIBUTE); data-testid in the contract.
const TEST_ID = config.testIdAttribute;
const byTestId = (id) => document.querySelector(`[${TEST_ID}="${id}"]`);

const loginView = document.getElementById('login-view');
const chatView = document.getElementById('chat-view');
const status = byTestId('connection-status');
const messages = byTestId('messages');
const eventLog = byTestId('event-log');

let socket;
let threadId;
// Run id → the assistant message its answer chunks are streaming into, until agent_completed.
const streamingAnswers = new Map();

function show(view) {
  loginView.hidden = view !== 'login';
  chatView.hidden = view !== 'chat';
}

function append(list, className, text, attributes = {}) {
  const item = document.createElement('li');
  item.className = className;
  item.textContent = text;
  for (const [name, value] of Object.entries(attributes)) item.setAttribute(name === 'data-testid' ? TEST_ID : name, value);
  list.append(item);
  item.scrollIntoView({ block: 'nearest' });
  return item;
}

function setStatus(text, connected) {
  status.textContent = text;
  status.classList.toggle('connected', connected);
}

function describe(frame) {
  switch (frame.type) {
    case 'agent_started':
      return `${frame.type} ${frame.agent_name}`;
    case 'agent_thinking':
      return `${frame.type}: ${frame.reasoning}`;
    case 'tool_executing':
      return `${frame.type} ${frame.tool_name} ${JSON.stringify(frame.tool_args)}`;
    case 'tool_completed':
      return `${frame.type} ${frame.tool_name} ${frame.success ? 'ok' : 'failed'} (${frame.duration_ms ?? Math.round(frame.execution_time * 1e6) / 1000} ms)`;
    default:
      return frame.type;
  }
}

/** A frame's fields: unwrapped from a system_message, flat for the handshake, else out of this deployment's envelope. */
function fieldsOf(type, rest) {
  if (protocol.eventWrapper === 'system_message' && type === 'system_message') return { type: rest.event, fields: rest.payload ?? {} };
  if (protocol.handshake !== 'off' && HANDSHAKE_TYPES.includes(type)) return { type, fields: rest };
  const envelope = type === protocol.welcomeType ? protocol.welcomeEnvelope : protocol.envelope;
  return { type, fields: envelope === 'root' ? rest : (rest[envelope] ?? {}) };
}

/** A frame as the contract writes it: its type under `type`, fields at the root, the contract's event and id names. */
function decode(message) {
  const { [protocol.typeKey]: sentType, ...rest } = message;
  const { type, fields } = fieldsOf(sentType, rest);
  const named = Object.fromEntries(Object.entries(fields).map(([name, value]) => [contractIds[name] ?? name, value]));
  return { ...named, type: contractNames[type] ?? type };
}

/** A client frame written in contract terms, as this deployment reads it: its type key, and its thread id's name at the root or under payload. */
function encode(frame) {
  const threadName = protocol.idNames.thread_id ?? 'thread_id';
  const renameThread = ({ thread_id, ...fields }) => (thread_id === undefined ? fields : { ...fields, [threadName]: thread_id });
  const { type, ...fields } = renameThread(frame);
  const body = fields.payload ? { ...fields, payload: renameThread(fields.payload) } : fields;
  return JSON.stringify({ [protocol.typeKey]: type, ...body });
}

/** The answer's text, whether the answer field holds the text or an object holding it under `response`. */
function answerText(finalResponse) {
  if (typeof finalResponse === 'string') return finalResponse;
  if (typeof finalResponse?.response === 'string') return finalResponse.response;
  return JSON.stringify(finalResponse);
}

/** Shows the answer as it streams in; agent_completed then replaces it with the whole answer. */
function onAnswerChunk(frame) {
  if (!config.renderAnswer) return;
  let message = streamingAnswers.get(frame.run_id);
  if (!message) {
    message = append(messages, 'assistant streaming', '', { 'data-testid': 'assistant-draft', 'data-run-id': frame.run_id });
    streamingAnswers.set(frame.run_id, message);
  }
  message.textContent += frame.chunk;
}

function renderAnswer(frame) {
  const text = answerText(frame[protocol.answerField]);
  const streamed = streamingAnswers.get(frame.run_id);
  streamingAnswers.delete(frame.run_id);
  if (!streamed) return append(messages, 'assistant', text, { 'data-testid': 'assistant-message', 'data-run-id': frame.run_id });
  streamed.textContent = text;
  streamed.classList.remove('streaming');
  streamed.setAttribute(TEST_ID, 'assistant-message');
}

/** The handshake: acknowledge the server's thread, and chat only once the server has completed it. */
function onHandshake(frame) {
  if (frame.type === 'handshake_response') {
    threadId = frame.thread_id;
    socket.send(encode({ type: 'handshake_acknowledged', thread_id: frame.thread_id }));
  } else {
    setStatus('connected', true);
  }
}

function onFrame(frame) {
  if (protocol.handshake !== 'off' && HANDSHAKE_TYPES.includes(frame.type)) return onHandshake(frame);
  // Neither the welcome nor the connection's pongs and heartbeats are part of a conversation.
  if (frame.type === protocol.welcomeType || frame.type === 'pong' || frame.type === 'heartbeat') return;
  if (frame.type === 'agent_response_chunk') return onAnswerChunk(frame);
  append(eventLog, 'event', describe(frame), { 'data-testid': 'event-item', 'data-event-type': frame.type });
  if (frame.thread_id) threadId = frame.thread_id;
  if (frame.type === 'agent_completed' && config.renderAnswer) renderAnswer(frame);
  // ERROR_FRAME=error-field writes the error's text under `error`.
  if (frame.type === 'error') append(messages, 'error', `Error: ${frame.message ?? frame.error}`, { 'data-testid': 'chat-error' });
}

/** The start message in the shape this deployment reads (START_MESSAGE), in contract terms. */
function startMessage(text) {
  const thread = threadId ? { thread_id: threadId } : {};
  switch (protocol.startMessage) {
    case 'payload':
      return { type: 'user_message', payload: { text, references: [], ...thread } };
    case 'payload-content':
      // Its run_id is the client's own label for the turn; the server runs under an id of its own.
      return { type: 'user_message', payload: { content: text, ...thread, run_id: `ui-${crypto.randomUUID()}`, timestamp: Date.now() / 1000 } };
    case 'nested':
      return { type: 'chat.send', message: { role: 'user', content: [{ type: 'text', text }] }, ...thread };
    default:
      return { type: 'user_message', text, ...thread };
  }
}

/** The socket URL and subprotocols for the first transport this deployment accepts that a browser can use. */
async function socketTarget(token) {
  const endpoint = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  const accepts = (transport) => protocol.wsAuthModes.includes(transport);
  // WS_AUTH_ENV: the credential names the environment it is for.
  const env = protocol.authEnv;
  if (accepts('subprotocol')) return { url: endpoint, protocols: env ? [`jwt.${env}.${token}`] : ['jwt-auth', `jwt-auth.${token}`] };
  if (accepts('ticket')) {
    const response = await fetch('/api/websocket/ticket', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`no WebSocket ticket (${response.status})`);
    const ticket = (await response.json())[protocol.ticketField];
    return { url: `${endpoint}?ticket=${encodeURIComponent(ticket)}`, protocols: [] };
  }
  if (accepts('query')) return { url: `${endpoint}?token=${encodeURIComponent(token)}${env ? `&env=${encodeURIComponent(env)}` : ''}`, protocols: [] };
  // A browser cannot set the Authorization header of a WebSocket.
  throw new Error('this service accepts only the Authorization header, which a browser cannot send');
}

async function connect(token) {
  setStatus('connecting', false);
  let target;
  try {
    target = await socketTarget(token);
  } catch (error) {
    return setStatus(`cannot connect: ${error.message}`, false);
  }
  socket = new WebSocket(target.url, target.protocols);
  socket.addEventListener('message', (event) => onFrame(decode(JSON.parse(event.data))));
  // Under the handshake the socket is ready for a message only once the server has completed it.
  socket.addEventListener('open', () => setStatus(protocol.handshake === 'off' ? 'connected' : 'handshaking', protocol.handshake === 'off'));
  socket.addEventListener('close', (event) => setStatus(`closed (${event.code}${event.reason ? `: ${event.reason}` : ''})`, false));
}

async function enterChat(token) {
  const response = await fetch(`${authUrl}/auth/me`, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) {
    localStorage.removeItem(TOKEN_KEY);
    return show('login');
  }
  const user = await response.json();
  byTestId('current-user').textContent = user.email;
  show('chat');
  await connect(token);
}

// Absent with UI_LOGIN=oauth: the page then offers only an SSO placeholder.
document.getElementById('login-form')?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const loginError = byTestId('login-error');
  loginError.hidden = true;
  const form = new FormData(event.target);
  const response = await fetch(`${authUrl}${protocol.loginPath}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    loginError.textContent = body.message ?? body.error ?? `Sign-in failed (${response.status})`;
    loginError.hidden = false;
    return;
  }
  // LOGIN_RESPONSE=token answers the access token as `token`.
  const token = body.access_token ?? body.token;
  localStorage.setItem(TOKEN_KEY, token);
  await enterChat(token);
});

document.getElementById('sso-login')?.addEventListener('click', () => {
  byTestId('sso-notice').hidden = false;
});

document.getElementById('chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = byTestId('chat-input');
  const text = input.value.trim();
  if (!text || socket?.readyState !== WebSocket.OPEN) return;
  socket.send(encode(startMessage(text)));
  append(messages, 'user', text, { 'data-testid': 'user-message' });
  input.value = '';
});

byTestId('logout').addEventListener('click', async () => {
  const token = localStorage.getItem(TOKEN_KEY);
  localStorage.removeItem(TOKEN_KEY);
  socket?.close(1000, 'signed out');
  if (token) await fetch(`${authUrl}/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  show('login');
});

const storedToken = localStorage.getItem(TOKEN_KEY);
if (storedToken) enterChat(storedToken);
else show('login');
