// Filter forms marked data-autosubmit apply a changed select at once; the submit button
// stays for typed searches and for readers without JavaScript.
document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
  form.querySelectorAll("select").forEach(function (select) {
    select.addEventListener("change", function () { form.requestSubmit(); });
  });
});
