// Mark a lesson complete without reloading the page; the form still works without JavaScript.
(function () {
  "use strict";
  document.querySelectorAll("form.js-complete-lesson").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.FormData) return;
      event.preventDefault();
      var url = form.getAttribute("action"); // not form.action: an input named "action" shadows it
      var button = form.querySelector("button");
      if (button) button.disabled = true;
      fetch(url, {
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
            window.location.reload(); // the lesson again, in a course now complete
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
