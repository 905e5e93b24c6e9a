// What the pages' controls do, without inline handlers (the Content-Security-Policy allows
// scripts from this site and the pages' own nonce only):
//   <select data-autosubmit>          submits its form when changed
//   <button data-open="selector">     opens every <details> matching the selector
//   <button data-close="selector">    closes them
//   <form data-confirm="question">    asks before submitting
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) field.form.submit();
});
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-open], [data-close]");
  if (!button) return;
  var open = button.hasAttribute("data-open");
  var selector = open ? button.dataset.open : button.dataset.close;
  document.querySelectorAll(selector).forEach(function (details) { details.open = open; });
});
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
