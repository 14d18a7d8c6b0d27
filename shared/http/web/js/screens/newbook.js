// Ordering a book as a short guided flow: the idea, the cast, the reader, the look, and a
// last check with the optional dedication and cost cap. The API's field errors take the
// person back to the step that holds the field.

import { call } from "../api.js";
import { alertBox, field, h, showProblem, titled } from "../ui.js";
import { portrait } from "./characters.js";

const STYLES = [
  ["watercolour", "Watercolour", "soft washes of colour"],
  ["crayon", "Crayon", "bold, bright and scribbly"],
  ["paper-cut", "Paper cut", "flat shapes, layered"],
  ["gouache", "Gouache", "rich, flat and opaque"],
  ["ink", "Ink", "lines first, a little colour"],
];
const AGES = [["3-5", "3 to 5", "very short sentences, read aloud"], ["6-8", "6 to 8", "early readers"], ["9-12", "9 to 12", "confident readers"]];

export async function newBookScreen() {
  const main = document.getElementById("main");
  main.dataset.screen = "new-book";
  const { items: characters } = await call("/v1/characters");
  if (!characters.length) {
    main.append(h("h1", {}, "New book"), h("section.empty", {},
      h("p", {}, "A book needs at least one character. Make one first: it takes a minute."),
      h("a.button.primary", { href: "#/characters/new" }, "Create a character")));
    titled(main, "New book");
    return null;
  }
  const alert = alertBox();
  const premise = h("textarea", { required: true, minlength: 10, maxlength: 500, rows: 4, placeholder: "A brave hedgehog who is afraid of the dark" });
  const cast = h("fieldset.cast", {},
    h("legend", {}, "Who is in it (pick up to six)"),
    h("ul.cards.pick", {}, characters.map((c) => h("li", {},
      h("input", { type: "checkbox", name: "cast", id: `cast-${c.id}`, value: c.id }),
      h("label.card.pickable", { for: `cast-${c.id}` }, portrait(c, "small"), h("span", {}, h("strong", {}, c.name), h("br"), c.kind))))),
    h("p.field-error", { id: "cast-error", hidden: true }));
  const ages = h("fieldset.choices", {}, h("legend", {}, "Who will read it"),
    AGES.map(([value, label, about], i) => h("div.choice", {},
      h("input", { type: "radio", name: "age_band", id: `age-${value}`, value, checked: i === 1 }),
      h("label", { for: `age-${value}` }, h("strong", {}, `Ages ${label}`), h("span", {}, about)))));
  const pages = h("input", { type: "number", min: 4, max: 32, step: 1, value: 8, required: true, inputmode: "numeric" });
  const styles = h("fieldset.choices.styles", {}, h("legend", {}, "How it looks"),
    STYLES.map(([value, label, about], i) => h("div.choice", {},
      h("input", { type: "radio", name: "art_style", id: `style-${value}`, value, checked: i === 0 }),
      h("label", { for: `style-${value}` }, h("img", { src: `styles/${value}.png`, alt: `An example picture in ${label.toLowerCase()}`, width: 160, height: 120 }),
        h("strong", {}, label), h("span", {}, about)))));
  const dedication = h("input", { type: "text", maxlength: 200, placeholder: "For Ada, who asks why" });
  const cap = h("input", { type: "number", min: 0, step: "0.01", inputmode: "decimal", placeholder: "no limit" });
  const summary = h("dl.summary");

  const steps = [
    ["The idea", [field("premise", "What is the story about?", premise, "One or two sentences: who, what they want, what stands in the way.")]],
    ["The cast", [cast]],
    ["The reader", [ages, field("page_count", "How many pages", pages, "Between 4 and 32. Eight is a good first book.")]],
    ["The look", [styles]],
    ["Last touches", [field("dedication", "Dedication (optional)", dedication, "Printed on its own page after the title page."),
      field("max_cost_usd", "Cost cap in dollars (optional)", cap, "The book pauses if making it would cost more; you can raise the cap then."),
      h("h2.small", {}, "Your book"), summary]],
  ];
  let step = 0;
  const progress = h("ol.steps", { "aria-label": "Steps" }, steps.map(([name], i) => h("li", { dataset: { step: i } }, name)));
  const sections = steps.map(([name, body], i) => h("section.step", { "aria-labelledby": `step-${i}`, hidden: i !== 0 },
    h("h2", { id: `step-${i}` }, `${i + 1}. ${name}`), body));
  const back = h("button", { type: "button" }, "Back");
  const next = h("button.primary", { type: "submit" }, "Next");
  const form = h("form.flow", { novalidate: true }, progress, sections, alert, h("div.actions", {}, back, next));

  const values = () => ({
    premise: premise.value,
    cast: [...form.querySelectorAll("input[name=cast]:checked")].map((b) => b.value),
    age_band: form.querySelector("input[name=age_band]:checked").value,
    page_count: Number(pages.value),
    art_style: form.querySelector("input[name=art_style]:checked").value,
    ...(dedication.value.trim() ? { dedication: dedication.value.trim() } : {}),
    ...(cap.value.trim() ? { max_cost_usd: Number(cap.value) } : {}),
  });
  const local = [
    () => premise.value.trim().length >= 10 ? null : ["premise", "must be at least 10 characters"],
    () => values().cast.length ? (values().cast.length > 6 ? ["cast", "may name at most six characters"] : null) : ["cast", "needs at least one character: tick a card"],
    () => { const n = Number(pages.value); return Number.isInteger(n) && n >= 4 && n <= 32 ? null : ["page_count", "must be a whole number between 4 and 32"]; },
    () => null,
    () => null,
  ];
  const stepOf = { premise: 0, cast: 1, age_band: 2, page_count: 2, art_style: 3, dedication: 4, max_cost_usd: 4 };
  function show(i) {
    step = i;
    sections.forEach((s, j) => { s.hidden = j !== i; });
    progress.querySelectorAll("li").forEach((li, j) => {
      if (j === i) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
      li.dataset.done = String(j < i);
    });
    back.hidden = i === 0;
    next.textContent = i === steps.length - 1 ? "Make the book" : "Next";
    if (i === steps.length - 1) {
      const v = values();
      const names = characters.filter((c) => v.cast.includes(c.id)).map((c) => c.name).join(", ");
      summary.replaceChildren(
        h("dt", {}, "Story"), h("dd", {}, v.premise), h("dt", {}, "Cast"), h("dd", {}, names),
        h("dt", {}, "Reader"), h("dd", {}, `ages ${v.age_band}, ${v.page_count} pages`), h("dt", {}, "Look"), h("dd", {}, v.art_style));
    }
    sections[i].querySelector("h2").tabIndex = -1;
    sections[i].querySelector("h2").focus();
  }
  back.addEventListener("click", () => show(step - 1));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const wrong = local[step]();
    if (wrong) {
      showProblem(form, { message: `Please check: ${wrong[1]}.`, errors: [{ field: wrong[0], message: wrong[1] }] }, alert);
      if (wrong[0] === "cast") { const slot = form.querySelector("#cast-error"); slot.hidden = false; slot.textContent = `The cast ${wrong[1]}.`; }
      return;
    }
    alert.textContent = "";
    if (step < steps.length - 1) { show(step + 1); return; }
    next.disabled = true;
    try {
      const book = await call("/v1/books", { method: "POST", json: values() });
      location.assign(`#/books/${book.id}`);
    } catch (problem) {
      const first = (problem.errors || []).map((er) => stepOf[String(er.field).replace(/\[\d+\]$/, "")]).filter((s) => s !== undefined);
      if (first.length) show(Math.min(...first));
      showProblem(form, problem, alert);
    } finally {
      next.disabled = false;
    }
  });
  main.append(h("h1", {}, "New book"), form);
  show(0);
  titled(main, "New book");
  return null;
}
