/** HTML of the demo storefront. Plain markup and a little script, like a Shopify theme. */
const layout = (body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Moat demo storefront</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1f2330;background:#f6f7fb}
header{background:#1f2330;color:#fff;padding:12px 24px;display:flex;justify-content:space-between}
main{display:grid;grid-template-columns:minmax(0,1fr) 380px;gap:24px;padding:24px;max-width:1200px;margin:auto}
section,aside{background:#fff;border-radius:8px;padding:20px;box-shadow:0 1px 3px #0001}
form{display:grid;gap:8px;margin:16px 0}input,textarea,button,select{font:inherit;padding:8px;border:1px solid #ccd;border-radius:6px}
button{background:#4945ff;color:#fff;border:0;cursor:pointer}
#events li{border-bottom:1px solid #eee;padding:6px 0;font-size:13px}code{background:#eef;padding:1px 4px;border-radius:3px}
.note{background:#eef7ee;padding:8px 12px;border-radius:6px}
</style>
<meta property="og:type" content="product"><meta property="og:title" content="Bamboo serving tray">
<meta property="product:price:amount" content="12.99"><meta property="product:price:currency" content="USD">
<script>window.Shopify={shop:'bamboo-demo.myshopify.com'};/* as on every Shopify storefront: the tracker loads its Shopify add-on */</script>
<script async src="/moat/t.js" data-site="demo"></script>
</head><body><header><strong>Bamboo &amp; Co. (demo)</strong><span id="cart-count">Cart: 0</span></header>${body}</body></html>`;

export function demoPage(posted?: string) {
  return layout(`<main><section>
${posted ? `<p class="note">Thanks, your ${posted === 'rfq' ? 'quote request' : 'message'} was sent.</p>` : ''}
<h1>Bamboo serving tray</h1>
<p>Food-safe bamboo, 40 x 28 cm. MOQ 200 pcs for wholesale.</p>
<form id="add" action="/moat/demo/cart/add" method="post"><input type="hidden" name="id" value="4242">
<label>Quantity <input name="quantity" type="number" value="1" min="1"></label><button>Add to cart</button></form>
<button id="more" type="button">+1 (cart/change.js)</button>
<h2>Request a quote</h2>
<form id="rfq" action="/moat/demo/rfq" method="post" data-moat-form="inquiry">
<input name="name" placeholder="Your name" required><input name="email" type="email" placeholder="Email" required>
<input name="company" placeholder="Company"><input name="quantity" placeholder="Quantity">
<textarea name="message" placeholder="What do you need?"></textarea><button>Request a quote</button></form>
<h2>Contact</h2>
<form id="contact" action="/moat/demo/contact" method="post"><input type="hidden" name="form_type" value="contact">
<input name="contact[email]" type="email" placeholder="Email" required><textarea name="contact[body]" placeholder="Message"></textarea>
<button>Send</button></form>
</section>
<aside><h2>What Moat stored</h2><p>Your visitor id: <code id="vid">…</code><br>Customer: <code id="cust">anonymous</code></p>
<ol id="events"></ol><p style="font-size:12px;color:#666">Events leave the page in small batches (and at once when you leave or hide it).</p></aside></main>
<script>
const count=(n)=>{document.getElementById('cart-count').textContent='Cart: '+n};
document.getElementById('add').addEventListener('submit',async(e)=>{e.preventDefault();
  const r=await fetch('/moat/demo/cart/add.js',{method:'POST',body:new FormData(e.target)});count((await r.json()).item_count)});
document.getElementById('more').addEventListener('click',async()=>{
  const r=await fetch('/moat/demo/cart/change.js',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({line:1,quantity:2})});count((await r.json()).item_count)});
async function poll(){try{const vid=localStorage.getItem('moat_vid');document.getElementById('vid').textContent=vid||'(not yet)';
  if(vid){const d=await (await fetch('/moat/demo/events?visitor='+vid)).json();document.getElementById('cust').textContent=d.customer||'anonymous';
  document.getElementById('events').innerHTML=d.events.map(e=>'<li><b>'+e.type+'</b> '+(e.path||'')+' <small>'+(e.source_channel||'')+'</small></li>').join('')}}catch(e){}
  setTimeout(poll,1500)}
poll();
</script>`);
}

export function thanksPage(kind: string) {
  return layout(`<main><section><p class="note">Thanks, your ${kind === 'rfq' ? 'quote request' : 'message'} was sent.</p>
<p><a href="/moat/demo">Back to the product</a></p></section><aside></aside></main>`);
}
