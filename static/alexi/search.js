// The "/" key focuses the search box (issue 13 item 1): the search page's own box there, the
// header's everywhere else (templates/includes/header_search.html, which loads this module; no
// inline script: CSP). Not while someone is typing in a field, and not with Ctrl, Alt or Cmd.
// On a phone the header's box sits in the collapsed menu: the menu is opened first.
function searchBox() {
  return document.querySelector("[data-alexi-search-main]") || document.querySelector("[data-alexi-search]");
}

function typingInAField(target) {
  return target instanceof Element
    && target.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])") !== null;
}

document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
  if (typingInAField(event.target)) return;
  const box = searchBox();
  if (!box) return;
  if (box.getClientRects().length === 0) {
    const toggle = document.querySelector(".govuk-js-service-navigation-toggle[aria-expanded='false']");
    if (toggle) toggle.click();
    if (box.getClientRects().length === 0) return;
  }
  event.preventDefault();
  box.focus();
  box.select();
});
