// A lean closed-loop HTTP/1.1 load generator for bodies that must differ per request: each of
// `connections` keep-alive sockets sends one request, waits for the whole answer, and sends
// the next, until `amount` requests are answered. "[<id>]" in the body becomes a unique
// fixed-length id. (autocannon's -I assumes a fixed id length and sends a wrong Content-Length
// once its ids grow; its per-request setupRequest path costs the generator half its speed.)
// Usage: node unique-load.cjs '<json options>'; prints autocannon-shaped JSON.
const net = require('node:net');

const opts = JSON.parse(process.argv[2]);
const url = new URL(opts.url);
const prefix = `${process.pid.toString(36)}${Date.now().toString(36)}`.slice(-10).padStart(10, '0');
const head = [`${opts.method ?? 'GET'} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, 'Connection: keep-alive'];
for (const [k, v] of Object.entries(opts.headers ?? {})) head.push(`${k}: ${v}`);
const parts = (opts.body ?? '').split('[<id>]');

let next = 0;
let answered = 0;
let ok2xx = 0;
let non2xx = 0;
let errors = 0;
const latencies = new Float64Array(opts.amount);
const started = process.hrtime.bigint();

// "[<vid>]" becomes a visitor id shared by `perVisitor` consecutive requests (a visitor views
// several pages); "[<id>]" is unique per request
const perVisitor = opts.perVisitor ?? 1;
function request(i) {
  const id = prefix + String(i).padStart(12, '0');
  const vid = prefix + String(Math.floor(i / perVisitor)).padStart(12, '0');
  const body = parts.join(id).replaceAll('[<vid>]', vid);
  return `${head.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

function finish() {
  const duration = Number(process.hrtime.bigint() - started) / 1e9;
  const sorted = Array.from(latencies.subarray(0, answered)).sort((a, b) => a - b);
  const pct = (p) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] * 100) / 100 : 0);
  process.stdout.write(
    JSON.stringify({
      duration,
      requests: { total: answered, average: answered / duration },
      '2xx': ok2xx,
      non2xx,
      errors,
      timeouts: 0,
      latency: { p50: pct(50), p99: pct(99), max: pct(100) },
    }),
  );
  process.exit(0);
}

function connection() {
  const socket = net.connect(Number(url.port), url.hostname);
  socket.setNoDelay(true);
  let buffer = '';
  let sentAt = 0n;
  let index = -1;
  const send = () => {
    if (next >= opts.amount) {
      socket.end();
      return;
    }
    index = next++;
    sentAt = process.hrtime.bigint();
    socket.write(request(index));
  };
  socket.setEncoding('latin1');
  socket.on('connect', send);
  socket.on('data', (chunk) => {
    buffer += chunk;
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const header = buffer.slice(0, end);
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(header)?.[1] ?? 0);
      if (buffer.length < end + 4 + length) return;
      buffer = buffer.slice(end + 4 + length);
      const status = Number(header.slice(9, 12));
      latencies[answered++] = Number(process.hrtime.bigint() - sentAt) / 1e6;
      if (status >= 200 && status < 300) ok2xx++;
      else non2xx++;
      if (answered === opts.amount) return finish();
      send();
    }
  });
  socket.on('error', () => {
    errors++;
    if (answered + errors >= opts.amount) finish();
  });
}

for (let c = 0; c < Math.min(opts.connections, opts.amount); c++) connection();
