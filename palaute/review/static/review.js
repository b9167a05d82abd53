// Keyboard use of the review desk.  Everything also works without this file, with the buttons.
"use strict";

(function () {
  const kind = document.body.dataset.page;

  function typing(target) {
    return target && (target.tagName === "TEXTAREA" ||
      (target.tagName === "INPUT" && target.type !== "checkbox" && target.type !== "hidden"));
  }

  function byKey(form, key) {
    return Array.from(form.querySelectorAll("[data-keys]")).find(
      (el) => el.dataset.keys.split(" ").includes(key));
  }

  function flagKeys(event) {
    const form = document.getElementById("decide");
    if (!form || event.ctrlKey || event.altKey || event.metaKey) return;
    if (document.body.dataset.busy) { event.preventDefault(); return; }  // one decision per page
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (typing(event.target)) {
      if (key === "Escape") event.target.blur();  // back to the one-key answers
      return;  // the rating-line number box: Enter saves the number typed
    }
    const line = form.querySelector("[data-line]");
    if (line && /^[1-9]$/.test(key)) {
      // A rating line: the first digit starts the number (0 alone stays "no mark").
      event.preventDefault();
      line.value = key;
      line.focus();
      return;
    }
    if (key === "Enter") {
      const button = form.querySelector("[data-enter]");
      if (button) { event.preventDefault(); form.requestSubmit(button); }
    } else if (key === "Tab" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit(form.querySelector("[data-skip]"));
    } else if (key === "Backspace") {
      event.preventDefault();
      document.getElementById("undo").requestSubmit();
    } else if (key === "p") {
      event.preventDefault();
      document.getElementById("full-page").click();
    } else {
      const target = byKey(form, key);
      if (!target) return;
      event.preventDefault();
      if (target.tagName === "LABEL") {
        const box = target.querySelector("input");
        box.checked = !box.checked;
      } else {
        form.requestSubmit(target);
      }
    }
  }

  function setupText() {
    const form = document.getElementById("transcribe");
    if (!form) return;
    const text = form.elements.namedItem("text");
    const revision = form.elements.namedItem("revision");
    const status = document.getElementById("saved");
    const message = (id) => document.getElementById(id).innerHTML;
    let timer = null;
    let inflight = Promise.resolve();
    let lastSaved = text.value;
    let ready = false;

    function save() {
      timer = null;
      if (text.value === lastSaved) return inflight;
      const body = new FormData();
      body.append("csrf", form.elements.namedItem("csrf").value);
      body.append("revision", revision.value);
      body.append("text", text.value);
      const sent = text.value;
      inflight = inflight.then(() => {
        body.set("revision", revision.value);
        return fetch(form.dataset.draft, {
          method: "POST", body: body, credentials: "same-origin",
          headers: {"X-CSRF-Token": form.elements.namedItem("csrf").value},
        });
      }).then(async (response) => {
        if (response.ok) {
          const data = await response.json();
          revision.value = data.revision;
          lastSaved = sent;
          status.textContent = message("msg-saved");
        } else if (response.status === 409) {
          const data = await response.json();
          alert(data.message);
          window.location.reload();
        } else if (response.status === 401) {
          window.location.href = "/login";
        } else {
          status.textContent = message("msg-failed");
        }
      }).catch(() => { status.textContent = message("msg-failed"); });
      return inflight;
    }

    text.addEventListener("input", () => {
      status.textContent = "";
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, 700);
    });
    text.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.altKey) {
        event.preventDefault();
        form.requestSubmit(document.getElementById("save"));
      }
    });
    form.addEventListener("submit", (event) => {
      if (ready) return;
      event.preventDefault();
      const submitter = event.submitter;
      if (timer) { clearTimeout(timer); timer = null; }
      inflight.then(() => {
        ready = true;
        form.requestSubmit(submitter);
      });
    });
    // Leaving the page with unsaved typing: send the last draft on the way out.
    window.addEventListener("pagehide", () => {
      if (ready || text.value === lastSaved) return;
      const body = new FormData();
      body.append("csrf", form.elements.namedItem("csrf").value);
      body.append("revision", revision.value);
      body.append("text", text.value);
      navigator.sendBeacon(form.dataset.draft, body);
    });
    text.focus();
    text.setSelectionRange(text.value.length, text.value.length);
  }

  function pageKeys(event) {
    if (event.key === "Escape" || event.key === "p" || event.key === "Backspace") {
      event.preventDefault();
      document.getElementById("back").click();
    }
  }

  if (kind === "flag") {
    document.addEventListener("keydown", flagKeys);
    for (const form of document.querySelectorAll("form#decide, form#undo")) {
      form.addEventListener("submit", () => { document.body.dataset.busy = "1"; });
    }
  }
  if (kind === "text") setupText();
  if (kind === "page") document.addEventListener("keydown", pageKeys);
  document.body.dataset.ready = "1";  // keys work from here on
})();
