// Mark a lesson complete without reloading the page; the form still works without JavaScript.
(function () {
  "use strict";
  document.querySelectorAll("form.js-complete-lesson").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.FormData) return;
      event.preventDefault();
      var button = form.querySelector("button");
      if (button) button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          if (data.course_completed) {
            window.location.assign(form.action);
            return;
          }
          var done = form.parentNode.querySelector("[data-lesson-done]");
          if (done) {
            done.hidden = false;
            done.setAttribute("role", "status");
          }
          form.remove();
        })
        .catch(function () {
          form.submit();
        });
    });
  });
})();
