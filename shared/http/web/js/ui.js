// Small DOM helpers: element building, messages, dialogs and the problem details the API
// answers with. No framework: every screen builds its elements with h().

/** h("button.primary#save", {type: "submit", onclick}, "Save"): an element. */
export function h(spec, attrs = {}, ...children) {
  const [tagAndClasses, id] = spec.split("#");
  const [tag, ...classes] = tagAndClasses.split(".");
  const el = document.createElement(tag || "div");
  if (id) el.id = id;
  if (classes.length) el.className = classes.join(" ");
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "text") el.textContent = value;
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** A labelled form field: label, control and a slot for its error. */
export function field(id, label, control, hint) {
  control.id = id;
  control.name = control.name || id;
  const error = h("p.field-error", { id: `${id}-error`, hidden: true });
  const described = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(" ");
  control.setAttribute("aria-describedby", described);
  return h("div.field", {},
    h("label", { for: id }, label),
    hint ? h("p.hint", { id: `${id}-hint` }, hint) : null,
    control, error);
}

/** Shows a problem's field errors next to the fields, and its detail in `where`. */
export function showProblem(form, problem, where) {
  for (const el of form.querySelectorAll(".field-error")) { el.hidden = true; el.textContent = ""; }
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  let first = null;
  for (const e of problem.errors || []) {
    const name = String(e.field).replace(/\[\d+\]$/, "");
    const control = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (!control) continue;
    control.setAttribute("aria-invalid", "true");
    const slot = form.querySelector(`#${CSS.escape(control.id)}-error`);
    if (slot) { slot.hidden = false; slot.textContent = `${label(control)} ${e.message}.`; }
    first = first || control;
  }
  if (where) where.textContent = problem.message;
  (first || where)?.focus?.();
}

function label(control) {
  const l = document.querySelector(`label[for="${CSS.escape(control.id)}"]`);
  return l ? l.textContent.replace(/\s*\(.*\)$/, "") : control.name;
}

/** A short message in the polite status region. */
export function toast(text) {
  const el = document.getElementById("status");
  el.textContent = text;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.textContent = ""; }, 6000);
}

/** An alert paragraph for a screen's errors (read out when it changes). */
export function alertBox() {
  return h("p.alert", { role: "alert", tabindex: "-1" });
}

/** Opens a modal <dialog> built by `build(close)`; resolves when it closes. */
export function dialog(title, build) {
  return new Promise((resolve) => {
    const titleId = `d-${Math.random().toString(36).slice(2)}`;
    const box = h("dialog.sheet", { "aria-labelledby": titleId });
    const close = (value) => { box.close(); box.remove(); resolve(value); };
    box.append(
      h("div.sheet-head", {},
        h("h2", { id: titleId }, title),
        h("button.icon", { type: "button", "aria-label": "Close", onclick: () => close(null) }, "✕")),
      build(close));
    box.addEventListener("cancel", (e) => { e.preventDefault(); close(null); });
    document.body.append(box);
    box.showModal();
  });
}

/** Money as people read it. */
export function usd(value) {
  if (value === null || value === undefined) return "no limit";
  const n = Number(value);
  // Model calls cost fractions of a cent: show them, but keep whole amounts plain.
  return `$${n.toFixed(n > 0 && n < 0.01 ? 4 : 2)}`;
}

/** "about 2 min left" from milliseconds. */
export function timeLeft(ms) {
  if (ms === null || ms === undefined) return "";
  if (ms < 1500) return "almost done";
  const s = Math.ceil(ms / 1000);
  return s < 90 ? `about ${s} s left` : `about ${Math.ceil(s / 60)} min left`;
}

/** What a book's status means to a person. */
export const STATUS_WORDS = {
  queued: "Waiting to start",
  writing: "Writing the story",
  reviewing: "Checking the story",
  illustrating: "Drawing the pictures",
  assembling: "Making the book",
  paused: "Paused",
  ready: "Ready to read",
  partial: "Ready, some pictures missing",
  failed: "Could not be made",
  cancelled: "Cancelled",
};

export const IN_FLIGHT = ["queued", "writing", "reviewing", "illustrating", "assembling"];

/** Sets the document title and moves focus to the screen's heading (for screen readers). */
export function titled(main, heading) {
  document.title = `${heading} · Storyloom`;
  const h1 = main.querySelector("h1");
  if (h1) { h1.tabIndex = -1; h1.focus({ preventScroll: true }); }
}
