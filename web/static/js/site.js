document.addEventListener("DOMContentLoaded", function () {
  document.body.dataset.loaded = "true";
});
