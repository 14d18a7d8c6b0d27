// The monthly budget, this month's spending, and what each book cost.

import { call } from "../api.js";
import { alertBox, field, h, showProblem, STATUS_WORDS, titled, toast, usd } from "../ui.js";

export async function budgetScreen() {
  const main = document.getElementById("main");
  main.dataset.screen = "budget";
  const [budget, { items: books }] = await Promise.all([call("/v1/budget"), call("/v1/books")]);
  const alert = alertBox();
  const monthly = h("input", { type: "number", min: 0, step: "0.01", inputmode: "decimal", value: budget.monthly_usd ?? "", placeholder: "no limit" });
  const summary = h("p.big", {});
  const show = (b) => {
    summary.textContent = `${usd(b.spent_this_month_usd)} spent in ${b.month}` + (b.monthly_usd !== null && b.monthly_usd !== undefined ? ` of ${usd(b.monthly_usd)}` : " (no monthly limit)");
  };
  show(budget);
  const form = h("form.inline", { novalidate: true }, field("monthly_usd", "Monthly budget in dollars (empty: no limit)", monthly,
    "Books pause rather than go over it; raising it lets them go on."), alert, h("button.primary", { type: "submit" }, "Save budget"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const b = await call("/v1/budget", { method: "PUT", json: { monthly_usd: monthly.value === "" ? null : Number(monthly.value) } });
      show(b);
      toast("Budget saved.");
    } catch (problem) { showProblem(form, problem, alert); }
  });
  const table = h("table.costs", {},
    h("caption", {}, "What each book cost"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Book"), h("th", { scope: "col" }, "Status"),
      h("th.num", { scope: "col" }, "Writing"), h("th.num", { scope: "col" }, "Pictures"), h("th.num", { scope: "col" }, "Total"), h("th.num", { scope: "col" }, "Cap"))),
    h("tbody", {}, books.map((b) => h("tr", {},
      h("th", { scope: "row" }, h("a", { href: `#/books/${b.id}` }, b.title || "A new book")),
      h("td", {}, STATUS_WORDS[b.status] || b.status),
      h("td.num", {}, usd(b.cost.writing_usd)), h("td.num", {}, usd(b.cost.illustrating_usd)),
      h("td.num", {}, usd(b.cost.total_usd)), h("td.num", {}, b.cost.cap_usd === null ? "—" : usd(b.cost.cap_usd))))));
  main.append(h("h1", {}, "Budget"), h("section.card", {}, summary, form),
    books.length ? h("div.table-wrap", { tabindex: "0", role: "region", "aria-label": "Costs by book" }, table) : h("p", {}, "No books yet."));
  titled(main, "Budget");
  return null;
}
