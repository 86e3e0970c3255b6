/* Playbook progress without a page reload: ticking a box saves it at once. Without JavaScript the forms'
   Save buttons post and the server redirects back, so this file only enhances. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-progress-summary]");

  function save(form, box) {
    form.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        box.checked = data.done;
        if (summary && form.action.indexOf("/deliverable/") !== -1) { summary.textContent = data.summary; }
      })
      .catch(function () {
        form.submit(); /* fall back to the ordinary post, which saves or reports the problem on a page */
      })
      .finally(function () { form.removeAttribute("aria-busy"); });
  }

  document.querySelectorAll("form[data-progress]").forEach(function (form) {
    var box = form.querySelector("input[type=checkbox]");
    var button = form.querySelector("button[type=submit]");
    if (!box || !button) { return; }
    button.hidden = true;
    box.addEventListener("change", function () { save(form, box); });
    form.addEventListener("submit", function (event) { event.preventDefault(); save(form, box); });
  });

  /* The step list is open on wide screens and folded on a phone. */
  var details = document.querySelector("details[data-collapse-narrow]");
  if (details && window.matchMedia && window.matchMedia("(max-width: 48rem)").matches) { details.open = false; }
})();
