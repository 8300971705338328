// A form with [data-confirm="question"] asks before it is sent (removing someone's access).
// Without JavaScript the form is sent at once, as before.
(function () {
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
})();
