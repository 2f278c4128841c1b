// The case chronology's "Show earlier" (htmx): once the earlier entries are in, move focus to
// the first of them, so keyboard and screen reader users carry on from there (the button they
// pressed is gone).
document.addEventListener("htmx:afterSettle", () => {
  const first = document.querySelector("[data-chronology-first]");
  if (first) {
    first.removeAttribute("data-chronology-first");
    first.focus();
  }
});
