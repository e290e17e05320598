// A tiny, dependency-free static file server for the built site (dist/), used by
// Playwright's `webServer`. Usage: node serve-dist.mjs [port] [dir]
// Defaults: port 8093 (or $PORT), dir ../../dist relative to this file.
// With CORS=1 every response also carries `Access-Control-Allow-Origin: *`
// and nothing else, as common static hosts send: what a strict-sandbox embed
// (sandbox="allow-scripts", an opaque origin) needs. With GZIP=1 responses are
// gzipped for clients that accept it, as static hosts do: what the load
// benchmark needs to time a first visit over a slow network.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const port = Number(process.argv[2] ?? process.env.PORT ?? 8093);
const root = resolve(process.argv[3] ?? join(here, '..', '..', 'dist'));
const host = '127.0.0.1';
const cors = process.env.CORS === '1' ? { 'access-control-allow-origin': '*' } : {};
const gzip = process.env.GZIP === '1';
/** Gzipped bodies by path (dist/ does not change while served). */
const gzipped = new Map();

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? '/', `http://${host}`);
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    let path = normalize(join(root, rel));
    if (path !== root && !path.startsWith(root + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    if (!(await isFile(path))) {
      // Unknown path without a file extension: serve the app (client-side routes).
      if (extname(rel) === '') {
        path = join(root, 'index.html');
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
    }
    let body = await readFile(path);
    const packed = gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    if (packed) {
      if (!gzipped.has(path)) gzipped.set(path, gzipSync(body, { level: 9 }));
      body = gzipped.get(path);
    }
    res.writeHead(200, {
      'content-type': MIME[extname(path).toLowerCase()] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': 'no-store',
      ...(packed ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}),
      ...cors,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (err) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
  }
});

server.listen(port, host, () => {
  console.log(`serving ${root} at http://${host}:${port}/`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
