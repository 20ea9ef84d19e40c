// The lesson editor, enhanced: a live preview beside the text (rendered by the server
// exactly as the Preview button renders it), a toolbar that writes Markdown where the
// caret is, and "Insert" beside each of the module's images and files. Without
// JavaScript the Preview button, the hint and the Markdown to copy do the same.
(function () {
  var form = document.querySelector('form.studio-editor');
  if (!form) { return; }
  var text = form.querySelector('textarea');
  var target = document.getElementById('live-preview');
  var timer = null;

  function update() {
    fetch(form.getAttribute('data-preview'), {
      method: 'POST', body: new FormData(form), credentials: 'same-origin'
    }).then(function (response) {
      return response.ok ? response.text() : Promise.reject(response.status);
    }).then(function (html) {
      target.innerHTML = html;
      target.hidden = false;
    }).catch(function () { /* the Preview button still works */ });
  }
  if (target && window.fetch) {
    text.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(update, 400);
    });
    update();
  }

  // Replace the selection with before + (selection or placeholder) + after, selecting
  // what sits in between so that typing replaces the placeholder.
  function write(before, after, placeholder) {
    var start = text.selectionStart, end = text.selectionEnd;
    var middle = text.value.slice(start, end) || placeholder || '';
    text.value = text.value.slice(0, start) + before + middle + after + text.value.slice(end);
    text.selectionStart = start + before.length;
    text.selectionEnd = start + before.length + middle.length;
    text.focus();
    text.dispatchEvent(new Event('input', { bubbles: true }));
  }
  function lineStart() {
    return text.value.lastIndexOf('\n', text.selectionStart - 1) + 1;
  }
  function onButton(button) {
    var data = button.dataset;
    if (data.line !== undefined) {  // a prefix for the line the caret is on
      text.selectionStart = text.selectionEnd = lineStart();
      write(data.line, '', '');
    } else if (data.block !== undefined) {  // a block on lines of its own
      var lead = text.selectionStart === lineStart() ? '\n' : '\n\n';
      text.selectionStart = text.selectionEnd;
      write(lead + data.block + '\n\n', '', '');
    } else if (data.focus !== undefined) {
      var heading = document.getElementById(data.focus);
      heading.scrollIntoView();
      var first = heading.parentNode.querySelector('button[data-insert], a');
      if (first) { first.focus(); }
    } else if (data.insert !== undefined) {
      write(data.insert, '', '');
    } else {
      write(data.before || data.wrap || '', data.after || data.wrap || '', data.placeholder);
    }
  }
  document.querySelectorAll('.studio-toolbar, button[data-insert]').forEach(function (el) {
    el.hidden = false;
  });
  document.querySelectorAll('.studio-toolbar button, button[data-insert]').forEach(
    function (button) { button.addEventListener('click', function () { onButton(button); }); }
  );
  var term = document.querySelector('select[data-term]');
  if (term) {
    term.addEventListener('change', function () {
      if (term.value) { write(term.value, '', ''); }
      term.value = '';
    });
  }
})();
