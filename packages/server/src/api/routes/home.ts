import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { describeRole, type NodeInfo } from '../node-info.js';

export interface HomeRoutesOptions {
  readonly node: NodeInfo;
}

/** GET /: a plain page saying what runs here, until the web app takes this path over. */
export const homeRoutes: FastifyPluginAsyncTypebox<HomeRoutesOptions> = async (app, { node }) => {
  app.get(
    '/',
    {
      schema: {
        summary: 'What is running here (HTML)',
        tags: ['system'],
        response: {
          200: { description: 'An HTML page', content: { 'text/html': { schema: Type.String() } } },
        },
      },
    },
    async (_request, reply) => reply.type('text/html; charset=utf-8').send(renderHome(node)),
  );
};

export function renderHome(node: NodeInfo): string {
  const rows: [string, string][] = [
    ['Version', node.version],
    ['Database', node.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'],
    ['Location', node.location],
    ['Node role', describeRole(node.role)],
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Nagare ${escapeHtml(node.version)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}th{text-align:left;padding-right:1.5rem;font-weight:600}td{font-family:ui-monospace,monospace}</style>
</head>
<body>
<h1>Nagare is running</h1>
<p>An open BPM suite. The web app is not here yet; the API is.</p>
<table>
${rows.map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`).join('\n')}
</table>
<ul>
<li><a href="/api/health">/api/health</a>: is this node up, and does its database answer?</li>
<li><a href="/api/docs">/api/docs</a>: the API reference (OpenAPI at <a href="/api/openapi.json">/api/openapi.json</a>)</li>
</ul>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
