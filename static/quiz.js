// A quiz submitted with questions unanswered: ask first, in a dialog that says how many,
// in the page's language (the texts are the form's data- attributes). "Submit anyway"
// sends the answers with submit_anyway, which the server grades as they are; "Go back to
// answer" closes the dialog and moves to the first question left. Without JavaScript the
// server shows a review step instead.
(function () {
  var form = document.querySelector('form.quiz[data-unanswered-other]');
  if (!form || typeof HTMLDialogElement !== 'function') return;

  function answered(question) {
    return Array.prototype.some.call(question.querySelectorAll('input, select, textarea'), function (field) {
      if (field.type === 'radio' || field.type === 'checkbox') return field.checked;
      return field.value.trim() !== '';
    });
  }

  function button(text, className) {
    var element = document.createElement('button');
    element.className = className;
    element.textContent = text;
    return element;
  }

  var dialog = document.createElement('dialog');
  dialog.className = 'quiz-confirm';
  dialog.setAttribute('aria-labelledby', 'quiz-confirm-text');
  var text = document.createElement('p');
  text.id = 'quiz-confirm-text';
  var actions = document.createElement('div');
  actions.className = 'quiz-actions';
  var back = button(form.getAttribute('data-go-back'), 'button');
  back.type = 'button';
  var anyway = button(form.getAttribute('data-submit-anyway'), 'button primary');
  anyway.name = 'submit_anyway';  // a button of the form: it sends the answers
  anyway.value = '1';
  actions.append(back, anyway);
  dialog.append(text, actions);
  form.append(dialog);

  var left = [];
  back.addEventListener('click', function () { dialog.close('back'); });
  dialog.addEventListener('close', function () {
    if (dialog.returnValue !== 'back' || !left.length) return;
    var first = left[0].querySelector('input, select, textarea');
    left[0].scrollIntoView({block: 'start'});
    if (first) first.focus({preventScroll: true});
  });

  var plural = new Intl.PluralRules(document.documentElement.lang || 'vi');
  form.addEventListener('submit', function (event) {
    var submitter = event.submitter;
    if (!submitter || submitter.name !== 'submit') return;  // saving, or already confirmed
    left = Array.prototype.filter.call(form.querySelectorAll('fieldset.question'), function (question) {
      return !answered(question);
    });
    if (!left.length) return;
    event.preventDefault();
    var words = form.getAttribute(plural.select(left.length) === 'one' ? 'data-unanswered-one' : 'data-unanswered-other');
    text.textContent = words.replace('{n}', String(left.length));
    dialog.returnValue = '';
    dialog.showModal();
  });
})();
