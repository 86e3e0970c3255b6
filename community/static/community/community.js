// Communities: "Quote" puts the quoted post into the reply box without reloading the page.
// Without JavaScript the link reloads the thread with the quote already in the box.
(function () {
  "use strict";
  var box = document.querySelector("#reply textarea");
  if (!box) return;
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-quote]");
    if (!link) return;
    var post = document.getElementById("post-" + link.dataset.quote);
    var body = post && post.querySelector(".post__body");
    if (!body) return;
    event.preventDefault();
    var handle = post.querySelector(".post__header .meta");
    var lines = body.innerText.trim().split("\n").map(function (line) { return "> " + line; });
    var intro = handle && handle.textContent.trim().charAt(0) === "@" ? handle.textContent.trim() + ":\n" : "";
    box.value = (box.value ? box.value.replace(/\s*$/, "\n\n") : "") + intro + lines.join("\n") + "\n\n";
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  });
})();
