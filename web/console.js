// The secretariat console's passkey ceremonies (/secretariat/, issue 23):
// enrolment and sign-in with WebAuthn. Served by the endpoint from its own
// origin (CSP script-src 'self'); it holds no words: the messages are the
// page's data-* attributes, in its language. Without this script the page
// says that a passkey needs JavaScript.
(() => {
  "use strict";
  const status = document.getElementById("imrf-console-status");
  const notice = document.getElementById("imrf-console-needs-script");
  const say = (key) => {
    if (status) status.textContent = status.dataset[key] || "";
  };
  const supported =
    typeof window.PublicKeyCredential === "function" &&
    typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function" &&
    typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function";
  if (notice) notice.hidden = true;

  async function post(path, body) {
    const answer = await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const data = await answer.json().catch(() => ({}));
    return { ok: answer.ok, status: answer.status, data };
  }

  async function enrol(form) {
    const start = await post("/secretariat/api/enrol/start", { token: form.dataset.token });
    if (!start.ok) return say("failed");
    const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(start.data.options.publicKey);
    const credential = await navigator.credentials.create({ publicKey });
    const finish = await post("/secretariat/api/enrol/finish", {
      ceremony: start.data.ceremony,
      credential: credential.toJSON(),
      lang: form.dataset.lang,
    });
    if (!finish.ok) return say("failed");
    window.location.assign(finish.data.next);
  }

  async function signIn(form) {
    const email = form.elements.email.value;
    const start = await post("/secretariat/api/sign-in/start", { email });
    if (start.status === 429) return say("tooMany");
    if (!start.ok) return say("failed");
    const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(start.data.options.publicKey);
    const credential = await navigator.credentials.get({ publicKey });
    const finish = await post("/secretariat/api/sign-in/finish", {
      ceremony: start.data.ceremony,
      credential: credential.toJSON(),
      lang: form.dataset.lang,
    });
    if (finish.status === 429) return say("tooMany");
    if (!finish.ok) return say("failed");
    window.location.assign(finish.data.next);
  }

  for (const [id, run] of [
    ["imrf-console-enrol", enrol],
    ["imrf-console-sign-in", signIn],
  ]) {
    const form = document.getElementById(id);
    if (!form) continue;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!supported) return say("noPasskeys");
      say("waiting");
      run(form).catch(() => say("failed"));
    });
  }
})();
