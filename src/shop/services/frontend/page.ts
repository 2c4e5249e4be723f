// The storefront page: one HTML shell, the view chosen by the URL path in the
// browser. The client script builds every node with textContent and
// setAttribute, never innerHTML, so product and ad text cannot inject markup.

export const PAGE_PATHS = /^\/(?:|product\/[A-Za-z0-9_-]{1,64}|cart|checkout)$/;

export const PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>OTel Lab Shop</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f6f7fb;color:#1d2330}
header{display:flex;gap:1rem;align-items:center;padding:.8rem 1.5rem;background:#263159;color:#fff}
header a{color:#fff;text-decoration:none;font-weight:600}header .grow{flex:1}
main{max-width:1000px;margin:1.5rem auto;padding:0 1rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:1rem}
.card{background:#fff;border-radius:10px;padding:.8rem;box-shadow:0 1px 3px #0002}
.card img{width:100%;border-radius:8px}.card a{color:inherit;text-decoration:none}
.product{display:flex;gap:1.5rem;flex-wrap:wrap}.product img{width:300px;border-radius:10px}
.ad{background:#fff3c4;padding:.6rem 1rem;border-radius:8px;margin:1rem 0}
.err{background:#ffd9d9;padding:.6rem 1rem;border-radius:8px}
button{background:#263159;color:#fff;border:0;border-radius:6px;padding:.5rem 1rem;cursor:pointer}
label{display:block;margin:.4rem 0}input{padding:.3rem;width:16rem}
</style></head>
<body><header><a href="/">OTel Lab Shop</a><span class="grow"></span>
<select id="currency" aria-label="currency"></select><a href="/cart">Cart</a></header>
<main id="app">Loading...</main>
<script src="/static/shop.js"></script></body></html>`;

export const CLIENT_JS = String.raw`'use strict';
(function () {
  const app = document.getElementById('app');
  const sel = document.getElementById('currency');
  const session = localStorage.getItem('sessionId') || crypto.randomUUID();
  localStorage.setItem('sessionId', session);
  let currency = localStorage.getItem('currency') || 'USD';

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') e.textContent = v;
      else if (k === 'onclick') e.addEventListener('click', v);
      else e.setAttribute(k, v);
    }
    for (const c of children || []) e.appendChild(c);
    return e;
  }
  function money(m) {
    return (m.units + m.nanos / 1e9).toFixed(2) + ' ' + m.currencyCode;
  }
  async function api(path, opts) {
    const res = await fetch(path, opts);
    if (res.status === 204) return null;
    const body = await res.json();
    if (!res.ok) throw new Error(body.error || res.statusText);
    return body;
  }
  function show(...nodes) {
    app.replaceChildren(...nodes);
  }
  function fail(err) {
    show(el('p', { class: 'err', text: 'Something went wrong: ' + err.message }));
  }
  function image(p) {
    return el('img', { src: '/images/products/' + encodeURIComponent(p.picture), alt: p.name });
  }
  function card(p) {
    return el('div', { class: 'card' }, [
      el('a', { href: '/product/' + encodeURIComponent(p.id) }, [
        image(p), el('h3', { text: p.name }), el('p', { text: money(p.priceUsd) }),
      ]),
    ]);
  }
  async function home() {
    const products = await api('/api/products?currencyCode=' + currency);
    show(el('h2', { text: 'Products' }), el('div', { class: 'grid' }, products.map(card)));
  }
  async function product(id) {
    const p = await api('/api/products/' + encodeURIComponent(id) + '?currencyCode=' + currency);
    const qty = el('input', { type: 'number', min: '1', max: '10', value: '1' });
    const add = el('button', { text: 'Add to cart', onclick: async () => {
      try {
        await api('/api/cart', { method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId: session, item: { productId: p.id, quantity: Number(qty.value) } }) });
        location.href = '/cart';
      } catch (e) { fail(e); }
    } });
    const recs = el('div', { class: 'grid' });
    const ads = el('div');
    show(el('div', { class: 'product' }, [image(p), el('div', {}, [
      el('h2', { text: p.name }), el('p', { text: p.description }),
      el('p', { text: money(p.priceUsd) }), qty, add])]),
      ads, el('h3', { text: 'You may also like' }), recs);
    api('/api/data?contextKeys=' + encodeURIComponent(p.categories.join(','))).then((list) =>
      ads.replaceChildren(...list.map((a) => el('div', { class: 'ad' }, [
        el('a', { href: a.redirectUrl, text: a.text })])))).catch(() => undefined);
    api('/api/recommendations?productIds=' + encodeURIComponent(p.id) + '&sessionId=' + session +
      '&currencyCode=' + currency).then((list) => recs.replaceChildren(...list.map(card)))
      .catch((e) => recs.replaceChildren(el('p', { class: 'err', text: e.message })));
  }
  async function cart() {
    const c = await api('/api/cart?sessionId=' + session + '&currencyCode=' + currency);
    if (c.items.length === 0) return show(el('h2', { text: 'Your cart is empty' }), el('a', { href: '/', text: 'Browse products' }));
    // Summed in nanos, as money travels (units + nanos), so cents do not drift.
    const nanos = c.items.reduce((sum, i) =>
      sum + (i.product.priceUsd.units * 1e9 + i.product.priceUsd.nanos) * i.quantity, 0);
    const code = c.items[0].product.priceUsd.currencyCode;
    show(el('h2', { text: 'Cart' }), el('ul', {}, c.items.map((i) =>
      el('li', { text: i.quantity + ' x ' + i.product.name + ' (' + money(i.product.priceUsd) + ')' }))),
      el('p', { class: 'total', text: 'Total: ' + (nanos / 1e9).toFixed(2) + ' ' + code }),
      el('button', { text: 'Empty cart', onclick: async () => {
        try { await api('/api/cart', { method: 'DELETE', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId: session }) }); cart().catch(fail); } catch (e) { fail(e); } } }),
      ' ', el('a', { href: '/checkout', text: 'Check out' }));
  }
  function field(name, label, value) {
    return el('label', { text: label + ' ' }, [el('input', { name, value })]);
  }
  async function checkout() {
    const form = el('form', {}, [
      field('email', 'Email', 'someone@example.com'),
      field('streetAddress', 'Street', '1600 Amphitheatre Parkway'),
      field('city', 'City', 'Mountain View'), field('state', 'State', 'CA'),
      field('country', 'Country', 'United States'), field('zipCode', 'Zip', '94043'),
      field('creditCardNumber', 'Card', '4432-8015-6152-0454'),
      field('month', 'Exp. month', '1'), field('year', 'Exp. year', String(new Date().getFullYear() + 2)),
      field('cvv', 'CVV', '672'), el('button', { type: 'submit', text: 'Place order' })]);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const v = (n) => form.elements.namedItem(n).value;
      try {
        const order = await api('/api/checkout?currencyCode=' + currency, { method: 'POST',
          headers: { 'content-type': 'application/json' }, body: JSON.stringify({
            userId: session, email: v('email'), userCurrency: currency,
            address: { streetAddress: v('streetAddress'), city: v('city'), state: v('state'),
              country: v('country'), zipCode: v('zipCode') },
            creditCard: { creditCardNumber: v('creditCardNumber'), creditCardCvv: Number(v('cvv')),
              creditCardExpirationMonth: Number(v('month')), creditCardExpirationYear: Number(v('year')) } }) });
        show(el('h2', { text: 'Order placed' }), el('p', { text: 'Order id: ' + order.orderId }),
          el('p', { text: 'Tracking id: ' + order.shippingTrackingId }),
          el('p', { text: 'Shipping: ' + money(order.shippingCost) }),
          el('ul', {}, order.items.map((i) => el('li', { text: i.item.quantity + ' x ' + i.item.product.name }))),
          el('a', { href: '/', text: 'Continue shopping' }));
      } catch (e) { fail(e); }
    });
    show(el('h2', { text: 'Checkout' }), form);
  }
  async function route() {
    const path = location.pathname;
    const m = /^\/product\/([^/]+)$/.exec(path);
    if (m) return product(decodeURIComponent(m[1]));
    if (path === '/cart') return cart();
    if (path === '/checkout') return checkout();
    return home();
  }
  api('/api/currency').then((codes) => {
    sel.replaceChildren(...codes.map((c) => el('option', { value: c, text: c })));
    sel.value = currency;
  }).catch(() => undefined);
  sel.addEventListener('change', () => { currency = sel.value; localStorage.setItem('currency', currency); route().catch(fail); });
  route().catch(fail);
})();
`;
