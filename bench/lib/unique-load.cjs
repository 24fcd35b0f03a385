// A lean closed-loop HTTP/1.1 load generator for bodies that must differ per request: each of
// `connections` keep-alive sockets sends one request, waits for the whole answer, and sends
// the next. "[<id>]" in the body becomes a unique fixed-length id. (autocannon's -I assumes a
// fixed id length and sends a wrong Content-Length once its ids grow; its per-request
// setupRequest path costs the generator half its speed.)
//
// Warm-up: with `warmup` > 0, measuring starts only once at least `warmup` requests are
// answered AND every socket has had its first answer; then exactly `amount` requests are
// measured. A server busy with the first sockets' traffic serves a new socket's first
// request up to seconds late (measured: one new socket per event-loop turn); counting that
// start-up would measure connection set-up, not the steady state, and leave part of the
// sockets idle in a short run.
// Usage: node unique-load.cjs '<json options>'; prints autocannon-shaped JSON. "2xx" and
// "non2xx" count every answer, warm-up included; requests and latency the measured ones.
const net = require('node:net');

const opts = JSON.parse(process.argv[2]);
const url = new URL(opts.url);
const prefix = `${process.pid.toString(36)}${Date.now().toString(36)}`.slice(-10).padStart(10, '0');
const head = [`${opts.method ?? 'GET'} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, 'Connection: keep-alive'];
for (const [k, v] of Object.entries(opts.headers ?? {})) head.push(`${k}: ${v}`);
const parts = (opts.body ?? '').split('[<id>]');

const warmup = opts.warmup ?? 0;
const sockets = Math.min(opts.connections, warmup > 0 ? opts.connections : opts.amount);
let measuring = warmup === 0;
let started = process.hrtime.bigint();
let next = 0;
let measuredSent = 0;
let measured = 0;
let answered = 0;
let firstAnswers = 0;
let ok2xx = 0;
let non2xx = 0;
let errors = 0;
const latencies = new Float64Array(opts.amount);

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
  const sorted = Array.from(latencies.subarray(0, measured)).sort((a, b) => a - b);
  const pct = (p) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] * 100) / 100 : 0);
  process.stdout.write(
    JSON.stringify({
      duration,
      requests: { total: measured, average: measured / duration },
      '2xx': ok2xx,
      non2xx,
      errors,
      timeouts: 0,
      latency: { p50: pct(50), p90: pct(90), p99: pct(99), max: pct(100) },
    }),
  );
  process.exit(0);
}

function connection() {
  const socket = net.connect(Number(url.port), url.hostname);
  socket.setNoDelay(true);
  let buffer = '';
  let sentAt = 0n;
  let isMeasured = false;
  let answers = 0;
  const send = () => {
    if (measuring && measuredSent >= opts.amount) {
      socket.end();
      return;
    }
    isMeasured = measuring;
    if (isMeasured) measuredSent++;
    sentAt = process.hrtime.bigint();
    socket.write(request(next++));
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
      answered++;
      if (answers++ === 0) firstAnswers++;
      if (status >= 200 && status < 300) ok2xx++;
      else non2xx++;
      if (isMeasured) {
        latencies[measured++] = Number(process.hrtime.bigint() - sentAt) / 1e6;
        if (measured === opts.amount) return finish();
      } else if (!measuring && answered >= warmup && firstAnswers + errors >= sockets) {
        measuring = true;
        started = process.hrtime.bigint();
      }
      send();
    }
  });
  socket.on('error', () => {
    errors++;
    if (errors >= sockets || (measuring && measured + errors >= opts.amount)) finish();
  });
}

for (let c = 0; c < sockets; c++) connection();
