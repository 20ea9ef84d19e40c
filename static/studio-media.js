// The lesson editor's list of the module's images and files: "Insert" puts an item's
// Markdown where the caret is in the text. Without JavaScript the Markdown is there to copy.
(function () {
  var text = document.querySelector('form.studio-editor textarea');
  if (!text) { return; }
  var buttons = document.querySelectorAll('button[data-insert]');
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var markdown = button.getAttribute('data-insert');
      var start = text.selectionStart, end = text.selectionEnd;
      text.value = text.value.slice(0, start) + markdown + text.value.slice(end);
      text.selectionStart = text.selectionEnd = start + markdown.length;
      text.focus();
      text.dispatchEvent(new Event('input', { bubbles: true }));  // the live preview
    });
  });
})();
