// Wide tables (alexi.scss: .alexi-table-wrap). Loaded as a module from base.html; no inline
// script (CSP).
//
// Every table sits in <div class="alexi-table-wrap" role="region" tabindex="0" aria-label=…>,
// which scrolls sideways on a narrow screen (and with the keyboard once focused). While a
// table is wider than its region, say so above it: "Scroll sideways to see all columns", and
// mark the region (.alexi-table-wrap--overflows). The shadows at the edges need no script.
const HINT = "Scroll sideways to see all columns";
let counter = 0;

function update(wrap) {
  const overflows = wrap.scrollWidth > wrap.clientWidth + 1;
  wrap.classList.toggle("alexi-table-wrap--overflows", overflows);
  let hint = wrap.previousElementSibling;
  if (!hint || !hint.classList.contains("alexi-table-hint")) {
    if (!overflows) return;
    hint = document.createElement("p");
    hint.className = "alexi-table-hint";
    hint.id = `alexi-table-hint-${++counter}`;
    hint.textContent = HINT;
    wrap.before(hint);
  }
  hint.hidden = !overflows;
  const described = (wrap.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  const others = described.filter((id) => id !== hint.id);
  const next = overflows ? [...others, hint.id] : others;
  if (next.length) wrap.setAttribute("aria-describedby", next.join(" "));
  else wrap.removeAttribute("aria-describedby");
}

const observer = "ResizeObserver" in window ? new ResizeObserver((entries) => {
  entries.forEach((entry) => update(entry.target.closest(".alexi-table-wrap") || entry.target));
}) : null;

function watch(root) {
  root.querySelectorAll(".alexi-table-wrap").forEach((wrap) => {
    if (wrap.dataset.alexiTableWatched) return;
    wrap.dataset.alexiTableWatched = "true";
    update(wrap);
    if (observer) {
      observer.observe(wrap);
      const table = wrap.querySelector("table");
      if (table) observer.observe(table);
    }
  });
}

watch(document);
if (!observer) window.addEventListener("resize", () => document.querySelectorAll(".alexi-table-wrap").forEach(update));
// Content swapped in by htmx.
document.addEventListener("htmx:afterSettle", () => {
  watch(document);
  document.querySelectorAll(".alexi-table-wrap").forEach(update);
});
