/** Every visual choice is a CSS custom property so a theme restyles the widget without forking it. */
export const STYLES = `
:host{display:block;font:var(--moat-faq-font,inherit);color:var(--moat-faq-color,inherit);margin:var(--moat-faq-margin,1.5rem 0)}
:host([hidden]){display:none}
h2{font-size:var(--moat-faq-heading-size,1.4em);margin:0 0 .75em}
details{border-bottom:1px solid var(--moat-faq-border,#ddd);background:var(--moat-faq-bg,transparent)}
details:first-of-type{border-top:1px solid var(--moat-faq-border,#ddd)}
summary{cursor:pointer;list-style:none;display:flex;justify-content:space-between;align-items:center;gap:1em;padding:var(--moat-faq-padding,.9em 0)}
summary::-webkit-details-marker{display:none}
summary::after{content:"+";font-size:1.3em;color:var(--moat-faq-accent,currentColor)}
details[open] summary::after{content:"\\2212"}
summary:focus-visible{outline:2px solid var(--moat-faq-accent,#005fcc);outline-offset:2px}
h3{font-size:var(--moat-faq-question-size,1em);font-weight:var(--moat-faq-question-weight,600);margin:0}
.a{padding:0 0 1em;line-height:1.55}
.a a{color:var(--moat-faq-accent,inherit)}
`;
