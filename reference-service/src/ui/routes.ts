import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';

const asset = (name: string) => readFile(new URL(name, import.meta.url), 'utf8');

/** The login and chat page. Its one setting, whether the answer is rendered, exists for the ui_no_render fault. */
export async function registerUiRoutes(app: FastifyInstance, config: { renderAnswer: boolean }) {
  const [html, script, style] = await Promise.all([asset('index.html'), asset('app.js'), asset('style.css')]);
  const page = html.replace('__UI_CONFIG__', JSON.stringify(config));
  app.get('/', (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  app.get('/app.js', (_request, reply) => reply.type('text/javascript; charset=utf-8').send(script));
  app.get('/style.css', (_request, reply) => reply.type('text/css; charset=utf-8').send(style));
}
