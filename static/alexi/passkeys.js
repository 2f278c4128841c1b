// After django-otp-webauthn's script has made a passkey, go to the list where it can be named.
// Loaded only on the "Add a passkey" page; no inline script (CSP).
const box = document.getElementById("alexi-passkey-create");
if (box) {
  document.addEventListener("otp_webauthn.register_complete", () => {
    window.location.assign(box.dataset.doneUrl);
  });
}
