// One-time form tokens (alexi/submissions/once.py). Loaded as a module from base.html; no
// inline script (CSP).
//
// A form that creates a record carries a hidden <input data-submission-token>. Keep the token
// the page was first shown with in its history entry: going Back re-fetches the page (pages
// are never cached) with a new token, and the browser refills the fields, so without this
// pressing Save again would save a second copy; with it, Alexi answers "already saved".
//
// Then make the entry an ordinary one: a page that answered a POST (a form shown again with
// its errors, or "already saved") would otherwise make Back or reload ask to send the form
// again ("Confirm form resubmission").
const KEY = "alexiSubmissionTokens";
const state = history.state && typeof history.state === "object" ? history.state : {};
const tokens = { ...(state[KEY] || {}) };
document.querySelectorAll("form input[data-submission-token]").forEach((input, index) => {
  const key = `${input.form.getAttribute("action") || location.pathname}#${index}`;
  if (tokens[key]) input.value = tokens[key];
  else tokens[key] = input.value;
});
history.replaceState({ ...state, [KEY]: tokens }, "", location.href);
