// The account: who is signed in, change the password, close the account.

import * as auth from "../auth.js";
import { alertBox, dialog, field, h, showProblem, titled, toast } from "../ui.js";

export async function accountScreen(app) {
  const main = document.getElementById("main");
  main.dataset.screen = "account";
  const who = h("section.card", {}, h("h2", {}, "Signed in"),
    h("p", {}, "You are signed in as ", h("strong", {}, app.me.login), "."),
    h("p.hint", {}, "To share a book with someone, they give you their login; you give them yours."));
  if (auth.hosted()) {
    main.append(h("h1", {}, "Account"), who, h("p", {}, "Your password and account are managed on the sign-in page."));
    titled(main, "Account");
    return null;
  }
  const pwAlert = alertBox();
  const current = h("input", { type: "password", autocomplete: "current-password", required: true });
  const fresh = h("input", { type: "password", autocomplete: "new-password", required: true, minlength: 8 });
  const pwForm = h("form", { novalidate: true },
    field("current_password", "Current password", current),
    field("new_password", "New password", fresh, "At least 8 characters. Every other device is signed out."),
    pwAlert, h("button.primary", { type: "submit" }, "Change password"));
  pwForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await auth.changePassword(current.value, fresh.value);
      pwForm.reset();
      toast("Password changed. Other devices were signed out.");
    } catch (problem) { showProblem(pwForm, problem, pwAlert); }
  });
  const close = h("button.danger", { type: "button", onclick: async () => {
    const done = await dialog("Delete your account?", (finish) => {
      const password = h("input", { type: "password", autocomplete: "current-password", required: true });
      const alert = alertBox();
      const form = h("form", { novalidate: true },
        h("p", {}, "Your books, characters and pictures are deleted for good. This cannot be undone."),
        field("close-password", "Your password", password), alert,
        h("div.actions", {}, h("button.danger", { type: "submit" }, "Delete everything"), h("button", { type: "button", onclick: () => finish(false) }, "Keep my account")));
      password.name = "password";
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        try { await auth.closeAccount(password.value); finish(true); } catch (problem) { showProblem(form, problem, alert); }
      });
      return form;
    });
    if (done) { app.signedOut(); toast("Your account and everything in it were deleted."); }
  } }, "Delete my account…");
  main.append(h("h1", {}, "Account"), who,
    h("section.card", {}, h("h2", {}, "Change password"), pwForm),
    h("section.card.danger-zone", {}, h("h2", {}, "Delete account"), h("p", {}, "Deletes your books, characters and pictures."), close));
  titled(main, "Account");
  return null;
}
