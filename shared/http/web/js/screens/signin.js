// Sign in and create an account.

import * as auth from "../auth.js";
import { alertBox, field, h, showProblem, titled } from "../ui.js";

export async function signInScreen(app, mode) {
  const main = document.getElementById("main");
  main.dataset.screen = mode;
  if (app.me) { location.replace("#/"); return null; }
  const signingUp = mode === "signup";
  const title = signingUp ? "Create your account" : "Sign in to Storyloom";
  if (auth.hosted()) {
    main.append(h("section.card.narrow", {},
      h("h1", {}, title),
      h("p", {}, "You sign in on Storyloom's secure sign-in page."),
      h("button.primary", { type: "button", onclick: () => auth.cognitoRedirect(signingUp ? "signup" : "login") },
        signingUp ? "Create an account" : "Continue to sign in")));
    titled(main, title);
    return null;
  }
  const alert = alertBox();
  const login = h("input", { type: "text", autocomplete: "username", required: true, minlength: 3, maxlength: 64, autocapitalize: "none", spellcheck: "false" });
  const password = h("input", { type: "password", autocomplete: signingUp ? "new-password" : "current-password", required: true, minlength: signingUp ? 8 : 1, maxlength: 128 });
  const submit = h("button.primary", { type: "submit" }, signingUp ? "Create account" : "Sign in");
  const form = h("form", { novalidate: true },
    field("login", "Email or user name", login, signingUp ? "Others share books with you by this name." : null),
    field("password", "Password", password, signingUp ? "At least 8 characters. A short sentence is easy to remember." : null),
    alert,
    submit);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      const me = signingUp ? await auth.signUp(login.value, password.value) : await auth.signIn(login.value, password.value);
      app.signedIn(me);
    } catch (problem) {
      if (problem.status === 429) problem.message = `Too many attempts. Try again in ${problem.retryAfter || "a few"} seconds.`;
      showProblem(form, problem, alert);
    } finally {
      submit.disabled = false;
    }
  });
  main.append(h("section.card.narrow", {},
    h("h1", {}, title),
    h("p.lede", {}, "Picture books written and drawn for the children you know, starring characters you make."),
    form,
    h("p", {}, signingUp ? "Already have an account? " : "New here? ",
      h("a", { href: signingUp ? "#/signin" : "#/signup" }, signingUp ? "Sign in" : "Create an account"))));
  titled(main, title);
  return null;
}
