/*
 * Moat inquiry (RFQ) form: sends the form to the app proxy by fetch and shows the outcome in
 * place (no page reload). Without this script the form still posts and the proxy answers with
 * a page. Strings come from the block's data-* attributes (rendered from the locale files).
 */
(() => {
  const forms = document.querySelectorAll('form[data-moat-form="inquiry"]');
  for (const form of forms) {
    if (form.dataset.moatReady) continue;
    form.dataset.moatReady = '1';
    const status = form.querySelector('[role="status"]');
    const button = form.querySelector('[type="submit"]');
    const show = (state, text) => {
      status.dataset.state = state;
      status.textContent = text;
    };
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const moat = window.moat;
      const vid = form.elements.namedItem('visitor_id');
      if (vid && moat && typeof moat.visitor === 'function') vid.value = moat.visitor();
      button.disabled = true;
      form.setAttribute('aria-busy', 'true');
      show('sending', form.dataset.sending);
      try {
        const res = await fetch(form.getAttribute('action'), {
          method: 'POST',
          headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(new FormData(form)).toString(),
          credentials: 'same-origin',
        });
        const body = await res.json().catch(() => ({}));
        if (!res.ok) throw new Error((body.error && body.error.message) || String(res.status));
        show('success', form.dataset.success);
        form.reset();
      } catch (error) {
        show('error', `${form.dataset.error} (${error.message})`);
      } finally {
        button.disabled = false;
        form.removeAttribute('aria-busy');
      }
    });
  }
})();
