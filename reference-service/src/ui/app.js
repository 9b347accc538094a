// The reference chat UI: plain browser JavaScript, no build step.
const config = JSON.parse(document.getElementById('ui-config').textContent);
const TOKEN_KEY = 'netra_access_token';
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

const loginView = document.getElementById('login-view');
const chatView = document.getElementById('chat-view');
const loginError = byTestId('login-error');
const status = byTestId('connection-status');
const messages = byTestId('messages');
const eventLog = byTestId('event-log');

let socket;
let threadId;

function show(view) {
  loginView.hidden = view !== 'login';
  chatView.hidden = view !== 'chat';
}

function append(list, className, text, attributes = {}) {
  const item = document.createElement('li');
  item.className = className;
  item.textContent = text;
  for (const [name, value] of Object.entries(attributes)) item.setAttribute(name, value);
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
    case 'agent_started': return `${frame.type} ${frame.agent_name}`;
    case 'agent_thinking': return `${frame.type}: ${frame.reasoning}`;
    case 'tool_executing': return `${frame.type} ${frame.tool_name} ${JSON.stringify(frame.tool_args)}`;
    case 'tool_completed': return `${frame.type} ${frame.tool_name} ${frame.success ? 'ok' : 'failed'} (${frame.duration_ms} ms)`;
    default: return frame.type;
  }
}

function onFrame(frame) {
  if (frame.type === 'connection_established' || frame.type === 'pong') return;
  append(eventLog, 'event', describe(frame), { 'data-testid': 'event-item', 'data-event-type': frame.type });
  if (frame.thread_id) threadId = frame.thread_id;
  if (frame.type === 'agent_completed' && config.renderAnswer) {
    append(messages, 'assistant', frame.final_response, { 'data-testid': 'assistant-message', 'data-run-id': frame.run_id });
  }
  if (frame.type === 'error') append(messages, 'error', `Error: ${frame.message}`, { 'data-testid': 'chat-error' });
}

function connect(token) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  setStatus('connecting', false);
  socket = new WebSocket(`${scheme}://${location.host}/ws`, ['jwt-auth', `jwt-auth.${token}`]);
  socket.addEventListener('message', (event) => onFrame(JSON.parse(event.data)));
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
  connect(token);
}

document.getElementById('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
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

document.getElementById('chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = byTestId('chat-input');
  const text = input.value.trim();
  if (!text || socket?.readyState !== WebSocket.OPEN) return;
  socket.send(JSON.stringify({ type: 'user_message', text, ...(threadId ? { thread_id: threadId } : {}) }));
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
