// Registration: show only the company fields and hints that match the chosen option.
// Without JavaScript everything stays visible and the server ignores what does not apply.
(function () {
  var radios = document.querySelectorAll('input[name="company_choice"]');
  var parts = document.querySelectorAll('[data-company]');
  function update() {
    var chosen = document.querySelector('input[name="company_choice"]:checked');
    parts.forEach(function (part) {
      part.hidden = !!chosen && part.getAttribute('data-company') !== chosen.value;
    });
  }
  radios.forEach(function (radio) { radio.addEventListener('change', update); });
  update();
})();
