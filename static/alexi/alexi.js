// Alexi front-end behaviour. Load with:
//   <script type="module" src="/static/alexi/alexi.js"></script>
// No inline scripts (CSP). Module scripts are deferred, so <body> exists here.
import { initAll } from "/static/vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported", "js-enabled");
initAll();

// Initialise GOV.UK components in content swapped in by htmx.
document.addEventListener("htmx:load", (event) => {
  const scope = event.detail && event.detail.elt;
  if (scope instanceof Element && scope !== document.body) initAll({ scope });
});

// <form data-confirm="Are you sure?"> (or a submit button with data-confirm).
// Capture phase, so a cancelled submit never reaches htmx or other handlers.
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const message = (event.submitter && event.submitter.dataset.confirm) || form.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopPropagation();
    }
  },
  true
);

// <button type="button" data-copy-target="element-id">Copy</button>
document.addEventListener("click", async (event) => {
  const button = event.target instanceof Element && event.target.closest("[data-copy-target]");
  if (!button) return;
  const target = document.getElementById(button.dataset.copyTarget);
  if (!target) return;
  event.preventDefault();
  const field = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
  // data-copy-value: what to copy when the text shown is grouped for reading (a set-up key).
  const text = (target.dataset.copyValue || (field ? target.value : target.textContent)).trim();
  const label = button.dataset.copyLabel || (button.dataset.copyLabel = button.textContent);
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = button.dataset.copiedText || "Copied";
  } catch {
    // Clipboard API unavailable (e.g. not HTTPS): select the text instead.
    if (field) {
      target.select();
    } else {
      const range = document.createRange();
      range.selectNodeContents(target);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
    }
    button.textContent = "Press Ctrl+C to copy";
  }
  setTimeout(() => {
    button.textContent = label;
  }, 3000);
});

// <input type="radio" data-reveals="element-id">: show only the part of the form that belongs
// to the chosen option. Without JavaScript every part stays visible, so the form still works.
// (govuk-frontend's own conditional reveal sets aria-expanded on radios, which axe refuses.)
function syncReveals(form) {
  form.querySelectorAll("input[type=radio][data-reveals]").forEach((radio) => {
    const part = document.getElementById(radio.dataset.reveals);
    if (part) part.hidden = !radio.checked;
  });
}
document.querySelectorAll("form").forEach((form) => {
  if (!form.querySelector("[data-reveals]")) return;
  syncReveals(form);
  form.addEventListener("change", () => syncReveals(form));
});

// A summary that stays in view at the bottom of the screen while the fields above it are
// filled in (<div data-sticky-summary>, position: sticky; the risk level as you tick). A field
// that gets focus under it is scrolled up above it, so focus is never hidden (WCAG 2.4.11).
document.addEventListener("focusin", (event) => {
  const field = event.target;
  if (!(field instanceof Element) || field.closest("[data-sticky-summary]")) return;
  document.querySelectorAll("[data-sticky-summary]").forEach((summary) => {
    const cover = summary.getBoundingClientRect();
    const box = field.getBoundingClientRect();
    const stuck = cover.bottom >= window.innerHeight - 1 && cover.top < window.innerHeight;
    if (stuck && box.bottom > cover.top - 8 && box.top < cover.bottom) {
      window.scrollBy({ top: box.bottom - cover.top + 16, behavior: "instant" });
    }
  });
});
