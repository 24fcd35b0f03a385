// Runs autocannon with a body whose "[<id>]" placeholders get a unique, fixed-length id per
// request (autocannon's own -I assumes a fixed id length and sends a wrong Content-Length
// once its ids grow). Usage: node unique-load.cjs '<json options>'; prints autocannon's JSON.
const autocannon = require('autocannon');

const opts = JSON.parse(process.argv[2]);
let n = 0;
const prefix = `${process.pid.toString(36)}${Date.now().toString(36)}`;
autocannon(
  {
    url: opts.url,
    method: opts.method,
    headers: opts.headers,
    connections: opts.connections,
    amount: opts.amount,
    ...(opts.amount ? {} : { duration: opts.durationSec }),
    requests: [
      {
        setupRequest(req) {
          const id = prefix + String(n++).padStart(10, '0');
          return { ...req, body: opts.body.replaceAll('[<id>]', id) };
        },
      },
    ],
  },
  (err, result) => {
    if (err) {
      console.error(err);
      process.exit(1);
    }
    process.stdout.write(JSON.stringify(result));
  },
);
