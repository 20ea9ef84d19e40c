// Registration: show only the company fields that match the chosen option.
// Without JavaScript both groups stay visible and the server ignores the other one.
(function () {
  var radios = document.querySelectorAll('input[name="company_choice"]');
  var groups = document.querySelectorAll('fieldset[data-company]');
  function update() {
    var chosen = document.querySelector('input[name="company_choice"]:checked');
    groups.forEach(function (group) {
      group.hidden = !!chosen && group.getAttribute('data-company') !== chosen.value;
    });
  }
  radios.forEach(function (radio) { radio.addEventListener('change', update); });
  update();
})();
