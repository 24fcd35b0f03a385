// The baseline server of bench:collect: Koa answering 204 to everything, in its own process
// (a clean heap, as a bare server has; sharing the bench process with a booted Strapi made it
// measure ~30 % slower). Prints its port; exits when its stdin closes.
const Koa = require('koa');

const app = new Koa();
app.silent = true;
app.use((ctx) => {
  ctx.status = 204;
});
const server = app.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
