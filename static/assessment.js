// The assessment's checklists: ticking "I don't know" unticks the answers, and ticking an
// answer unticks "I don't know". Without JavaScript the server refuses both ticked, with
// a message next to the question.
(function () {
  document.querySelectorAll('ul[data-exclusive]').forEach(function (list) {
    var alone = list.getAttribute('data-exclusive');
    list.addEventListener('change', function (event) {
      var ticked = event.target;
      if (ticked.type !== 'checkbox' || !ticked.checked) return;
      list.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
        // untick the other side only: "I don't know" against the answers
        if ((box.value === alone) !== (ticked.value === alone)) box.checked = false;
      });
    });
  });
})();
