// The reference chat UI: plain browser JavaScript, no build step.
const config = JSON.parse(document.getElementById('ui-config').textContent);
// This deployment's WebSocket variant (envelopes, event names, welcome type, accepted transports, start message shape).
const protocol = JSON.parse(document.getElementById('ui-protocol').textContent);
const contractNames = Object.fromEntries(Object.entries(protocol.eventNames).map(([contract, sent]) => [sent, contract]));
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

/** A frame as the contract writes it: fields at the root and the contract's event names. */
function decode(message) {
  const { type, ...rest } = message;
  const envelope = type === protocol.welcomeType ? protocol.welcomeEnvelope : protocol.envelope;
  const fields = envelope === 'root' ? rest : (rest[envelope] ?? {});
  return { ...fields, type: contractNames[type] ?? type };
}

/** The answer's text, whether final_response is the text or an object holding it under `response`. */
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
  const text = answerText(frame.final_response);
  const streamed = streamingAnswers.get(frame.run_id);
  streamingAnswers.delete(frame.run_id);
  if (!streamed) return append(messages, 'assistant', text, { 'data-testid': 'assistant-message', 'data-run-id': frame.run_id });
  streamed.textContent = text;
  streamed.classList.remove('streaming');
  streamed.setAttribute(TEST_ID, 'assistant-message');
}

function onFrame(frame) {
  // Neither the welcome nor the connection's pongs and heartbeats are part of a conversation.
  if (frame.type === protocol.welcomeType || frame.type === 'pong' || frame.type === 'heartbeat') return;
  if (frame.type === 'agent_response_chunk') return onAnswerChunk(frame);
  append(eventLog, 'event', describe(frame), { 'data-testid': 'event-item', 'data-event-type': frame.type });
  if (frame.thread_id) threadId = frame.thread_id;
  if (frame.type === 'agent_completed' && config.renderAnswer) renderAnswer(frame);
  if (frame.type === 'error') append(messages, 'error', `Error: ${frame.message}`, { 'data-testid': 'chat-error' });
}

/** The start message in the shape this deployment reads: the contract's flat frame, or its fields under `payload`. */
function startMessage(text) {
  const thread = threadId ? { thread_id: threadId } : {};
  if (protocol.startMessage === 'payload') return { type: 'user_message', payload: { text, references: [], ...thread } };
  return { type: 'user_message', text, ...thread };
}

/** The socket URL and subprotocols for the first transport this deployment accepts that a browser can use. */
async function socketTarget(token) {
  const endpoint = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  const accepts = (transport) => protocol.wsAuthModes.includes(transport);
  if (accepts('subprotocol')) return { url: endpoint, protocols: ['jwt-auth', `jwt-auth.${token}`] };
  if (accepts('ticket')) {
    const response = await fetch('/api/websocket/ticket', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`no WebSocket ticket (${response.status})`);
    const { ticket } = await response.json();
    return { url: `${endpoint}?ticket=${encodeURIComponent(ticket)}`, protocols: [] };
  }
  if (accepts('query')) return { url: `${endpoint}?token=${encodeURIComponent(token)}`, protocols: [] };
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
  socket.addEventListener('open', () => setStatus('connected', true));
  socket.addEventListener('close', (event) => setStatus(`closed (${event.code}${event.reason ? `: ${event.reason}` : ''})`, false));
}

async function enterChat(token) {
  const response = await fetch('/auth/me', { headers: { Authorization: `Bearer ${token}` } });
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
  const response = await fetch('/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    loginError.textContent = body.message ?? `Sign-in failed (${response.status})`;
    loginError.hidden = false;
    return;
  }
  localStorage.setItem(TOKEN_KEY, body.access_token);
  await enterChat(body.access_token);
});

document.getElementById('sso-login')?.addEventListener('click', () => {
  byTestId('sso-notice').hidden = false;
});

document.getElementById('chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = byTestId('chat-input');
  const text = input.value.trim();
  if (!text || socket?.readyState !== WebSocket.OPEN) return;
  socket.send(JSON.stringify(startMessage(text)));
  append(messages, 'user', text, { 'data-testid': 'user-message' });
  input.value = '';
});

byTestId('logout').addEventListener('click', async () => {
  const token = localStorage.getItem(TOKEN_KEY);
  localStorage.removeItem(TOKEN_KEY);
  socket?.close(1000, 'signed out');
  if (token) await fetch('/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  show('login');
});

const storedToken = localStorage.getItem(TOKEN_KEY);
if (storedToken) enterChat(storedToken);
else show('login');
