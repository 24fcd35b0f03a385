/*
 * Moat chat button: a click on the WhatsApp link is a touchpoint. It goes through the Moat
 * tracker (window.moat.track) or, before the tracker has loaded, onto its pre-load queue, so
 * consent and the visitor id are the tracker's. The link itself opens as usual.
 */
(() => {
  document.addEventListener(
    'click',
    (event) => {
      const link = event.target instanceof Element && event.target.closest('[data-moat-chat]');
      if (!link) return;
      const props = { channel: link.dataset.moatChat, href: link.href.slice(0, 500) };
      if (link.dataset.productId) props.product = { id: link.dataset.productId, title: link.dataset.productTitle };
      const moat = (window.moat = window.moat || []);
      if (Array.isArray(moat)) moat.push(['track', 'chat_click', props]);
      else moat.track('chat_click', props);
    },
    true,
  );
})();
