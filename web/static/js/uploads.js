// Say that a chosen file is too large before it is sent (the server checks again anyway):
// a file over the limit would otherwise travel in full only to be refused.
document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
  function check() {
    var file = input.files && input.files[0];
    var tooLarge = file && file.size > Number(input.dataset.maxBytes);
    input.setCustomValidity(tooLarge ? input.dataset.tooLarge : "");
    return !tooLarge;
  }
  input.addEventListener("change", function () { if (!check()) { input.reportValidity(); } });
  if (input.form) {
    input.form.addEventListener("submit", function (event) {
      if (!check()) { event.preventDefault(); input.reportValidity(); }
    });
  }
});
